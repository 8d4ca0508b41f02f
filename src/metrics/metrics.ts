/**
 * Beholder's Prometheus metrics on one registry per app (no module-level registry). Events are
 * counted as they happen (RPCs, vendor calls); states are read at scrape time from whoever owns
 * them (breakers, SmartOLT's budget, the last sync runs, open watches, the cache's files).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SyncRunRecord } from "../sync/types.js";

/** One attempt at a vendor call (src/vendors/guard.ts reports them). */
export interface VendorCallSample {
  vendor: string;
  /** The breaker's name: the vendor, or `routeros:<router>`. */
  breaker: string;
  op: string;
  ms: number;
  /** "ok", or the VendorError kind. */
  outcome: string;
}

/** What the scrape reads; each part is bound by whoever owns it (context.ts, server.ts). */
export interface MetricsSources {
  breakers(): Record<string, string>;
  smartoltBudget(): { used: number; limit: number } | undefined;
  lastSyncRuns(): Promise<SyncRunRecord[]>;
  syncSources(): Promise<{ source: string; lastSuccessAt: Date | null; stale: boolean }[]>;
  cacheFiles(): Record<string, number>;
  watch(): { watchers: number; subscribers: number; trafficStreams: number };
  /** How much a diagnosis starting now would take off DIAG_BUDGET_MS for a late event loop, ms. */
  diagnosisBudgetCutMs(): number;
}

export interface Metrics {
  contentType: string;
  observeRpc(procedure: string, code: string, seconds: number, streaming: boolean): void;
  observeVendorCall(call: VendorCallSample): void;
  bind(sources: Partial<MetricsSources>): void;
  render(): Promise<string>;
}

