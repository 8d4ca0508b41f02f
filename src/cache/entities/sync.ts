import { EntitySchema } from "@mikro-orm/core";
import type { RunOutcome, SyncJobName } from "../../sync/types.js";

export interface SyncRunRow {
  id: string;
  job: SyncJobName;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: RunOutcome;
  /** JSON array of per-source results (SourceResult). */
  sources: string;
}

export const SyncRunSchema = new EntitySchema<SyncRunRow>({
  name: "SyncRun",
  tableName: "sync_run",
  properties: {
    id: { type: "string", primary: true },
    job: { type: "string" },
    startedAt: { type: "datetime" },
    finishedAt: { type: "datetime", nullable: true },
    outcome: { type: "string" },
    sources: { type: "string" },
  },
  indexes: [{ name: "sync_run_job", properties: ["job", "startedAt"] }],
});

/** Per source ("ispcube", "smartolt", "routeros", "smartolt.status", "smartolt.signals", "router:<host>:<port>"): how fresh the cache is. */
export interface SourceStateRow {
  source: string;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  stale: boolean;
  error: string | null;
  /** JSON object of row counts. */
  counts: string;
}

export const SourceStateSchema = new EntitySchema<SourceStateRow>({
  name: "SourceState",
  tableName: "source_state",
  properties: {
    source: { type: "string", primary: true },
    lastAttemptAt: { type: "datetime", nullable: true },
    lastSuccessAt: { type: "datetime", nullable: true },
    stale: { type: "boolean" },
    error: { type: "string", nullable: true },
    counts: { type: "string" },
  },
});

/** A lease so only one process (or replica) runs a sync job at a time. */
export interface SyncLockRow {
  name: string;
  owner: string;
  expiresAt: Date;
}

export const SyncLockSchema = new EntitySchema<SyncLockRow>({
  name: "SyncLock",
  tableName: "sync_lock",
  properties: {
    name: { type: "string", primary: true },
    owner: { type: "string" },
    expiresAt: { type: "datetime" },
  },
});
