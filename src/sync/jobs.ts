import type { Logger } from "../logger.js";
import type { CacheWriter, SourceStamp } from "../cache/writes.js";
import { routerStateKey, sameRouter, type RouterTarget } from "../domain/types.js";
import type { RunHandle } from "./run-handle.js";
import type { SourceResult, SyncSourceName, SyncStore, SyncVendors, TargetFailure, TargetFailureReason } from "./types.js";

export interface JobContext {
  handle: RunHandle;
  vendors: SyncVendors;
  writer: CacheWriter;
  state: SyncStore;
  logger: Logger;
  now: () => Date;
  signal: AbortSignal;
  signalsEveryMs: number;
  historyRetentionMs: number;
}

const ROUTER_CONCURRENCY = 4;
/** SmartOLT's largest page (shared/vendors/smartolt.md §2.2), the client's default. */
const INVENTORY_PAGE_SIZE = 100;

/** What a source's work reports: its counts (`total` for progress), and the parts of it that failed. */
interface SourceWork {
  counts: Record<string, number>;
  /** Progress "done" when it is not `total` (routers that answered, of all of them). */
  done?: number;
  failures?: TargetFailure[];
}

/**
 * Runs one source: its pages are staged as they arrive, then committed in one transaction (the
 * writer's). A failure at any point leaves the source's previous snapshot in place and marks it stale.
 */
async function runSource(
  ctx: JobContext,
  source: SyncSourceName,
  stateKey: string,
  work: (stamp: SourceStamp) => Promise<SourceWork>,
): Promise<SourceResult> {
  const started = ctx.now();
  ctx.handle.emit({ source, phase: "fetching", done: 0, total: 0 }, started);
  try {
    const { counts, done, failures } = await work({ source: stateKey, at: started });
    const at = ctx.now();
    await ctx.state.recordSource(stateKey, started, { ok: true, counts });
    const total = counts.total ?? 0;
    const partial = failures && failures.length > 0 ? { failures, error: failureText(failures, total) } : {};
    ctx.handle.emit({ source, phase: "done", done: done ?? total, total, ...partial }, at);
    return { source, outcome: "done", counts, durationMs: at.getTime() - started.getTime(), ...partial, stale: false, dataAsOf: started };
  } catch (err) {
    const error = errorText(err);
    ctx.logger.warn({ source, err: error }, "sync source failed; keeping its previous data");
    const state = await ctx.state.recordSource(stateKey, started, { ok: false, error });
    const at = ctx.now();
    ctx.handle.emit({ source, phase: "failed", done: 0, total: 0, error }, at);
    return { source, outcome: "failed", counts: {}, durationMs: at.getTime() - started.getTime(), error, stale: true, dataAsOf: state.lastSuccessAt };
  }
}

function skipped(ctx: JobContext, source: SyncSourceName, why: string): SourceResult {
  ctx.handle.emit({ source, phase: "skipped", done: 0, total: 0, error: why }, ctx.now());
  return { source, outcome: "skipped", counts: {}, durationMs: 0, error: why, stale: false, dataAsOf: null };
}

