/** An ISPCube client wired to the lab simulator, with small guard budgets for fast tests. */
import type { IspCubeConfig } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createGuard, type Guard, type GuardOptions } from "../../src/vendors/guard.js";
import { createIspCubeClient, type IspCubeClient } from "../../src/vendors/ispcube/client.js";
import { API_KEY, CLIENT_ID, PASSWORD, startLab, USERNAME, type Lab } from "../lab/ispcube-fixture.js";
import type { Scenario } from "../../lab/scenario/types.js";

export function testGuardOptions(overrides: Partial<GuardOptions> = {}): GuardOptions {
  return {
    vendor: "ispcube",
    name: "ispcube",
    timeoutMs: 10_000,
    errorThresholdPercent: 50,
    volumeThreshold: 100,
    resetTimeoutMs: 30_000,
    retries: 2,
    retryBaseMs: 5,
    maxRetryWaitMs: 1000,
    ...overrides,
  };
}

export function labConfig(url: string): IspCubeConfig {
  return { baseUrl: url, apiKey: API_KEY, user: USERNAME, password: PASSWORD, clientId: CLIENT_ID };
}

/** Every line the client logged, at trace level, to check that no secret ever reaches a log. */
export interface CapturedLogger {
  logger: Logger;
  lines: string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const logger = createLogger({ level: "trace", format: "json" }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

export interface ClientLab {
  lab: Lab;
  client: IspCubeClient;
  guard: Guard;
  log: CapturedLogger;
  /** Calls the lab counted for an endpoint (e.g. "sanctum/token"), or all of them. */
  calls(endpoint?: string): number;
  close(): Promise<void>;
}

export interface ClientLabOptions {
  guard?: Partial<GuardOptions>;
  scenario?: Scenario;
  /** The client's clock; the lab's by default. */
  now?: () => Date;
  baseUrl?: (url: string) => string;
}

export async function startClientLab(opts: ClientLabOptions = {}): Promise<ClientLab> {
  const lab = await startLab(opts.scenario);
  const guard = createGuard(testGuardOptions(opts.guard));
  const log = captureLogger();
  const baseUrl = opts.baseUrl ? opts.baseUrl(lab.sim.url) : lab.sim.url;
  const client = createIspCubeClient(labConfig(baseUrl), guard, {
    logger: log.logger,
    now: opts.now ?? (() => lab.clock.now()),
  });
  return {
    lab,
    client,
    guard,
    log,
    calls: (endpoint) => lab.ctx.counters.get("ispcube", endpoint),
    async close() {
      guard.shutdown();
      await lab.close();
    },
  };
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
