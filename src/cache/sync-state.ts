import type { EntityManager } from "@mikro-orm/better-sqlite";
import type { RouterTarget } from "../domain/types.js";
import type { SourceResult, SourceState, SyncRunRecord, SyncStore } from "../sync/types.js";
import { RouterSchema } from "./entities/inventory.js";
import { SourceStateSchema, SyncLockSchema, SyncRunSchema, type SourceStateRow, type SyncRunRow } from "./entities/sync.js";
import type { Orm } from "./orm.js";

/**
 * The sync's bookkeeping through MikroORM: runs, per-source freshness and the job lease. The lease is
 * taken by conditional writes (compare-and-set on the holder), not a lock held across statements, so
 * it works the same on any database MikroORM speaks to.
 */
export function createSyncState(orm: Orm): SyncStore {
  const em = (): EntityManager => orm.em.fork();

  const takeLease = async (name: string, owner: string, expiresAt: Date, now: Date, from?: string): Promise<boolean> => {
    const qb = em().createQueryBuilder(SyncLockSchema).update({ owner, expiresAt });
    // Renew our own lease, take an expired one, or (from) take over a dead holder's.
    if (from !== undefined) qb.where({ name, owner: from });
    else qb.where({ name, $or: [{ owner }, { expiresAt: { $lte: now } }] });
    const res = (await qb.execute("run")) as { affectedRows: number };
    return res.affectedRows > 0;
  };

  return {
    async startRun(id, job, at) {
      await em().insert(SyncRunSchema, { id, job, startedAt: at, finishedAt: null, outcome: "running", sources: "[]" });
    },

    async finishRun(id, outcome, sources, at) {
      await em().nativeUpdate(SyncRunSchema, { id }, { finishedAt: at, outcome, sources: JSON.stringify(sources) });
    },

    async failOrphanedRuns(at) {
      return em().nativeUpdate(SyncRunSchema, { outcome: "running" }, { outcome: "failed", finishedAt: at });
    },

    async lastRun(job) {
      const row = await em().findOne(SyncRunSchema, { job }, { orderBy: { startedAt: "desc" }, disableIdentityMap: true });
      return row ? runRecord(row) : undefined;
    },

    async recordSource(source, at, result) {
      const fork = em();
      const existing = await fork.findOne(SourceStateSchema, { source }, { disableIdentityMap: true });
      const row: SourceStateRow = result.ok
        ? { source, lastAttemptAt: at, lastSuccessAt: at, stale: false, error: null, counts: JSON.stringify(result.counts) }
        : { source, lastAttemptAt: at, lastSuccessAt: existing?.lastSuccessAt ?? null, stale: true, error: result.error, counts: existing?.counts ?? "{}" };
      await fork.upsert(SourceStateSchema, row);
      return sourceState(row);
    },

    async source(source) {
      const row = await em().findOne(SourceStateSchema, { source }, { disableIdentityMap: true });
      return row ? sourceState(row) : undefined;
    },

    async sources() {
      const rows = await em().find(SourceStateSchema, {}, { orderBy: { source: "asc" }, disableIdentityMap: true });
      return rows.map(sourceState);
    },

    async acquireLock(name, owner, ttlMs, now, isDead = () => false) {
      const expiresAt = new Date(now.getTime() + ttlMs);
      if (await takeLease(name, owner, expiresAt, now)) return true;
      const holder = await em().findOne(SyncLockSchema, { name }, { disableIdentityMap: true });
      if (!holder) {
        // Nobody has ever held it: the insert fails if another process got there first.
        try {
          await em().insert(SyncLockSchema, { name, owner, expiresAt });
          return true;
        } catch {
          return false;
        }
      }
      return isDead(holder.owner) && takeLease(name, owner, expiresAt, now, holder.owner);
    },

    async releaseLock(name, owner) {
      await em().nativeDelete(SyncLockSchema, { name, owner });
    },

    async routers(): Promise<RouterTarget[]> {
      const rows = await em().find(RouterSchema, {}, { orderBy: { nodeId: "asc" }, disableIdentityMap: true });
      return rows.map((r) => ({ nodeId: r.nodeId, name: r.name, host: r.host, port: r.port }));
    },
  };
}

function runRecord(row: SyncRunRow): SyncRunRecord {
  const sources = (JSON.parse(row.sources) as (Omit<SourceResult, "dataAsOf"> & { dataAsOf: string | null })[]).map((s) => ({
    ...s,
    dataAsOf: s.dataAsOf === null ? null : new Date(s.dataAsOf),
  }));
  return { id: row.id, job: row.job, startedAt: row.startedAt, finishedAt: row.finishedAt, outcome: row.outcome, sources };
}

function sourceState(row: SourceStateRow): SourceState {
  return {
    source: row.source,
    lastAttemptAt: row.lastAttemptAt,
    lastSuccessAt: row.lastSuccessAt,
    stale: row.stale,
    error: row.error,
    counts: JSON.parse(row.counts) as Record<string, number>,
  };
}