/** Nodes and routers, plans, connections and customers from ISPCube; ONUs from SmartOLT; then every router's secrets. */
export async function runInventory(ctx: JobContext, only: Set<SyncSourceName>): Promise<SourceResult[]> {
  const want = (s: SyncSourceName): boolean => only.size === 0 || only.has(s);
  let routers: RouterTarget[] | undefined;

  const ispcube = async (): Promise<SourceResult> => {
    const client = ctx.vendors.ispcube;
    if (!want("ispcube")) return skipped(ctx, "ispcube", "not requested");
    if (!client) return skipped(ctx, "ispcube", "ISPCube is not configured");
    return runSource(ctx, "ispcube", "ispcube", async (stamp) => {
      await ctx.writer.resetStage("customer", "connection");
      let customers = 0;
      const call = { signal: ctx.signal };
      for await (const page of client.customers(call)) {
        await ctx.writer.stageCustomers(page);
        customers += page.length;
        ctx.handle.emit({ source: "ispcube", phase: "fetching", done: customers, total: 0 }, ctx.now());
      }
      const [connections, plans, nodes] = await Promise.all([client.connections(call), client.plans(call), client.nodes(call)]);
      await ctx.writer.stageConnections(connections);
      const mikrotik = nodes
        .filter((n) => n.type.toLowerCase() === "mikrotik")
        .map((n) => ({ nodeId: n.id, name: n.name, host: n.host, port: n.port, type: n.type }));
      const d = ctx.vendors.defaultRouter;
      // MK_HOST:MK_PORT is the same router as a node at that host and port, not a second one.
      const all = d && !mikrotik.some((r) => sameRouter(r, d)) ? [...mikrotik, { ...d, type: "Mikrotik" }] : mikrotik;
      ctx.handle.emit({ source: "ispcube", phase: "writing", done: customers, total: customers }, ctx.now());
      const counts = await ctx.writer.commitIspCube({ plans, routers: all }, stamp);
      routers = all;
      return { counts: { ...counts, total: customers } };
    });
  };

  const smartolt = async (): Promise<SourceResult> => {
    const client = ctx.vendors.smartolt;
    if (!want("smartolt")) return skipped(ctx, "smartolt", "not requested");
    if (!client) return skipped(ctx, "smartolt", "SmartOLT is not configured");
    return runSource(ctx, "smartolt", "smartolt", async (stamp) => {
      await ctx.writer.resetStage("onu");
      let done = 0;
      let checked = false;
      const stop = new AbortController();
      const onPage = (received: number, total: number): void => {
        ctx.handle.emit({ source: "smartolt", phase: "fetching", done: received, total }, ctx.now());
        if (checked) return;
        checked = true;
        // After the first page the size of the job is known: do not spend the budget on a run that cannot finish.
        const pagesLeft = Math.ceil(total / INVENTORY_PAGE_SIZE) - 1;
        const { used, limit, windowResetsAt } = client.budget();
        if (pagesLeft > limit - used) {
          stop.abort(
            new Error(
              `the ONU inventory needs ${pagesLeft} more SmartOLT calls but only ${limit - used} of this hour's ${limit} remain ` +
                `(SMARTOLT_HOURLY_BUDGET less SMARTOLT_BUDGET_HEADROOM_PERCENT; window frees at ${windowResetsAt.toISOString()}); ` +
                "the cache keeps the previous inventory",
            ),
          );
        }
      };
      const signal = AbortSignal.any([ctx.signal, stop.signal]);
      for await (const page of client.onuInventory({ signal, onPage })) {
        if (stop.signal.aborted) throw stop.signal.reason;
        await ctx.writer.stageOnus(page, ctx.now());
        done += page.length;
      }
      ctx.handle.emit({ source: "smartolt", phase: "writing", done, total: done }, ctx.now());
      return { counts: { ...(await ctx.writer.commitSmartOlt(stamp)), total: done } };
    });
  };

  const [ispResult, oltResult] = await Promise.all([ispcube(), smartolt()]);
  const routerResult = await routerSecrets(ctx, want("routeros"), routers ?? (await cachedRouters(ctx)));
  return [ispResult, oltResult, routerResult];
}