const BREAKER_VALUE: Record<string, number> = { closed: 0, half_open: 1, open: 2 };

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const bound: Partial<MetricsSources> = {};
  const registers = [registry];

  const rpcs = new Counter({ name: "beholder_rpc_total", help: "RPCs answered, by procedure and Connect code", labelNames: ["procedure", "code"], registers });
  const rpcSeconds = new Histogram({
    name: "beholder_rpc_duration_seconds",
    help: "Unary RPC latency, by procedure and Connect code (streams are counted in beholder_rpc_total only)",
    labelNames: ["procedure", "code"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const vendorCalls = new Counter({ name: "beholder_vendor_calls_total", help: "Vendor call attempts, by vendor, endpoint and outcome (ok or the error kind)", labelNames: ["vendor", "endpoint", "outcome"], registers });
  const vendorErrors = new Counter({ name: "beholder_vendor_errors_total", help: "Vendor call attempts that failed, by vendor, endpoint and error kind", labelNames: ["vendor", "endpoint", "kind"], registers });
  const vendorSeconds = new Histogram({
    name: "beholder_vendor_call_duration_seconds",
    help: "Vendor call attempt latency, by vendor and endpoint",
    labelNames: ["vendor", "endpoint"],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
    registers,
  });

  new Gauge({
    name: "beholder_breaker_state",
    help: "Circuit breaker state per vendor and per router: 0 closed, 1 half-open, 2 open",
    labelNames: ["vendor", "breaker"],
    registers,
    collect() {
      this.reset();
      for (const [name, state] of Object.entries(bound.breakers?.() ?? {})) this.set({ vendor: name.split(":")[0] ?? name, breaker: name }, BREAKER_VALUE[state] ?? -1);
    },
  });
  new Gauge({
    name: "beholder_diagnosis_budget_cut_seconds",
    help: "Taken off a diagnosis' live-read budget now, for the event loop's recent delay (DIAG_BUDGET_BUSY_PERCENT)",
    registers,
    collect() {
      this.set((bound.diagnosisBudgetCutMs?.() ?? 0) / 1000);
    },
  });
  new Gauge({
    name: "beholder_smartolt_budget_remaining_calls",
    help: "Calls left in SmartOLT's rolling hour under Beholder's own budget",
    registers,
    collect() {
      this.reset();
      const b = bound.smartoltBudget?.();
      if (b) this.set(Math.max(0, b.limit - b.used));
    },
  });
  new Gauge({
    name: "beholder_smartolt_budget_limit_calls",
    help: "Beholder's own hourly SmartOLT budget (the account's, less the headroom)",
    registers,
    collect() {
      this.reset();
      const b = bound.smartoltBudget?.();
      if (b) this.set(b.limit);
    },
  });

  const syncDuration = new Gauge({ name: "beholder_sync_last_duration_seconds", help: "Duration of each source in the last run of each job", labelNames: ["job", "source"], registers });
  const syncRows = new Gauge({ name: "beholder_sync_last_rows", help: "Rows written per entity by each source in the last run of each job", labelNames: ["job", "source", "entity"], registers });
  const syncOk = new Gauge({ name: "beholder_sync_last_success", help: "1 when the source succeeded in the last run of the job, else 0", labelNames: ["job", "source"], registers });
  new Gauge({
    name: "beholder_sync_last_run_timestamp_seconds",
    help: "When the last run of each job started",
    labelNames: ["job"],
    registers,
    async collect() {
      this.reset();
      syncDuration.reset();
      syncRows.reset();
      syncOk.reset();
      for (const run of (await bound.lastSyncRuns?.()) ?? []) {
        this.set({ job: run.job }, run.startedAt.getTime() / 1000);
        for (const s of run.sources) {
          syncDuration.set({ job: run.job, source: s.source }, s.durationMs / 1000);
          syncOk.set({ job: run.job, source: s.source }, s.outcome === "done" ? 1 : 0);
          for (const [entity, n] of Object.entries(s.counts)) syncRows.set({ job: run.job, source: s.source, entity }, n);
        }
      }
    },
  });
  const stale = new Gauge({ name: "beholder_sync_source_stale", help: "1 when the cache holds a source's older data because its last sync failed", labelNames: ["source"], registers });
  new Gauge({
    name: "beholder_sync_last_success_timestamp_seconds",
    help: "When each sync source (and each router's secrets) last succeeded",
    labelNames: ["source"],
    registers,
    async collect() {
      this.reset();
      stale.reset();
      for (const s of (await bound.syncSources?.()) ?? []) {
        if (s.lastSuccessAt) this.set({ source: s.source }, s.lastSuccessAt.getTime() / 1000);
        stale.set({ source: s.source }, s.stale ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "beholder_watch_streams",
    help: "Open WatchDiagnosis streams",
    registers,
    collect() {
      this.set(bound.watch?.().watchers ?? 0);
    },
  });
  new Gauge({
    name: "beholder_watch_subjects",
    help: "Subscribers watched (each with one set of pollers)",
    registers,
    collect() {
      this.set(bound.watch?.().subscribers ?? 0);
    },
  });
  new Gauge({
    name: "beholder_cache_bytes",
    help: "Size of the cache database's files",
    labelNames: ["file"],
    registers,
    collect() {
      this.reset();
      for (const [file, bytes] of Object.entries(bound.cacheFiles?.() ?? {})) this.set({ file }, bytes);
    },
  });

  return {
    contentType: registry.contentType,
    observeRpc(procedure, code, seconds, streaming) {
      rpcs.inc({ procedure, code });
      if (!streaming) rpcSeconds.observe({ procedure, code }, seconds);
    },
    observeVendorCall(call) {
      const endpoint = endpointOf(call);
      vendorCalls.inc({ vendor: call.vendor, endpoint, outcome: call.outcome });
      vendorSeconds.observe({ vendor: call.vendor, endpoint }, call.ms / 1000);
      if (call.outcome !== "ok") vendorErrors.inc({ vendor: call.vendor, endpoint, kind: call.outcome });
    },
    bind(sources) {
      Object.assign(bound, sources);
    },
    render: () => registry.metrics(),
  };
}

/**
 * RouterOS ops start with the router (`rb-centro@10.0.0.1:8728 /ppp/active/print`, a name that may hold
 * spaces): the endpoint is the command path, so the series stay bounded whatever the routers.
 */
export function endpointOf(call: Pick<VendorCallSample, "breaker" | "op">): string {
  if (!call.breaker.includes(":")) return call.op;
  const path = call.op.indexOf(" /");
  return path === -1 ? call.op : call.op.slice(path + 1);
}
