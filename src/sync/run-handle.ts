import type { SourceResult, SyncJobName, SyncProgress, SyncRunRecord, SyncSourceName } from "./types.js";

/** Progress events closer together than this are coalesced (phase changes always go out). */
const MIN_INTERVAL_MS = 200;

/**
 * One sync run as callers see it: a progress stream that any number of callers can follow (a caller
 * that joins late first gets the latest event of each source), and the final record.
 */
export class RunHandle {
  readonly #latest = new Map<SyncSourceName, SyncProgress>();
  readonly #log: SyncProgress[] = [];
  readonly #wakers = new Set<() => void>();
  readonly #lastSent = new Map<SyncSourceName, number>();
  #finished = false;
  #result: SyncRunRecord | undefined;
  readonly done: Promise<SyncRunRecord>;
  #resolve!: (r: SyncRunRecord) => void;

  constructor(
    readonly id: string,
    readonly job: SyncJobName,
  ) {
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  get finished(): boolean {
    return this.#finished;
  }

  emit(p: Omit<SyncProgress, "runId" | "job" | "at">, at: Date): void {
    const event: SyncProgress = { ...p, runId: this.id, job: this.job, at };
    const previous = this.#latest.get(p.source);
    this.#latest.set(p.source, event);
    const now = at.getTime();
    const samePhase = previous?.phase === p.phase;
    if (samePhase && now - (this.#lastSent.get(p.source) ?? 0) < MIN_INTERVAL_MS) return;
    this.#lastSent.set(p.source, now);
    this.#log.push(event);
    this.#wake();
  }

  finish(result: SyncRunRecord): void {
    this.#finished = true;
    this.#result = result;
    this.#resolve(result);
    this.#wake();
  }

  get result(): SyncRunRecord | undefined {
    return this.#result;
  }

  sourceResults(): SourceResult[] {
    return this.#result?.sources ?? [];
  }

  /** Events from now on, preceded by the latest one of each source when joining a run in progress. */
  async *follow(opts: { join: boolean; signal?: AbortSignal }): AsyncGenerator<SyncProgress> {
    let index = this.#log.length;
    if (opts.join) yield* [...this.#latest.values()];
    else index = 0;
    while (!opts.signal?.aborted) {
      while (index < this.#log.length) yield this.#log[index++] as SyncProgress;
      if (this.#finished) return;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#wakers.delete(wake);
          opts.signal?.removeEventListener("abort", wake);
          resolve();
        };
        this.#wakers.add(wake);
        opts.signal?.addEventListener("abort", wake, { once: true });
      });
    }
  }

  #wake(): void {
    for (const w of [...this.#wakers]) w();
  }
}