async function routerSecrets(ctx: JobContext, wanted: boolean, routers: RouterTarget[]): Promise<SourceResult> {
  const pool = ctx.vendors.routers;
  if (!wanted) return skipped(ctx, "routeros", "not requested");
  if (!pool) return skipped(ctx, "routeros", "RouterOS credentials are not configured");
  if (routers.length === 0) return skipped(ctx, "routeros", "no routers known (no ISPCube Mikrotik nodes and no MK_HOST)");
  return runSource(ctx, "routeros", "routeros", async (stamp) => {
    await ctx.writer.resetStage("ppp_secret");
    const answered: number[] = [];
    // Marked fresh only once their secrets are committed: a run that dies before leaves them as they were.
    const fresh: { key: string; started: Date; secrets: number }[] = [];
    const failed: TargetFailure[] = [];
    let done = 0;
    // A router is its host and port: nodes that name the same one (or MK_HOST) read it once. Several
    // routers may share one public address on different ports, and those are read apart.
    const queue = distinctRouters(routers);
    const worker = async (): Promise<void> => {
      for (let router = queue.shift(); router; router = queue.shift()) {
        const started = ctx.now();
        const key = routerStateKey(router);
        try {
          const secrets = await pool.secrets(router, { signal: ctx.signal });
          await ctx.writer.stageSecrets(router.nodeId, secrets);
          answered.push(router.nodeId);
          fresh.push({ key, started, secrets: secrets.length });
        } catch (err) {
          // A router that is down fails only its own secrets: the others still refresh.
          failed.push({ target: router.name, error: errorText(err), host: router.host, port: router.port, reason: failureReason(err) });
          await ctx.state.recordSource(key, started, { ok: false, error: errorText(err) });
        }
        const progress = failed.length > 0 ? { failures: [...failed], error: failureText(failed, total) } : {};
        ctx.handle.emit({ source: "routeros", phase: "fetching", done: ++done, total, ...progress }, ctx.now());
      }
    };
    const total = queue.length;
    await Promise.all(Array.from({ length: Math.min(ROUTER_CONCURRENCY, total) }, worker));
    if (answered.length === 0) throw new Error(`every router failed: ${failed.map((f) => `${f.target} (${f.host}:${f.port}): ${f.error}`).join("; ")}`);
    ctx.handle.emit({ source: "routeros", phase: "writing", done: total, total }, ctx.now());
    const counts = await ctx.writer.commitRouterSecrets(answered, routers.map((r) => r.nodeId), stamp);
    for (const r of fresh) await ctx.state.recordSource(r.key, r.started, { ok: true, counts: { secrets: r.secrets } });
    if (failed.length > 0) ctx.logger.warn({ failed }, "some routers kept their previous secrets");
    return { counts: { ...counts, routersFailed: failed.length, total }, done: answered.length, failures: failed };
  });
}

/** The routers the cache knows from earlier runs, plus MK_HOST: used when ISPCube failed this run. */
async function cachedRouters(ctx: JobContext): Promise<RouterTarget[]> {
  const routers = await ctx.state.routers();
  const d = ctx.vendors.defaultRouter;
  return d && !routers.some((r) => r.nodeId === d.nodeId || sameRouter(r, d)) ? [...routers, d] : routers;
}

/** The first router of each host and port, in order. */
function distinctRouters(routers: RouterTarget[]): RouterTarget[] {
  const out: RouterTarget[] = [];
  for (const r of routers) if (!out.some((o) => sameRouter(o, r))) out.push(r);
  return out;
}

/** What kind of failure a router's was, from the client's error (its socket code when there is one). */
function failureReason(err: unknown): TargetFailureReason {
  // The clients' VendorError, read by shape: the sync does not import the vendors' classes.
  const { kind, code } = (err ?? {}) as { kind?: unknown; code?: unknown };
  if (kind === "auth") return "auth";
  if (kind === "timeout") return "timeout";
  if (kind === "bad_response") return "protocol";
  if (code === "ECONNREFUSED") return "connection_refused";
  if (code === "ECONNRESET" || code === "EPIPE" || code === "CLOSED") return "connection_reset";
  return "other";
}

/**
 * Bulk ONU statuses every run; signals when the last refresh is older than signalsEveryMs; then every
 * router's active PPPoE sessions (what search results say about a session).
 */
export async function runStatus(ctx: JobContext): Promise<SourceResult[]> {
  return [await onuStatus(ctx), await routerSessions(ctx)];
}

