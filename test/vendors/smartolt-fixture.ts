/** The SmartOLT lab simulator with a real client and guard in front of it, for smartolt-client.test.ts. */
import { Writable } from "node:stream";
import { pino } from "pino";
import type { ResilienceConfig, SmartOltConfig } from "../../src/config.js";
import { createLabClock } from "../../lab/clock.js";
import { CallCounters, type SimContext } from "../../lab/context.js";
import type { Scenario } from "../../lab/scenario/types.js";
import { startSmartOltSim, type SmartOltSim } from "../../lab/smartolt/server.js";
import { createGuard, guardOptionsFor, type Guard, type GuardOptions } from "../../src/vendors/guard.js";
import { createSmartOltClient, type SmartOltClient } from "../../src/vendors/smartolt/client.js";
import { makeScenario, START, TOKEN } from "../lab/smartolt-fixture.js";

export { makeOnu, makeScenario, makeWorld, START, TOKEN } from "../lab/smartolt-fixture.js";

/** A quick breaker; call timeouts generous so a loaded machine does not fail healthy calls (timeout tests set their own). */
export const TEST_RESILIENCE: ResilienceConfig = {
  smartoltTimeoutMs: 10_000,
  ispcubeTimeoutMs: 10_000,
  routerTimeoutMs: 10_000,
  breakerErrorPercent: 50,
  breakerVolume: 3,
  breakerResetMs: 200,
  breakerProbe: true,
  retries: 2,
};

export interface ClientFixture {
  sim: SmartOltSim;
  ctx: SimContext;
  config: SmartOltConfig;
  guard: Guard;
  client: SmartOltClient;
  /** Every log line the client wrote, raw. */
  logText(): string;
  /** Calls the lab counted (and charged to its budget). */
  labCalls(endpoint?: string): number;
  close(): Promise<void>;
}

export interface ClientFixtureOptions {
  scenario?: Scenario;
  config?: Partial<SmartOltConfig>;
  guard?: Partial<GuardOptions>;
}

export async function startClientFixture(o: ClientFixtureOptions = {}): Promise<ClientFixture> {
  const scenario = o.scenario ?? makeScenario();
  // Real time flows (the client paces calls by sleeping), and tests can still jump an hour ahead.
  const ctx: SimContext = { scenario, clock: createLabClock(START), counters: new CallCounters() };
  const sim = await startSmartOltSim(ctx, { port: 0 });
  const config: SmartOltConfig = {
    baseUrl: sim.url,
    token: TOKEN,
    timezone: scenario.smartolt.timezone,
    hourlyBudget: 1000,
    budgetHeadroomPercent: 20,
    callsPerSecond: 10,
    ...o.config,
  };
  const guard = createGuard({ ...guardOptionsFor(TEST_RESILIENCE, "smartolt"), retryBaseMs: 10, ...o.guard });
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString("utf8"));
      cb();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const client = createSmartOltClient(config, guard, { logger, now: () => ctx.clock.now() });
  return {
    sim,
    ctx,
    config,
    guard,
    client,
    logText: () => chunks.join(""),
    labCalls: (endpoint) => ctx.counters.get("smartolt", endpoint),
    close: async () => {
      guard.shutdown();
      await sim.close();
    },
  };
}

/** The rejection of `p`, which must be a rejection. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}
