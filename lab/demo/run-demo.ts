import { existsSync } from "node:fs";
import pretty from "pino-pretty";
import { loadConfig, type Env } from "../../src/config.js";
import { createAppContext, type AppContext } from "../../src/context.js";
import { createLogger, type Logger } from "../../src/logger.js";
import type { CreatedKey, KeyStore } from "../../src/auth/keys.js";
import { startLab } from "../lab.js";
import { beholderEnvForLab } from "../beholder-env.js";
import { demoScenario, DEMO_SUBSCRIBERS } from "../scenario/demo.js";
import { createServer, type BeholderServer } from "../../src/server/server.js";
import { SyncBusyError } from "../../src/sync/runner.js";
import type { SyncJobName } from "../../src/sync/types.js";
import { demoSummary, sourceLine, sourceNote } from "./demo-text.js";

export interface DemoOptions {
  /** The environment (normally `process.env`); the lab's addresses and the demo's settings win over it. */
  env: Env;
  /** 0 for any free port; default PORT from `env`, else 8500 with a free port as fallback. */
  port?: number;
  /** Default `data/demo.db`, kept between runs. */
  dbPath?: string;
  out: (line: string) => void;
  /** Aborting it during start-up stops what has started and rejects. */
  signal?: AbortSignal;
  /** Default: readable pino-pretty lines on stderr. */
  logger?: Logger;
}

export interface Demo {
  url: string;
  key: string;
  controlUrl: string;
  close(): Promise<void>;
}

const DEFAULT_PORT = 8500;
const DEMO_KEY = "demo";

/**
 * The quick start: the lab on the demo ISP, Beholder pointed at it (scheduled status refresh on),
 * the first inventory and status sync, a fresh read+admin key, and a block of commands that work
 * against this very run.
 */
export async function runDemo(opts: DemoOptions): Promise<Demo> {
  const { env, out, signal } = opts;
  const dbPath = opts.dbPath ?? "data/demo.db";
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const started = performance.now();
    const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    out(`Starting the lab: the demo ISP (${DEMO_SUBSCRIBERS.toLocaleString("en-US")} subscribers plus every triage case)…`);
    const lab = await startLab({ scenario: demoScenario(new Date().toISOString()) });
    closers.push(() => lab.close());
    out(`  SmartOLT, ISPCube and ${lab.routers.length} RouterOS simulators up after ${elapsed()}; control API ${lab.control.url}`);
    signal?.throwIfAborted();

    const config = loadConfig({
      ...env,
      ...beholderEnvForLab(lab),
      // A production MK_HOST in the environment must not join the demo's routers.
      MK_HOST: "",
      DB_PATH: dbPath,
      HOST: "127.0.0.1",
      PORT: String(opts.port ?? env.PORT ?? DEFAULT_PORT),
      SYNC_SCHEDULE: "on",
      // Warnings only while the demo tells its own story; one line per RPC once the summary is out.
      LOG_LEVEL: env.LOG_LEVEL ?? "warn",
      LOG_FORMAT: "pretty",
    });
    const logger = opts.logger ?? createLogger(config.log, prettyStderr());
    const reused = existsSync(dbPath);
    const app = await createAppContext(config, { logger });
    closers.push(() => app.close());
    const server = createServer(app);
    closers.push(() => server.close());
    const fallback = opts.port === undefined && env.PORT === undefined;
    const { url } = await listen(server, config.server.port, fallback, out);
    out(`Beholder listening on ${url}, cache ${dbPath}${reused ? " (from an earlier demo: keys and data kept)" : ""}`);
    signal?.throwIfAborted();

    for (const job of ["inventory", "status"] as const) await sync(app, job, out, signal);
    out(`Ready after ${elapsed()}.`);
    const key = await issueDemoKey(app.keys);
    for (const line of demoSummary({ url, key: key.key, keyName: key.name, controlUrl: lab.control.url, dbPath })) out(line);
    if (opts.logger === undefined && env.LOG_LEVEL === undefined) logger.level = "info";
    return { url, key: key.key, controlUrl: lab.control.url, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Listens on `port`; when that is the default and it is taken, on any free port, saying so. */
async function listen(server: BeholderServer, port: number, fallback: boolean, out: (line: string) => void): Promise<{ url: string }> {
  try {
    return await server.listen(port);
  } catch (err) {
    if (!fallback || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    const address = await server.listen(0);
    out(`Port ${port} is busy, so Beholder takes ${address.port} instead (set PORT to choose one).`);
    return address;
  }
}

/** Runs one job to its end, one line per source as it finishes. */
async function sync(app: AppContext, job: SyncJobName, out: (line: string) => void, signal: AbortSignal | undefined): Promise<void> {
  let handle;
  try {
    handle = app.sync.runner.start(job).handle;
  } catch (err) {
    if (!(err instanceof SyncBusyError)) throw err;
    // A demo killed without Ctrl-C leaves the lease until it expires (two minutes at most).
    out(`  ${job} sync skipped: ${err.message}; the cache keeps its earlier data`);
    return;
  }
  const startedAt = new Date();
  const follow = async (): Promise<void> => {
    for await (const p of handle.follow({ join: false, ...(signal ? { signal } : {}) })) {
      if (p.phase === "done" || p.phase === "failed" || p.phase === "skipped") out(sourceLine(p, startedAt));
    }
  };
  await Promise.race([follow(), aborted(signal)]);
  const record = await Promise.race([handle.done, aborted(signal)]);
  for (const s of record.sources) {
    const note = sourceNote(s);
    if (note) out(note);
  }
}

/** Rotates the `demo` key: keys are stored as hashes, so only a new one can be printed. */
async function issueDemoKey(keys: KeyStore): Promise<CreatedKey> {
  await keys.revoke(DEMO_KEY);
  return keys.create(DEMO_KEY, ["read", "admin"]);
}

function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

function prettyStderr(): ReturnType<typeof pretty> {
  // Synchronous on stderr, so log lines and the demo's own lines on stdout come out in order.
  return pretty({ colorize: process.stderr.isTTY, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,service", singleLine: true, sync: true, destination: 2 });
}
