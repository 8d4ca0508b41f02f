import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Logger } from "../logger.js";

/**
 * WAL checkpoints of the sync's writes, on a worker thread with its own connection. SQLite
 * checkpoints at the COMMIT that finds the WAL past 1,000 pages, on the connection that commits:
 * the sync's, on the event loop. An inventory commit writes tens of MB to the WAL (the subscriber
 * join, its keys and FTS index), and copying them into the database held the loop 0.4-0.56 s at
 * 100,000 subscribers. So the sync's connection does not checkpoint (`wal_autocheckpoint = 0`,
 * orm.ts) and asks this worker after each write (`request`), which copies the WAL with a PASSIVE
 * checkpoint: it never blocks the writer or readers. Requests are coalesced: at most one checkpoint
 * runs, and the next starts no sooner than MIN_INTERVAL_MS after the last one started.
 */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** After a write: a checkpoint soon (coalesced). */
  request(): void;
  /**
   * Resolves after a checkpoint that started after this call has finished, with its WAL frames and
   * those copied into the database (all of them unless a reader still needed some); undefined once closed.
   */
  settled(): Promise<CheckpointResult | undefined>;
  close(): Promise<void>;
}

// Plain CommonJS on purpose: the same source under tsx and in the compiled build, no loader.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 5000");
parentPort.on("message", () => {
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ ok: true, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.message || err) });
  }
});
`;

/**
 * At most one checkpoint starts per this many ms: the sync commits a slice every few ms, and a
 * checkpoint after each copied the same hot pages (B-tree interiors, the staged tables) over and over.
 */
const MIN_INTERVAL_MS = 1_000;

/** `onDead`: the worker is gone (it should not happen); the caller lets its connection checkpoint again. */
export function startCheckpointer(path: string, logger: Logger, onDead: () => void, minIntervalMs = MIN_INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver } });
  // The process may exit with the worker idle (a CLI sync that ended).
  worker.unref();
  let running = false;
  let again = false;
  let lastStart = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  type Waiter = (r: CheckpointResult | undefined) => void;
  let waiters: Waiter[] = [];
  let next: Waiter[] = [];

  const start = (): void => {
    running = true;
    again = false;
    lastStart = performance.now();
    // Those waiting now are served by this checkpoint; later ones by the next.
    waiters = waiters.concat(next);
    next = [];
    worker.postMessage(0);
  };
  worker.on("message", (m: { ok: boolean; error?: string; log?: number; checkpointed?: number }) => {
    if (!m.ok) logger.warn({ err: m.error }, "WAL checkpoint failed; the next write asks again");
    running = false;
    const done = waiters;
    waiters = [];
    const result = m.ok ? { log: m.log ?? 0, checkpointed: m.checkpointed ?? 0 } : undefined;
    for (const w of done) w(result);
    if (next.length > 0 && !closed) start();
    else if (again && !closed) later();
  });
  /** The next checkpoint, once the interval since the last start has passed. */
  const later = (): void => {
    if (running || timer) return;
    const wait = lastStart + minIntervalMs - performance.now();
    if (wait <= 0) return start();
    timer = setTimeout(() => {
      timer = undefined;
      if (!running && !closed) start();
    }, wait);
    timer.unref();
  };
  const dead = (err: unknown): void => {
    if (closed) return;
    closed = true;
    logger.error({ err }, "the WAL checkpoint worker died; the sync's connection checkpoints again");
    for (const w of [...waiters, ...next]) w(undefined);
    waiters = [];
    next = [];
    onDead();
  };
  worker.on("error", dead);
  worker.on("exit", (code) => dead(new Error(`exited with code ${code}`)));

  return {
    request() {
      if (closed) return;
      if (running) again = true;
      else later();
    },
    settled() {
      if (closed) return Promise.resolve(undefined);
      return new Promise<CheckpointResult | undefined>((resolve) => {
        next.push(resolve);
        if (!running) {
          clearTimeout(timer);
          timer = undefined;
          start();
        }
      });
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      for (const w of [...waiters, ...next]) w(undefined);
      waiters = [];
      next = [];
      await worker.terminate();
    },
  };
}
