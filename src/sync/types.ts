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

export interface SyncProgress {
  runId: string;
  job: SyncJobName;
  source: SyncSourceName;
  phase: SyncPhaseName;
  done: number;
  total: number;
  error?: string;
  at: Date;
}

/** What the sync needs of each vendor client (the clients in src/vendors/ satisfy these). */
export interface SyncVendors {
  ispcube?: {
    customers(opts?: { pageSize?: number; signal?: AbortSignal; onPage?: (done: number) => void }): AsyncIterable<Customer[]>;
    connections(): Promise<Connection[]>;
    plans(): Promise<Plan[]>;
    nodes(): Promise<Node[]>;
  };
  smartolt?: {
    onuInventory(opts?: { signal?: AbortSignal; onPage?: (done: number, total: number) => void }): AsyncIterable<OnuRecord[]>;
    bulkStatuses(): Promise<OnuStatusReading[]>;
    bulkSignals(): Promise<OnuSignalReading[]>;
    /** Beholder's own hourly call budget for the account. */
    budget(): { used: number; limit: number; windowResetsAt: Date };
  };
  routers?: {
    secrets(router: RouterTarget, opts?: { signal?: AbortSignal }): Promise<PppSecret[]>;
  };
  /** The MK_HOST router, when configured. */
  defaultRouter?: RouterTarget;
}
