import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../logger.js";
import type { CacheWriter } from "../cache/writes.js";
import { runInventory, runStatus, type JobContext } from "./jobs.js";
import { RunHandle } from "./run-handle.js";
import type { SourceResult, SyncJobName, SyncRunRecord, SyncSourceName, SyncStore, SyncVendors } from "./types.js";

export interface SyncRunnerOptions {
  vendors: SyncVendors;
  writer: CacheWriter;
  state: SyncStore;
  /**
   * Where `lastRun` reads, when not `state`: a connection no commit holds, so a status request does not
   * wait for the running sync's transaction (the sync's connection is a pool of one).
   */
  reads?: SyncStore;
  logger: Logger;
  signalsEveryMs: number;
  historyRetentionMs: number;
  now?: () => Date;
}

/** Why a run could not start. */
export class SyncBusyError extends Error {
  override name = "SyncBusyError";
}

const LOCK = "sync";
const LOCK_TTL_MS = 120_000;

/**
 * Runs sync jobs one at a time. Asking for the job that is already running joins it; asking for
 * another job while one runs, or while another process (the CLI, another replica) holds the lease,
 * is refused with SyncBusyError.
 */
export class SyncRunner {
  readonly #o: SyncRunnerOptions;
  readonly #owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  readonly #now: () => Date;
  readonly #abort = new AbortController();
  #current: RunHandle | undefined;
  /** Starts one at a time: the lease is taken asynchronously, and two callers must not both take it. */
  #starting: Promise<unknown> = Promise.resolve();

  constructor(options: SyncRunnerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Runs left "running" by a killed process are failed, unless a live process holds the lease. */
  async recover(): Promise<void> {
    const { state } = this.#o;
    if (await state.acquireLock(LOCK, this.#owner, 1, this.#now(), holderIsDead)) {
      await state.failOrphanedRuns(this.#now());
      await state.releaseLock(LOCK, this.#owner);
    }
  }

  get current(): RunHandle | undefined {
    return this.#current;
  }

  /** Starts `job` (or joins it when it is already running). */
  start(job: SyncJobName, sources: SyncSourceName[] = []): Promise<{ handle: RunHandle; joined: boolean }> {
    const started = this.#starting.then(() => this.#start(job, sources));
    this.#starting = started.catch(() => undefined);
    return started;
  }

  async #start(job: SyncJobName, sources: SyncSourceName[]): Promise<{ handle: RunHandle; joined: boolean }> {
    const running = this.#current;
    if (running && !running.finished) {
      if (running.job === job) return { handle: running, joined: true };
      throw new SyncBusyError(`a ${running.job} sync is running (run ${running.id}); try again when it ends`);
    }
    if (this.#abort.signal.aborted) throw new SyncBusyError("the sync is shutting down");
    if (!(await this.#o.state.acquireLock(LOCK, this.#owner, LOCK_TTL_MS, this.#now(), holderIsDead))) {
      throw new SyncBusyError("another process is running a sync; try again when it ends");
    }
    const handle = new RunHandle(randomUUID(), job);
    const startedAt = this.#now();
    try {
      await this.#o.state.startRun(handle.id, job, startedAt);
    } catch (err) {
      await this.#o.state.releaseLock(LOCK, this.#owner).catch(() => undefined);
      throw err;
    }
    this.#current = handle;
    void this.#run(handle, startedAt, new Set(sources));
    return { handle, joined: false };
  }

  async #run(handle: RunHandle, startedAt: Date, only: Set<SyncSourceName>): Promise<void> {
    const { state, logger } = this.#o;
    logger.info({ run: handle.id, job: handle.job }, "sync started");
    const renew = setInterval(() => {
      state.acquireLock(LOCK, this.#owner, LOCK_TTL_MS, this.#now()).catch((err: unknown) => logger.warn({ err }, "sync lease renewal failed"));
    }, LOCK_TTL_MS / 4);
    let sources: SourceResult[] = [];
    let crashed = false;
    try {
      const ctx: JobContext = { ...this.#o, handle, now: this.#now, signal: this.#abort.signal };
      sources = handle.job === "inventory" ? await runInventory(ctx, only) : await runStatus(ctx);
    } catch (err) {
      // Sources catch their own failures; reaching here is a bug, but the run must still end.
      logger.error({ run: handle.id, err }, "sync crashed");
      crashed = true;
    } finally {
      clearInterval(renew);
    }
    const outcome = crashed || sources.some((s) => s.outcome === "failed") ? "failed" : "done";
    const finishedAt = this.#now();
    try {
      await state.finishRun(handle.id, outcome, sources, finishedAt);
      await state.releaseLock(LOCK, this.#owner);
    } catch (err) {
      // The run still ends for its callers; the next process fails the run and the lease expires.
      logger.error({ run: handle.id, err }, "sync could not record its end");
    }
    const record: SyncRunRecord = { id: handle.id, job: handle.job, startedAt, finishedAt, outcome, sources };
    // The last join of the run says how ONUs link to subscribers (SMARTOLT_ONU_LINK): an account whose
    // convention the setting misses shows up here as a large `unlinked`.
    const joined = sources.filter((s) => s.counts.onusUnlinked !== undefined).at(-1)?.counts;
    const onuLinks = joined
      ? { byUsername: joined.onusLinkedByUsername ?? 0, byName: joined.onusLinkedByName ?? 0, unlinked: joined.onusUnlinked ?? 0 }
      : undefined;
    logger.info({ run: handle.id, job: handle.job, outcome, ms: finishedAt.getTime() - startedAt.getTime(), ...(onuLinks ? { onuLinks } : {}) }, "sync finished");
    handle.finish(record);
  }

  lastRun(job: SyncJobName): Promise<SyncRunRecord | undefined> {
    return (this.#o.reads ?? this.#o.state).lastRun(job);
  }

  /** Stops a run in progress: its vendor calls are aborted, and nothing half-written is committed. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#current?.done;
  }
}

/** A lease held by a process on this host that no longer exists (killed, crashed) is free. */
function holderIsDead(holder: string): boolean {
  const [host, pid] = holder.split(":");
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
