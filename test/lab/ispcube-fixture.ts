/** A small ISPCube world and a started simulator, shared by the ispcube-*.test.ts files. */
import { createLabClock, type LabClock } from "../../lab/clock.js";
import { CallCounters, type SimContext } from "../../lab/context.js";
import { startIspCubeSim, type IspCubeSim } from "../../lab/ispcube/server.js";
import type { IspCustomer, Scenario } from "../../lab/scenario/types.js";

export const API_KEY = "6f1c2b7e-0000-4000-8000-000000000302";
export const CLIENT_ID = "302";
export const USERNAME = "api";
export const PASSWORD = "correct horse";

function plainCustomer(id: number, createdAt: string): IspCustomer {
  return {
    id,
    code: String(id).padStart(6, "0"),
    name: `CLIENTE ${id}`,
    docNumber: String(20_000_000 + id),
    address: `Calle ${id} 123`,
    city: "La Plata",
    status: "enabled",
    debt: 0,
    dueDebt: 0,
    phones: [],
    emails: [],
    createdAt,
  };
}

export function makeScenario(): Scenario {
  return {
    name: "ispcube-unit",
    now: "2025-06-10T12:00:00Z",
    smartolt: { token: "x", timezone: "America/Argentina/Buenos_Aires", olts: [], zones: [], odbs: [], onus: [] },
    ispcube: {
      apiKey: API_KEY,
      clientId: CLIENT_ID,
      username: USERNAME,
      password: PASSWORD,
      customers: [
        {
          id: 1,
          code: "003566",
          name: "PÉREZ JOSÉ",
          docNumber: "30111222",
          address: "Calle 7 1234",
          city: "La Plata",
          status: "enabled",
          debt: 14400,
          dueDebt: 0,
          phones: ["2215551234"],
          emails: ["jose@example.com", "jose2@example.com"],
          createdAt: "2024-01-10T03:00:00Z",
        },
        {
          id: 2,
          code: "000002",
          name: "GÓMEZ MARÍA",
          docNumber: "27301113334",
          address: "Diagonal 74 55",
          city: "Ensenada",
          status: "blocked",
          debt: 52705.48,
          dueDebt: 30000.5,
          phones: ["2214440000"],
          emails: [],
          createdAt: "2024-03-05T15:30:00Z",
          blockDate: "2025-05-11T02:30:00Z",
        },
        { ...plainCustomer(3, "2025-02-01T12:00:00Z"), deletedAt: "2025-04-01T12:00:00Z", docNumber: "30111222" },
        { ...plainCustomer(4, "2025-03-01T12:00:00Z"), temporary: true, status: "no_service" },
        // Two customers created in the same second: the newer id comes first.
        plainCustomer(10, "2023-05-01T10:00:00Z"),
        plainCustomer(11, "2023-05-01T10:00:00Z"),
        plainCustomer(12, "2023-07-01T10:00:00Z"),
        plainCustomer(13, "2022-01-01T10:00:00Z"),
        plainCustomer(14, "2024-12-24T23:00:00Z"),
        plainCustomer(15, "2021-03-03T10:00:00Z"),
      ],
      plans: [{ id: 1, code: "000003", name: "FIBRA 300MB", price: 12523, speedDown: 307200, speedUp: 51200 }],
      nodes: [
        { id: 1, code: "NODO1", comment: "Core Mikrotik", type: "Mikrotik", ip: "127.0.0.1", port: 18728, router: "core" },
        { id: 2, code: "R1", comment: "Radius Principal", type: "FreeRadius", ip: "127.0.0.2", port: 1812 },
      ],
      connections: [
        {
          id: 100,
          customerId: 1,
          planId: 1,
          nodeId: 1,
          conntype: "pppoe",
          user: "jperez",
          password: "pw1",
          address: "Calle 7 1234",
          ip: "10.0.0.2",
          mac: "AA:BB:CC:00:11:22",
          createdAt: "2024-01-10T15:00:00Z",
        },
        {
          id: 101,
          customerId: 2,
          planId: 1,
          nodeId: 1,
          conntype: "pppoe",
          user: "mgomez",
          password: "pw2",
          address: null,
          ip: null,
          createdAt: "2024-03-05T15:30:00Z",
        },
        {
          id: 102,
          customerId: 1,
          planId: 1,
          nodeId: null,
          conntype: "nc",
          user: null,
          password: null,
          address: null,
          ip: null,
          createdAt: "2024-02-01T12:00:00Z",
        },
        {
          id: 103,
          customerId: 3,
          planId: 1,
          nodeId: 2,
          conntype: "pppoe",
          user: "baja3",
          password: "pw3",
          address: null,
          ip: null,
          createdAt: "2025-02-01T12:00:00Z",
          deleteDate: "2025-04-01T12:00:00Z",
        },
      ],
      tickets: [
        {
          id: 500,
          customerId: 2,
          connectionId: 101,
          status: "Abierto",
          category: "Sin servicio",
          content: "No navega desde ayer",
          createdAt: "2025-06-09T13:00:00Z",
        },
      ],
    },
    routers: [
      {
        name: "core",
        identity: "core-1",
        version: "7.15",
        user: "beholder",
        password: "r0uter-pass",
        secrets: [],
        profiles: [],
        active: [],
        queues: [],
        traffic: [],
        logs: [],
      },
    ],
  };
}

export interface Lab {
  sim: IspCubeSim;
  ctx: SimContext;
  clock: LabClock;
  /** Logs in with the scenario's credentials and returns the token. */
  login(): Promise<string>;
  /** GET `/api/<path>` with the seven headers (§2.3), minus any header set to undefined in `override`. */
  get(path: string, token: string, override?: Record<string, string | undefined>): Promise<Response>;
  close(): Promise<void>;
}

export function apiHeaders(token: string, override: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    "content-type": "application/json",
    accept: "application/json",
    "api-key": API_KEY,
    "client-id": CLIENT_ID,
    "login-type": "api",
    username: USERNAME,
    authorization: `Bearer ${token}`,
    ...override,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

export function loginRequest(url: string, body: unknown = { username: USERNAME, password: PASSWORD }, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/sanctum/token`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      "api-key": API_KEY,
      "client-id": CLIENT_ID,
      "login-type": "api",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

export async function startLab(scenario: Scenario = makeScenario()): Promise<Lab> {
  const clock = createLabClock(new Date(scenario.now));
  const ctx: SimContext = { scenario, clock, counters: new CallCounters() };
  const sim = await startIspCubeSim(ctx, { host: "127.0.0.1", port: 0 });
  return {
    sim,
    ctx,
    clock,
    async login() {
      const res = await loginRequest(sim.url);
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    get(path, token, override) {
      return fetch(`${sim.url}/api/${path}`, { headers: apiHeaders(token, override) });
    },
    close: () => sim.close(),
  };
}
