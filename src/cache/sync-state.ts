import type { RouterTarget } from "../domain/types.js";
import type { Sqlite } from "./db.js";

export type RunOutcome = "running" | "done" | "failed";

export interface SourceResult {
  source: string;
  outcome: "done" | "failed" | "skipped";
  counts: Record<string, number>;
  durationMs: number;
  error?: string;
  /** The cache keeps this source's earlier data because this run failed. */
  stale: boolean;
  dataAsOf: Date | null;
}

export interface SyncRunRecord {
  id: string;
  job: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: RunOutcome;
  sources: SourceResult[];
}

export interface SourceState {
  source: string;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  stale: boolean;
  error: string | null;
  counts: Record<string, number>;
}

const date = (n: number | null): Date | null => (n === null ? null : new Date(n));

/** Sync bookkeeping: runs, per-source freshness and the job lease. */
export function createSyncState(db: Sqlite) {
  return {
    startRun(id: string, job: string, at: Date): void {
      db.prepare("insert into sync_run (id, job, started_at, outcome, sources) values (?, ?, ?, 'running', '[]')").run(id, job, at.getTime());
    },

    finishRun(id: string, outcome: RunOutcome, sources: SourceResult[], at: Date): void {
      db.prepare("update sync_run set finished_at = ?, outcome = ?, sources = ? where id = ?").run(at.getTime(), outcome, JSON.stringify(sources), id);
    },

    /** A run left "running" by a process that died is failed, not running forever. */
    failOrphanedRuns(at: Date): number {
      return db.prepare("update sync_run set outcome = 'failed', finished_at = ? where outcome = 'running'").run(at.getTime()).changes;
    },

    lastRun(job: string): SyncRunRecord | undefined {
      const row = db.prepare("select * from sync_run where job = ? order by started_at desc limit 1").get(job) as
        | { id: string; job: string; started_at: number; finished_at: number | null; outcome: RunOutcome; sources: string }
        | undefined;
      if (!row) return undefined;
      const sources = (JSON.parse(row.sources) as (Omit<SourceResult, "dataAsOf"> & { dataAsOf: string | null })[]).map((s) => ({
        ...s,
        dataAsOf: s.dataAsOf === null ? null : new Date(s.dataAsOf),
      }));
      return { id: row.id, job: row.job, startedAt: new Date(row.started_at), finishedAt: date(row.finished_at), outcome: row.outcome, sources };
    },

    recordSource(source: string, at: Date, result: { ok: true; counts: Record<string, number> } | { ok: false; error: string }): SourceState {
      if (result.ok) {
        db.prepare(`insert into source_state (source, last_attempt_at, last_success_at, stale, error, counts) values (?, ?, ?, 0, null, ?)
          on conflict (source) do update set last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
          stale = 0, error = null, counts = excluded.counts`).run(source, at.getTime(), at.getTime(), JSON.stringify(result.counts));
      } else {
        db.prepare(`insert into source_state (source, last_attempt_at, stale, error) values (?, ?, 1, ?)
          on conflict (source) do update set last_attempt_at = excluded.last_attempt_at, stale = 1, error = excluded.error`).run(
          source, at.getTime(), result.error);
      }
      return this.source(source) as SourceState;
    },

    source(source: string): SourceState | undefined {
      const row = db.prepare("select * from source_state where source = ?").get(source) as
        | { source: string; last_attempt_at: number | null; last_success_at: number | null; stale: number; error: string | null; counts: string }
        | undefined;
      if (!row) return undefined;
      return {
        source: row.source,
        lastAttemptAt: date(row.last_attempt_at),
        lastSuccessAt: date(row.last_success_at),
        stale: row.stale === 1,
        error: row.error,
        counts: JSON.parse(row.counts) as Record<string, number>,
      };
    },

    /**
     * Takes or renews the lease on `name` for `owner`; false when another owner holds it, unless
     * `isDead(holder)` says that owner is gone (a killed process on this host).
     */
    acquireLock(name: string, owner: string, ttlMs: number, now: Date, isDead: (holder: string) => boolean = () => false): boolean {
      const take = db.transaction(() => {
        const row = db.prepare("select owner, expires_at from sync_lock where name = ?").get(name) as { owner: string; expires_at: number } | undefined;
        if (row && row.owner !== owner && row.expires_at > now.getTime() && !isDead(row.owner)) return false;
        db.prepare("insert into sync_lock (name, owner, expires_at) values (?, ?, ?) on conflict (name) do update set owner = excluded.owner, expires_at = excluded.expires_at")
          .run(name, owner, now.getTime() + ttlMs);
        return true;
      });
      return take.immediate();
    },

    /** The routers of the last successful ISPCube inventory (for a run whose ISPCube part failed). */
    routers(): RouterTarget[] {
      const rows = db.prepare("select node_id, name, host, port from router order by node_id").all() as
        { node_id: number; name: string; host: string; port: number }[];
      return rows.map((r) => ({ nodeId: r.node_id, name: r.name, host: r.host, port: r.port }));
    },

    releaseLock(name: string, owner: string): void {
      db.prepare("delete from sync_lock where name = ? and owner = ?").run(name, owner);
    },
  };
}

export type SyncState = ReturnType<typeof createSyncState>;
