import { THRESHOLD_DEFS, type ThresholdKey, type TriageOptions } from "../thresholds.js";
import { ageSeconds, formatTime } from "../format.js";
import type { Observation, SourceName, SourceState, TriageFacts } from "./facts.js";
import type { Evidence, Finding, Severity, ThresholdUsed } from "./result.js";

/** One rule: a pure function of the facts (which carry `now`) and the options. */
export interface Rule {
  id: string;
  evaluate(facts: TriageFacts, options: TriageOptions): Finding | null;
}

/** Evidence from a group's observation, or from a source's state (observed at its as-of). */
export function evidence(source: SourceName, field: string, value: string, obs: Observation | SourceState): Evidence {
  const observedAt = "observedAt" in obs ? obs.observedAt : obs.asOf;
  return { source, field, value, observedAt, freshness: obs.freshness };
}

export function threshold(options: TriageOptions, key: ThresholdKey): ThresholdUsed {
  const d = THRESHOLD_DEFS[key];
  return { name: d.name, value: options.thresholds[key], unit: d.unit };
}

export function finding(
  ruleId: string,
  severity: Severity,
  summary: string,
  evidenceList: Evidence[],
  thresholds: ThresholdUsed[] = [],
): Finding {
  return { ruleId, severity, summary, evidence: evidenceList, thresholds };
}

export function sourceState(facts: TriageFacts, source: SourceName): SourceState {
  return facts.sources.find((s) => s.source === source) ?? { source, freshness: "unavailable", asOf: null, reason: "sin datos" };
}

/** The source answered (live or from the cache), so an absence in its data is real. */
export function sourceRead(facts: TriageFacts, source: SourceName): boolean {
  return sourceState(facts, source).freshness !== "unavailable";
}

/** Cached older than the configured age for that source. */
export function isStale(state: SourceState, facts: TriageFacts, options: TriageOptions): boolean {
  if (state.freshness !== "cached") return false;
  if (state.asOf === null) return true;
  return ageSeconds(state.asOf, facts.now) > options.thresholds[maxAgeKey(state.source)];
}

export function maxAgeKey(source: SourceName): ThresholdKey {
  if (source === "smartolt") return "cachedMaxAgeSmartoltS";
  if (source === "ispcube") return "cachedMaxAgeIspcubeS";
  return "cachedMaxAgeRouterosS";
}

/** A time for a sentence ("14:20" today, "28/11 14:20" otherwise), in the configured zone. */
export function at(date: Date, facts: TriageFacts, options: TriageOptions): string {
  return formatTime(date, facts.now, options.timeZone);
}

export function iso(date: Date | null): string {
  return date === null ? "-" : date.toISOString();
}

export const SOURCE_LABEL: Record<SourceName, string> = {
  smartolt: "SmartOLT",
  ispcube: "ISPCube",
  routeros: "RouterOS",
};
