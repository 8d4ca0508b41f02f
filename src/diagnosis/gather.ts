import { setMaxListeners } from "node:events";
import { deadline } from "../time/deadline.js";
import type { CachedSubscriber, DiagnosisReads } from "../cache/diagnosis-reads.js";
import type { DiagnosisConfig } from "../config.js";
import { routerStateKey, sameRouter, type Customer, type RouterTarget, type Vendor } from "../domain/types.js";
import type { Vendors } from "../vendors/index.js";
import { budgetTimeoutDetail, type ProbeOutcome } from "./probe.js";
import { liveLookup } from "./live-lookup.js";
import { probeCustomer } from "./probes/ispcube.js";
import { probeRouter } from "./probes/routeros.js";
import type { RouterLogs } from "./probes/router-logs.js";
import { ageText, type OnuRead, type OnuReader } from "./probes/smartolt.js";
import type { Target } from "./target.js";
import type { ChosenRouter, Gathered, OnuObservation, PppoeObservation, SourceReport } from "./types.js";

export interface GatherDeps {
  reads: DiagnosisReads;
  vendors: Vendors;
  /** Absent when SmartOLT is not configured. */
  onuReader: OnuReader | undefined;
  config: DiagnosisConfig;
  now: () => Date;
  /** Router logs shared for a few seconds between diagnoses; absent when DIAG_ROUTER_LOGS is off. */
  routerLogs?: RouterLogs;
  /** The recent worst event-loop delay, ms (src/time/loop-delay.ts); absent, none is assumed. */
  loopDelayMs?: () => number;
}

/** Loop delays under this are not taken off the budgets. */
export const MIN_CUT_MS = 100;

/** The live reads' budgets for one diagnosis. */
export interface LiveBudgets {
  overallMs: number;
  routerosMs: number;
  smartoltMs: number;
  ispcubeMs: number;
  /** How much was taken off DIAG_BUDGET_MS because the server is busy. */
  shortenedMs: number;
}

/**
 * The configured budgets, cut short by the recent worst event-loop delay (at most `busyPercent` of
 * DIAG_BUDGET_MS): on a busy server a budget timer fires only when the loop turn it falls due in ends,
 * so a read that is still waiting at the cut holds the answer that much past the budget. Taking the
 * delay off beforehand keeps the answer within DIAG_BUDGET_MS; an idle server loses nothing.
 */
export function liveBudgets(config: DiagnosisConfig, loopDelayMs: number): LiveBudgets {
  // A delay this small is the ordinary jitter of a working server, well inside the budget's 10% slack.
  const delay = loopDelayMs < MIN_CUT_MS ? 0 : loopDelayMs;
  const shortenedMs = Math.round(Math.min(delay, (config.budgetMs * config.busyPercent) / 100));
  const overallMs = config.budgetMs - shortenedMs;
  return {
    overallMs,
    routerosMs: Math.min(config.routerosBudgetMs, overallMs),
    smartoltMs: Math.min(config.smartoltBudgetMs, overallMs),
    ispcubeMs: Math.min(config.ispcubeBudgetMs, overallMs),
    shortenedMs,
  };
}

export interface GatherOptions {
  includeTraffic?: boolean;
  /** No live reads at all: every source from the cache. */
  cacheOnly?: boolean;
  signal?: AbortSignal;
}

/** Thrown when no system knows the subscriber; the API turns it into NotFound with suggestions. */
export class SubscriberNotFoundError extends Error {
  constructor(readonly target: Target) {
    super(`no subscriber with ${target.kind} "${target.value}"`);
    this.name = "SubscriberNotFoundError";
  }
}

/**
 * The router to ask: the one holding the user's secret in the cache (the connection's node first
 * when several do), else the ISPCube node of the connection, else MK_HOST.
 */
export function chooseRouter(sub: CachedSubscriber, fallback: RouterTarget | undefined): ChosenRouter | null {
  const nodeId = sub.connection?.nodeId ?? null;
  const node = nodeId === null ? undefined : sub.routers.get(nodeId);
  const holders = sub.secrets.map((s) => sub.routers.get(s.routerNodeId)).filter((r): r is RouterTarget => r !== undefined);
  // Matched by host and port, not by address alone: two routers behind one public IP are two routers.
  const holder = holders.find((r) => r.nodeId === nodeId) ?? (node ? holders.find((r) => sameRouter(r, node)) : undefined) ?? holders[0];
  if (holder) return { ...holder, via: "secret" };
  if (node) return { ...node, via: "node" };
  return fallback ? { ...fallback, via: "default" } : null;
}

