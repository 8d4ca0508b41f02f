/** A one-router world and a started RouterOS simulator, shared by the routeros-*.test.ts files. */
import { RouterOSAPI } from "node-routeros";
import { createLabClock } from "../../lab/clock.js";
import { CallCounters, type SimContext } from "../../lab/context.js";
import { connectRawRouterOs, type RawRouterOsClient } from "../../lab/routeros/raw-client.js";
import { startRouterOsSim, type RouterOsSim } from "../../lab/routeros/server.js";
import type { RouterVersion, RouterWorld, Scenario } from "../../lab/scenario/types.js";
import { patchHoldPing } from "../../src/vendors/routeros/patches.js";

// Without it a hold ping answered late starts a chain no close() can stop, and the test process
// never exits (patches.ts item 6). The receiver stays unpatched: these tests pin its behaviour.
patchHoldPing();

export const ROUTER = "core-1";
export const API_USER = "beholder";
export const API_PASSWORD = "s3cret";

export function makeRouter(version: RouterVersion = "7.15"): RouterWorld {
  return {
    name: ROUTER,
    identity: "CORE-LP-1",
    version,
    user: API_USER,
    password: API_PASSWORD,
    // These fixtures' wire strings are written in UTC; the lab's default is local time.
    timezone: "UTC",
    secrets: [
      { name: "alice", password: "pw-alice", profile: "10M", service: "pppoe", disabled: false, remoteAddress: "10.20.0.10" },
      {
        name: "bob",
        password: "pw-bob",
        profile: "50M",
        service: "pppoe",
        disabled: false,
        lastLoggedOut: "2025-06-10T09:30:15Z",
        lastCallerId: "aa:bb:cc:00:11:22",
        lastDisconnectReason: "peer-request",
      },
      { name: "carol", password: "pw-carol", profile: "10M", service: "any", disabled: true, comment: "moroso" },
    ],
    profiles: [
      { name: "10M", rateLimit: "2M/10M", localAddress: "10.20.0.1" },
      { name: "50M", rateLimit: "10M/50M", localAddress: "10.20.0.1" },
    ],
    active: [{ name: "alice", address: "10.20.0.10", callerId: "d0:d0:4b:36:7c:c1", since: "2025-06-09T11:00:00Z", rttMs: 9.5 }],
    queues: [{ name: "server-lan", target: "192.168.88.0/24", maxLimit: "100M/100M" }],
    traffic: [{ name: "alice", downloadBps: 8_000_000, uploadBps: 1_000_000 }],
    logs: [
      { time: "2025-06-09T11:00:00Z", topics: "pppoe,ppp,info", message: "<pppoe-alice>: authenticated" },
      { time: "2025-06-10T09:30:15Z", topics: "pppoe,ppp,info", message: "<pppoe-bob>: disconnected" },
    ],
  };
}

export function makeContext(router: RouterWorld = makeRouter()): SimContext {
  const scenario: Scenario = {
    name: "routeros-unit",
    now: "2025-06-10T12:00:00Z",
    smartolt: { token: "x", timezone: "UTC", olts: [], zones: [], odbs: [], onus: [] },
    ispcube: { apiKey: "k", clientId: "1", username: "u", password: "p", customers: [], plans: [], nodes: [], connections: [] },
    routers: [router],
  };
  return { scenario, clock: createLabClock(new Date(scenario.now)), counters: new CallCounters() };
}

/** Tracks what a test opens so `closeAll` leaves nothing behind for the runner. */
export interface Harness {
  ctx: SimContext;
  sim: RouterOsSim;
  api(opts?: { user?: string; password?: string; timeout?: number }): RouterOSAPI;
  raw(): Promise<RawRouterOsClient>;
  /** Raw client, already logged in with the post-6.43 method. */
  rawLoggedIn(): Promise<RawRouterOsClient>;
  closeAll(): Promise<void>;
}

export async function startHarness(router: RouterWorld = makeRouter()): Promise<Harness> {
  const ctx = makeContext(router);
  const sim = await startRouterOsSim(ctx, ROUTER);
  const apis: RouterOSAPI[] = [];
  const raws: RawRouterOsClient[] = [];
  async function raw(): Promise<RawRouterOsClient> {
    const c = await connectRawRouterOs(sim.host, sim.port);
    raws.push(c);
    return c;
  }
  return {
    ctx,
    sim,
    api(opts = {}) {
      const api = new RouterOSAPI({
        host: sim.host,
        port: sim.port,
        user: opts.user ?? API_USER,
        password: opts.password ?? API_PASSWORD,
        timeout: opts.timeout ?? 5,
      });
      // Without a listener an idle timeout or reset kills the process (§2.6 item 6).
      api.on("error", () => {});
      apis.push(api);
      return api;
    },
    raw,
    async rawLoggedIn() {
      const c = await raw();
      c.send(["/login", `=name=${API_USER}`, `=password=${API_PASSWORD}`]);
      const reply = await c.next();
      if (reply[0] !== "!done") throw new Error(`login failed: ${reply.join(" ")}`);
      return c;
    },
    async closeAll() {
      for (const a of apis) {
        // close() sends /quit and waits for the link to end, which a test's faults may never let
        // happen (a suite once sat 10 minutes here after every test had passed): bounded, then the
        // connector is destroyed below either way.
        if (a.connected) await settledWithin(a.close(), 3000);
        const internals = a as unknown as {
          connector?: { destroy(): void } | null;
          connectionHoldInterval?: NodeJS.Timeout;
          keptaliveby?: NodeJS.Timeout;
        };
        // An orphaned write (§2.6 item 5) leaves the hold-ping timer armed after the link is gone.
        clearTimeout(internals.connectionHoldInterval);
        clearTimeout(internals.keptaliveby);
        internals.connector?.destroy();
      }
      for (const r of raws) r.close();
      await sim.close();
    },
  };
}

/** Waits for `p` to settle (either way) or `ms`, whichever comes first; the timer never holds the process. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([p.then(() => {}, () => {}), limit]);
  clearTimeout(timer);
}