/** Every router's `/ppp/active`, one router at a time replaced in the cache; a router that fails keeps its previous sessions. */
async function routerSessions(ctx: JobContext): Promise<SourceResult> {
  const pool = ctx.vendors.routers;
  if (!pool) return skipped(ctx, "routeros", "RouterOS credentials are not configured");
  const routers = await cachedRouters(ctx);
  if (routers.length === 0) return skipped(ctx, "routeros", "no routers known (no ISPCube Mikrotik nodes and no MK_HOST)");
  return runSource(ctx, "routeros", "routeros.sessions", async () => {
    const failed: TargetFailure[] = [];
    let sessions = 0;
    let done = 0;
    // One read per host and port, as the inventory does.
    const queue = distinctRouters(routers);
    const total = queue.length;
    const worker = async (): Promise<void> => {
      for (let router = queue.shift(); router; router = queue.shift()) {
        const started = ctx.now();
        try {
          const active = await pool.activeSessions(router, { signal: ctx.signal });
          // Read once per address; every node naming that router gets its sessions (search joins by node).
          for (const nodeId of new Set(routers.filter((r) => sameRouter(r, router)).map((r) => r.nodeId))) {
            await ctx.writer.replaceSessions(nodeId, active.map((a) => a.name));
          }
          sessions += active.length;
          await ctx.state.recordSource(`sessions:${routerStateKey(router)}`, started, { ok: true, counts: { sessions: active.length } });
        } catch (err) {
          failed.push({ target: router.name, error: errorText(err), host: router.host, port: router.port, reason: failureReason(err) });
          await ctx.state.recordSource(`sessions:${routerStateKey(router)}`, started, { ok: false, error: errorText(err) });
        }
        ctx.handle.emit({ source: "routeros", phase: "fetching", done: ++done, total }, ctx.now());
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROUTER_CONCURRENCY, total) }, worker));
    if (failed.length === total) throw new Error(`every router failed: ${failed.map((f) => `${f.target} (${f.host}:${f.port}): ${f.error}`).join("; ")}`);
    return { counts: { sessions, routersFailed: failed.length, total }, done: total - failed.length, failures: failed };
  });
}

async function onuStatus(ctx: JobContext): Promise<SourceResult> {
  const client = ctx.vendors.smartolt;
  if (!client) return skipped(ctx, "smartolt", "SmartOLT is not configured");
  return runSource(ctx, "smartolt", "smartolt.status", async () => {
    const statuses = await client.bulkStatuses({}, { signal: ctx.signal });
    ctx.handle.emit({ source: "smartolt", phase: "writing", done: statuses.length, total: statuses.length }, ctx.now());
    const counts: Record<string, number> = { ...(await ctx.writer.applyStatuses(statuses, ctx.now())), total: statuses.length };
    const lastSignals = (await ctx.state.source("smartolt.signals"))?.lastSuccessAt;
    if (!lastSignals || ctx.now().getTime() - lastSignals.getTime() >= ctx.signalsEveryMs) {
      const started = ctx.now();
      const signals = await client.bulkSignals({}, { signal: ctx.signal });
      const applied = await ctx.writer.applySignals(signals, ctx.now(), { minDeltaDb: 0.5, maxAgeMs: 6 * 3_600_000 });
      await ctx.state.recordSource("smartolt.signals", started, { ok: true, counts: applied });
      Object.assign(counts, applied);
    }
    Object.assign(counts, await ctx.writer.prune(new Date(ctx.now().getTime() - ctx.historyRetentionMs)));
    return { counts };
  });
}

/** "1 of 5 routers failed: Nodo Norte at 10.0.0.1:8729 (login refused)". */
function failureText(failures: TargetFailure[], total: number): string {
  return `${failures.length} of ${total} routers failed: ${failures.map((f) => `${f.target} at ${f.host}:${f.port} (${f.error})`).join("; ")}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