/** Cache lookup, then every live source in parallel under one budget; never throws for a vendor. */
export async function gather(deps: GatherDeps, target: Target, o: GatherOptions = {}): Promise<Gathered> {
  return (await gatherWith(deps, target, o, async () => undefined)).gathered;
}

/**
 * `gather`, with `alongside` run on the cached subscriber while the vendors are being waited for
 * (cache reads cost CPU; the vendors cost waiting).
 */
export async function gatherWith<T>(
  deps: GatherDeps,
  target: Target,
  o: GatherOptions,
  alongside: (sub: CachedSubscriber) => Promise<T>,
): Promise<{ gathered: Gathered; alongside: T }> {
  const { reads, vendors, config } = deps;
  const sub = (await reads.subscriber(target)) ?? (o.cacheOnly ? undefined : await liveLookup(vendors, config, target, o.signal));
  if (!sub) throw new SubscriberNotFoundError(target);
  const budgets = liveBudgets(config, deps.loopDelayMs?.() ?? 0);
  const overall = deadline(budgets.overallMs);
  const signal = o.signal ? AbortSignal.any([o.signal, overall.signal]) : overall.signal;
  // Every probe and each of their vendor calls listen to it: more than ten is the normal case.
  setMaxListeners(0, signal);
  const router = chooseRouter(sub, vendors.defaultRouter);
  const user = sub.pppoeUser;
  const live = !o.cacheOnly;
  const cachedSecret = router ? (sub.secrets.find((s) => s.routerNodeId === router.nodeId)?.secret ?? null) : null;

  const [freshness, routerOutcome, onuRead, customerOutcome, extra] = await Promise.all([
    reads.freshness(),
    live && router && user && vendors.routers
      ? probeRouter(vendors.routers, router, user, {
          traffic: o.includeTraffic ?? false,
          ...(deps.routerLogs ? { logs: deps.routerLogs } : {}),
          budgetMs: budgets.routerosMs,
          signal,
        })
      : undefined,
    live && sub.onu && deps.onuReader ? deps.onuReader.read(sub.onu.externalId, sub.onu.statusObservedAt, budgets.smartoltMs, signal) : undefined,
    live && sub.customer && vendors.ispcube ? probeCustomer(vendors.ispcube, sub.customer.id, budgets.ispcubeMs, signal) : undefined,
    // Started last: the probes' requests are on the wire before these synchronous reads run.
    Promise.resolve().then(() => alongside(sub)),
  ]).finally(() => overall.clear());

  const sources: SourceReport[] = [];
  const why = (configured: boolean): string => (o.cacheOnly ? "cache_only was asked" : configured ? "not read" : "not configured");

  // ISPCube: billing state.
  let customer: Customer | null = sub.customer;
  if (sub.customer) {
    const asOf = freshness.get("ispcube") ?? null;
    if (customerOutcome?.ok) {
      customer = customerOutcome.value;
      sources.push(liveReport("ispcube", deps.now(), customerOutcome.latencyMs));
    } else {
      sources.push(fallbackReport("ispcube", asOf, customerOutcome, why(vendors.ispcube !== undefined), vendors.ispcube === undefined));
    }
  }

  // SmartOLT: the ONU's status and levels.
  let onu: OnuObservation | null = null;
  if (sub.onu) {
    const cached: OnuObservation = { onu: sub.onu, statusAt: sub.onu.statusObservedAt, signalAt: sub.onu.signalObservedAt };
    const merged = mergeOnu(cached, onuRead, deps.now());
    onu = merged.onu;
    sources.push(merged.report ?? fallbackReport("smartolt", sub.onu.statusObservedAt, undefined, why(deps.onuReader !== undefined), deps.onuReader === undefined));
  }

  // RouterOS: secret, session, queue, traffic, log.
  let pppoe: PppoeObservation = { secret: cachedSecret, session: undefined, queue: undefined, traffic: undefined, logs: undefined };
  if (router && user) {
    const asOf = freshness.get(routerStateKey(router)) ?? freshness.get("routeros") ?? null;
    if (routerOutcome?.ok) {
      pppoe = routerOutcome.value;
      sources.push(liveReport("routeros", deps.now(), routerOutcome.latencyMs));
    } else {
      const hasCache = cachedSecret !== null;
      sources.push(fallbackReport("routeros", hasCache ? asOf : null, routerOutcome, why(vendors.routers !== undefined), vendors.routers === undefined, hasCache));
    }
  }

  // A system that does not hold the subscriber still answers, through the cache: "not there as of the last inventory".
  const absent = (source: Vendor, configured: boolean, syncKey: string, what: string): void => {
    if (sources.some((r) => r.source === source)) return;
    const asOf = freshness.get(syncKey) ?? null;
    if (!configured) sources.push({ source, freshness: "unavailable", asOf: null, reason: "disabled", detail: "not configured", latencyMs: null });
    else if (asOf === null) sources.push({ source, freshness: "unavailable", asOf: null, reason: "error", detail: "never synced", latencyMs: null });
    else sources.push({ source, freshness: "cached", asOf, reason: null, detail: what, latencyMs: null });
  };
  absent("ispcube", vendors.ispcube !== undefined, "ispcube", "no ISPCube customer in the cached inventory");
  absent("smartolt", vendors.smartolt !== undefined, "smartolt", "no ONU in the cached inventory");
  absent("routeros", vendors.routers !== undefined, "routeros", user ? "no router holds the secret in the cached inventory" : "no PPPoE user to look for");
  const order: Vendor[] = ["ispcube", "smartolt", "routeros"];
  sources.sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
  // A read its shortened budget cut says so: "no answer within 1600 ms" alone would contradict
  // DIAG_ROUTEROS_BUDGET_MS and the like. Only there: a source whose budget the cut did not reach, or a
  // vendor client's own timeout, says what it always says.
  const budgetOf: Record<Vendor, [effective: number, configured: number]> = {
    ispcube: [budgets.ispcubeMs, config.ispcubeBudgetMs],
    smartolt: [budgets.smartoltMs, config.smartoltBudgetMs],
    routeros: [budgets.routerosMs, config.routerosBudgetMs],
  };
  for (const s of sources) {
    const [effective, configured] = budgetOf[s.source];
    if (s.reason === "timeout" && effective < configured && s.detail === budgetTimeoutDetail(effective)) {
      s.detail += ` (cut ${configured - effective} ms short of ${configured} ms: the server's event loop is running late)`;
    }
  }

  const gathered: Gathered = {
    target,
    pppoeUser: user,
    knownIn: knownIn(sub),
    customer,
    connection: sub.connection,
    plan: sub.plan,
    router,
    pppoe,
    cachedSecret,
    onu,
    sources,
  };
  return { gathered, alongside: extra };
}

