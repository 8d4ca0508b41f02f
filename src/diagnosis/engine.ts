import type { CachedSubscriber, OnuPeer } from "../cache/diagnosis-reads.js";
import type { Plan, TrafficReading } from "../domain/types.js";
import { toFacts, outageRows, type Surroundings } from "./facts.js";
import { gather, gatherWith, chooseRouter, SubscriberNotFoundError, type GatherDeps, type GatherOptions } from "./gather.js";
import type { Incident } from "./outage/types.js";
import { probe } from "./probe.js";
import type { TriageRules } from "./rules.js";
import type { Target } from "./target.js";
import type { TriageFacts } from "./triage/facts.js";
import type { Finding, Verdict } from "./triage/result.js";
import type { ChosenRouter, Gathered, SourceReport } from "./types.js";
import { isVendorError } from "../vendors/errors.js";

export interface DiagnosisEngineDeps extends GatherDeps {
  rules: TriageRules;
  /** How far back signal samples and status events are read (the median's lookback). */
  historyLookbackMs: number;
}

export type DiagnoseOptions = GatherOptions;

/** One diagnosis: what was gathered, the facts triage saw, and what it decided. */
export interface DiagnosisResult extends Gathered {
  generatedAt: Date;
  facts: TriageFacts;
  findings: Finding[];
  verdict: Verdict;
  incident: Incident | null;
  ticketText: string;
  tookMs: number;
}

export interface LiveTrafficResult {
  pppoeUser: string;
  router: ChosenRouter | null;
  /** Null when the router answered that the user has no session, or did not answer. */
  traffic: TrafficReading | null;
  source: SourceReport;
  plan: Plan | null;
}

export interface IncidentList {
  incidents: Incident[];
  /** When the status snapshot was taken; null before the first sync. */
  asOf: Date | null;
  /** How old that snapshot is now. */
  ageMs: number | null;
}

export interface DiagnosisEngine {
  /** Never rejects for a vendor: only SubscriberNotFoundError (nobody in any system) or a cache failure. */
  diagnose(target: Target, options?: DiagnoseOptions): Promise<DiagnosisResult>;
  /** diagnose's first half: the cache plus live probes under the budget (WatchDiagnosis keeps it). */
  gather(target: Target, options?: DiagnoseOptions): Promise<Gathered>;
  /** diagnose's second half, on gathered facts (with newer readings in place): cache reads and rules, no vendor call. */
  conclude(g: Gathered, startedAt?: number): Promise<DiagnosisResult>;
  liveTraffic(target: Target, signal?: AbortSignal): Promise<LiveTrafficResult>;
  incidents(oltId?: string): Promise<IncidentList>;
}

export function createDiagnosisEngine(deps: DiagnosisEngineDeps): DiagnosisEngine {
  const { reads, rules, now } = deps;
  let memo: { key: string; list: Incident[] } | undefined;

  /** Neighbours and history of the cached ONU: read while the vendors are being waited for. */
  function history(sub: CachedSubscriber): Promise<Omit<Surroundings, "incident">> {
    return historyOf(sub.onu);
  }

  async function historyOf(onu: CachedSubscriber["onu"]): Promise<Omit<Surroundings, "incident">> {
    if (!onu) return { neighbours: [], samples: [], events: [] };
    const since = new Date(now().getTime() - deps.historyLookbackMs);
    const neighbours: OnuPeer[] = await reads.neighbours(onu);
    const ids = [...new Set([onu.externalId, ...neighbours.map((n) => n.externalId)])];
    const [samples, events] = await Promise.all([reads.signalSamples(ids, since), reads.statusEvents([onu.externalId], since)]);
    return { neighbours, samples, events };
  }

  /** The incident, on the neighbours' cached statuses with the subscriber's ONU as just read. */
  function withIncident(g: Gathered, h: Omit<Surroundings, "incident">): Surroundings {
    const onu = g.onu?.onu;
    if (!onu) return { ...h, incident: null };
    const asOf = newest(h.neighbours.map((n) => n.statusObservedAt));
    return { ...h, incident: rules.incidentFor(outageRows(g, h.neighbours), onu.externalId, asOf) };
  }

  async function snapshotAsOf(): Promise<Date | null> {
    const f = await reads.freshness();
    return newest([f.get("smartolt.status") ?? null, f.get("smartolt") ?? null]);
  }

  function decide(g: Gathered, alongside: Omit<Surroundings, "incident">, started: number): DiagnosisResult {
    const at = now();
    const around = withIncident(g, alongside);
    const facts = toFacts(g, around, at);
    const result = rules.triage(facts);
    return {
      ...g,
      generatedAt: at,
      facts,
      findings: result.findings,
      verdict: result.verdict,
      incident: result.incident ?? around.incident,
      ticketText: result.ticketText,
      tookMs: Math.round(performance.now() - started),
    };
  }

  return {
    async diagnose(target, options = {}) {
      const started = performance.now();
      const { gathered: g, alongside } = await gatherWith(deps, target, options, history);
      return decide(g, alongside, started);
    },
    gather: (target, options = {}) => gather(deps, target, options),
    async conclude(g, started = performance.now()) {
      return decide(g, await historyOf(g.onu?.onu ?? null), started);
    },

    async liveTraffic(target, signal) {
      const sub = await reads.subscriber(target);
      if (!sub || !sub.pppoeUser) throw new SubscriberNotFoundError(target);
      const router = chooseRouter(sub, deps.vendors.defaultRouter);
      const base = { pppoeUser: sub.pppoeUser, router, plan: sub.plan };
      const pool = deps.vendors.routers;
      if (!router || !pool) {
        const detail = router ? "RouterOS is not configured" : "no router is known for this subscriber";
        return { ...base, traffic: null, source: { source: "routeros", freshness: "unavailable", asOf: null, reason: router ? "disabled" : "error", detail, latencyMs: null } };
      }
      const user = sub.pppoeUser;
      const outcome = await probe(deps.config.routerosBudgetMs, signal, async () => {
        try {
          return await pool.traffic(router, user);
        } catch (err) {
          if (isVendorError(err, "not_found")) return null;
          throw err;
        }
      });
      if (!outcome.ok) {
        return { ...base, traffic: null, source: { source: "routeros", freshness: "unavailable", asOf: null, reason: outcome.reason, detail: outcome.detail, latencyMs: outcome.latencyMs } };
      }
      const detail = outcome.value === null ? "no active PPPoE session" : "";
      return { ...base, traffic: outcome.value, source: { source: "routeros", freshness: "live", asOf: now(), reason: null, detail, latencyMs: outcome.latencyMs } };
    },

    async incidents(oltId) {
      const asOf = await snapshotAsOf();
      const key = `${asOf?.getTime() ?? "none"}|${oltId ?? ""}`;
      // The snapshot changes only when the status job commits: recompute then, not per request.
      if (memo?.key !== key) {
        const rows = await reads.statusSnapshot(oltId);
        memo = { key, list: rules.incidents({ rows, asOf }) };
      }
      return { incidents: memo.list, asOf, ageMs: asOf ? now().getTime() - asOf.getTime() : null };
    },
  };
}

function newest(dates: (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}
