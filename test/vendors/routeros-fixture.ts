/** Lab routers (real TCP, the RouterOS simulator) and a RouterPool pointed at them. */
import type { ResilienceConfig } from "../../src/config.js";
import type { RouterTarget } from "../../src/domain/types.js";
import { startRouterOsSim, type RouterOsSim } from "../../lab/routeros/server.js";
import type { RouterFault, RouterWorld } from "../../lab/scenario/types.js";
import type { SimContext } from "../../lab/context.js";
import { createRouterPool, type RouterPool, type RouterPoolOptions } from "../../src/vendors/routeros/client.js";
import { API_PASSWORD, API_USER, makeContext, makeRouter } from "../lab/routeros-fixture.js";

export { API_PASSWORD, API_USER, makeRouter };

/**
 * No retries unless a test asks for them. The call timeout is generous so a loaded machine does not
 * turn a healthy call into a timeout; a test that waits for a timeout sets SHORT_TIMEOUT itself.
 */
export const TEST_RESILIENCE: ResilienceConfig = {
  smartoltTimeoutMs: 10_000,
  ispcubeTimeoutMs: 10_000,
  routerTimeoutMs: 10_000,
  breakerErrorPercent: 50,
  breakerVolume: 100,
  breakerResetMs: 60_000,
  breakerProbe: true,
  retries: 0,
};

/** For the tests that wait for a timeout: short enough to keep them quick. */
export const SHORT_TIMEOUT: ResilienceConfig = { ...TEST_RESILIENCE, routerTimeoutMs: 2000 };

export interface PoolHarness {
  ctx: SimContext;
  pool: RouterPool;
  sims: Map<string, RouterOsSim>;
  target(name: string): RouterTarget;
  setFault(router: string, command: string, fault: RouterFault): void;
  clearFaults(): void;
  /** `/login` commands the router received: one per connection opened. */
  logins(router: string): number;
  close(): Promise<void>;
}

export async function startPool(
  routers: RouterWorld[] = [makeRouter()],
  opts: Partial<RouterPoolOptions> & { password?: string } = {},
): Promise<PoolHarness> {
  const [first, ...rest] = routers;
  const ctx = makeContext(first);
  ctx.scenario.routers.push(...rest);
  const sims = new Map<string, RouterOsSim>();
  for (const r of routers) sims.set(r.name, await startRouterOsSim(ctx, r.name));
  const { password, ...poolOpts } = opts;
  const pool = createRouterPool(
    { defaultHost: undefined, port: 8728, user: API_USER, password: password ?? API_PASSWORD, timezone: "UTC" },
    { resilience: TEST_RESILIENCE, now: () => ctx.clock.now(), ...poolOpts },
  );
  return {
    ctx,
    pool,
    sims,
    target(name) {
      const sim = sims.get(name);
      if (!sim) throw new Error(`no sim ${name}`);
      return { name, host: sim.host, port: sim.port, nodeId: 0 };
    },
    setFault(router, command, fault) {
      const faults = (ctx.scenario.faults ??= {});
      const byRouter = (faults.routeros ??= {});
      byRouter[router] = { ...byRouter[router], [command]: fault };
    },
    clearFaults() {
      ctx.scenario.faults = undefined;
    },
    logins: (router) => ctx.counters.get("routeros", `${router} /login`),
    async close() {
      await pool.close();
      for (const s of sims.values()) await s.close();
    },
  };
}

/**
 * A hung call fails its test with a clear message instead of stalling the runner. Generous on
 * purpose: it is a guard against hangs, not a speed check (speed: `npm run bench -- timing`).
 */
export const HANG_GUARD_MS = 20_000;

export function within<T>(p: Promise<T>, ms = HANG_GUARD_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