function knownIn(sub: CachedSubscriber): Vendor[] {
  return [
    ...(sub.connection || sub.customer ? (["ispcube"] as const) : []),
    ...(sub.onu ? (["smartolt"] as const) : []),
    ...(sub.secrets.length > 0 ? (["routeros"] as const) : []),
  ];
}

function liveReport(source: Vendor, at: Date, latencyMs: number): SourceReport {
  return { source, freshness: "live", asOf: at, reason: null, detail: "", latencyMs };
}

/**
 * A source that was not read live: the cache answers (CACHED, with its age) when it holds something,
 * else the source is UNAVAILABLE. The reason says why the live read did not happen or failed.
 */
function fallbackReport(
  source: Vendor,
  asOf: Date | null,
  failed: ProbeOutcome<unknown> | undefined,
  notReadWhy: string,
  disabled: boolean,
  hasCache = true,
): SourceReport {
  const reason = failed && !failed.ok ? failed.reason : disabled ? "disabled" : null;
  const detail = failed && !failed.ok ? failed.detail : notReadWhy;
  const latencyMs = failed ? failed.latencyMs : null;
  if (hasCache && asOf !== null) return { source, freshness: "cached", asOf, reason, detail, latencyMs };
  return { source, freshness: "unavailable", asOf: null, reason: reason ?? "error", detail, latencyMs };
}

function mergeOnu(cached: OnuObservation, read: OnuRead | undefined, now: Date): { onu: OnuObservation; report?: SourceReport } {
  if (!read) return { onu: cached };
  if (read.kind === "live" || read.kind === "recent") {
    const { status, signal, at } = read.reading;
    const onu: OnuObservation = {
      onu: {
        ...cached.onu,
        status: status.status,
        lastStatusChange: status.lastStatusChange ?? cached.onu.lastStatusChange,
        rxPowerDbm: signal.rxPowerDbm,
        oltRxPowerDbm: signal.oltRxPowerDbm,
        signalCategory: signal.signalCategory,
        distanceM: signal.distanceM ?? cached.onu.distanceM,
      },
      statusAt: at,
      signalAt: at,
    };
    if (read.kind === "live") return { onu, report: liveReport("smartolt", at, read.latencyMs) };
    const detail = `a live read from ${ageText(now.getTime() - at.getTime())} ago, shared with an earlier diagnosis`;
    return { onu, report: { source: "smartolt", freshness: "cached", asOf: at, reason: null, detail, latencyMs: null } };
  }
  const latencyMs = read.kind === "failed" ? read.latencyMs : null;
  return {
    onu: cached,
    report: { source: "smartolt", freshness: "cached", asOf: cached.statusAt, reason: read.reason, detail: read.detail, latencyMs },
  };
}
