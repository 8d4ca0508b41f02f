/** A small SmartOLT world and a started simulator, shared by the smartolt-*.test.ts files. */
import type { LabClock } from "../../lab/clock.js";
import { CallCounters, type SimContext } from "../../lab/context.js";
import type { Onu, Scenario, SmartOltWorld } from "../../lab/scenario/types.js";
import { startSmartOltSim, type SmartOltSim } from "../../lab/smartolt/server.js";

export const TOKEN = "c0ffee-lab-token";
export const START = new Date("2026-07-10T12:00:00Z");

/** A clock that only moves when told to, so rate-limit windows are exact. */
export function frozenClock(start: Date = START): LabClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
    set(instant) {
      t = instant.getTime();
    },
  };
}

export function makeOnu(over: Partial<Onu> & Pick<Onu, "externalId">): Onu {
  return {
    sn: over.externalId,
    oltId: 1,
    board: 0,
    port: 0,
    onu: 1,
    zoneId: 1,
    odbId: 1,
    odbPort: 3,
    name: `CLIENT ${over.externalId}`,
    address: "Calle 7 1234",
    username: `user.${over.externalId.toLowerCase()}`,
    onuType: "HG8546M",
    mode: "Routing",
    vlan: 100,
    status: "Online",
    administrativeStatus: "Enabled",
    lastStatusChange: "2026-07-08T14:36:33Z",
    updatedAt: "2026-07-01T00:00:00Z",
    authorizationDate: "2025-03-02T13:00:00Z",
    rxDbm: -22,
    oltRxDbm: -24,
    distanceM: 1447,
    ...over,
  };
}

/** Six ONUs on two OLTs: one of each status, a Warning and a Critical level, a bridged one with no user. */
export function makeWorld(): SmartOltWorld {
  return {
    token: TOKEN,
    // UTC-3 all year: 14:36:33Z is 11:36:33 on the wire.
    timezone: "America/Argentina/Buenos_Aires",
    olts: [
      { id: 1, name: "HAWEI", hardwareVersion: "Huawei-MA5608T", ip: "10.0.0.2" },
      { id: 2, name: "NORTE-ZTE", hardwareVersion: "ZTE-C320", ip: "10.0.0.3" },
    ],
    zones: [
      { id: 1, name: "Centro" },
      { id: 2, name: "Norte" },
    ],
    odbs: [
      { id: 1, name: "NAP-01", zoneId: 1, ports: 8 },
      { id: 2, name: "NAP-02", zoneId: 2, ports: 16 },
    ],
    onus: [
      makeOnu({ externalId: "TPLG2A561D98", rxDbm: -24.95, oltRxDbm: -30.46 }),
      makeOnu({
        externalId: "HWTC0113B892",
        port: 1,
        onu: 1,
        zoneId: 2,
        odbId: 2,
        status: "LOS",
        rxDbm: null,
        oltRxDbm: null,
        username: null,
        mode: "Bridging",
        lastStatusChange: "2026-07-10T11:00:00Z",
      }),
      makeOnu({
        externalId: "HWTC0113B893",
        port: 1,
        onu: 2,
        zoneId: 2,
        odbId: 2,
        status: "Power fail",
        lastStatusChange: "2026-07-10T11:05:00Z",
      }),
      makeOnu({
        externalId: "ZTEG00000001",
        oltId: 2,
        board: 1,
        zoneId: 2,
        odbId: null,
        odbPort: null,
        rxDbm: -20,
        oltRxDbm: -22.5,
      }),
      // Offline with a stale level in the world: SmartOLT shows no reading for it.
      makeOnu({ externalId: "TPLG00000005", onu: 5, status: "Offline", rxDbm: -25, updatedAt: "2026-07-09T15:00:00Z" }),
      makeOnu({ externalId: "TPLG00000006", onu: 6, rxDbm: -26, oltRxDbm: -33.1, updatedAt: "2026-07-09T16:00:00Z" }),
    ],
  };
}

export function makeScenario(world: SmartOltWorld = makeWorld()): Scenario {
  return {
    name: "smartolt-unit",
    now: START.toISOString(),
    smartolt: world,
    ispcube: { apiKey: "", clientId: "", username: "", password: "", customers: [], plans: [], nodes: [], connections: [] },
    routers: [],
  };
}

export interface Fixture {
  sim: SmartOltSim;
  ctx: SimContext;
  /** GET (or `init.method`) `{url}/{path}` with the right token unless `init.headers` says otherwise. */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** `call` and parse the JSON body. */
  json(path: string, init?: RequestInit): Promise<{ res: Response; body: any }>;
}

export async function startFixture(scenario: Scenario = makeScenario(), clock: LabClock = frozenClock()): Promise<Fixture> {
  const ctx: SimContext = { scenario, clock, counters: new CallCounters() };
  const sim = await startSmartOltSim(ctx, { port: 0 });
  const call = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${sim.url}/${path}`, { ...init, headers: init.headers ?? { "X-Token": TOKEN } });
  return {
    sim,
    ctx,
    call,
    async json(path, init) {
      const res = await call(path, init);
      return { res, body: await res.json() };
    },
  };
}
