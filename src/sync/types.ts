import type {
  Connection,
  Customer,
  Node,
  OnuRecord,
  OnuSignalReading,
  OnuStatusReading,
  Plan,
  PppSecret,
  RouterTarget,
} from "../domain/types.js";

export type SyncJobName = "inventory" | "status";
export type SyncSourceName = "ispcube" | "smartolt" | "routeros";
export type SyncPhaseName = "queued" | "fetching" | "writing" | "done" | "failed" | "skipped";
export type SourceOutcome = "done" | "failed" | "skipped";
export type RunOutcome = "running" | "done" | "failed";

/** What kind of failure a router's was: a closed port reads differently from a dropped connection. */
export type TargetFailureReason = "connection_refused" | "connection_reset" | "timeout" | "auth" | "protocol" | "other";

/** One part of a source that failed while the rest succeeded: a router that did not answer. */
export interface TargetFailure {
  /** The router's name as the inventory knows it. */
  target: string;
  error: string;
  /** The router's API address: two routers behind one public address differ by port. */
  host?: string;
  port?: number;
  reason?: TargetFailureReason;
}

export interface SyncProgress {
  runId: string;
  job: SyncJobName;
  source: SyncSourceName;
  phase: SyncPhaseName;
  done: number;
  total: number;
  error?: string;
  /** Routers that failed although the source as a whole went on. */
  failures?: TargetFailure[];
  at: Date;
}

export interface SourceResult {
  source: SyncSourceName;
  outcome: SourceOutcome;
  counts: Record<string, number>;
  durationMs: number;
  error?: string;
  /** Routers that failed in a source that is otherwise done; they keep their previous secrets. */
  failures?: TargetFailure[];
  /** The cache keeps this source's earlier data because this run failed. */
  stale: boolean;
  dataAsOf: Date | null;
}

export interface SyncRunRecord {
  id: string;
  job: SyncJobName;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: RunOutcome;
  sources: SourceResult[];
}

/** How fresh one source's data is ("ispcube", "smartolt", "smartolt.status", "router:<host>:<port>", ...). */
export interface SourceState {
  source: string;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  stale: boolean;
  error: string | null;
  counts: Record<string, number>;
}

export type SourceAttempt = { ok: true; counts: Record<string, number> } | { ok: false; error: string };

/** What the sync keeps about itself (src/cache/sync-state.ts implements it): runs, freshness, the lease. */
export interface SyncStore {
  startRun(id: string, job: SyncJobName, at: Date): Promise<void>;
  finishRun(id: string, outcome: RunOutcome, sources: SourceResult[], at: Date): Promise<void>;
  /** A run left "running" by a process that died is failed, not running forever. */
  failOrphanedRuns(at: Date): Promise<number>;
  lastRun(job: SyncJobName): Promise<SyncRunRecord | undefined>;
  recordSource(source: string, at: Date, result: SourceAttempt): Promise<SourceState>;
  source(source: string): Promise<SourceState | undefined>;
  /** Every source's state, for health. */
  sources(): Promise<SourceState[]>;
  /**
   * Takes or renews the lease on `name` for `owner`; false when another owner holds it, unless
   * `isDead(holder)` says that owner is gone (a killed process on this host).
   */
  acquireLock(name: string, owner: string, ttlMs: number, now: Date, isDead?: (holder: string) => boolean): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;
  /** The routers of the last successful ISPCube inventory (for a run whose ISPCube part failed). */
  routers(): Promise<RouterTarget[]>;
}

/** Per vendor call: the run's abort signal, so stopping a sync stops its requests too. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** What the sync needs of each vendor client (the clients in src/vendors/ satisfy these). */
export interface SyncVendors {
  ispcube?: {
    customers(opts?: { pageSize?: number; signal?: AbortSignal; onPage?: (done: number) => void }): AsyncIterable<Customer[]>;
    connections(opts?: CallOptions): Promise<Connection[]>;
    plans(opts?: CallOptions): Promise<Plan[]>;
    nodes(opts?: CallOptions): Promise<Node[]>;
  };
  smartolt?: {
    onuInventory(opts?: { signal?: AbortSignal; onPage?: (done: number, total: number) => void }): AsyncIterable<OnuRecord[]>;
    bulkStatuses(filter: Record<string, never>, opts?: CallOptions): Promise<OnuStatusReading[]>;
    bulkSignals(filter: Record<string, never>, opts?: CallOptions): Promise<OnuSignalReading[]>;
    /** Beholder's own hourly call budget for the account. */
    budget(): { used: number; limit: number; windowResetsAt: Date };
  };
  routers?: {
    secrets(router: RouterTarget, opts?: CallOptions): Promise<PppSecret[]>;
    activeSessions(router: RouterTarget, opts?: { signal?: AbortSignal }): Promise<{ name: string }[]>;
  };
  /** The MK_HOST router, when configured. */
  defaultRouter?: RouterTarget;
}
