import type { TriageOptions } from "../thresholds.js";
import { ageSeconds, formatAge } from "../format.js";
import type { Evidence, Confidence, Finding } from "./result.js";
import type { TriageFacts } from "./facts.js";
import type { Decision } from "./decide.js";
import { SOURCE_LABEL, isStale, maxAgeKey } from "./rule.js";

export interface Assessment {
  confidence: Confidence;
  /** Empty when the confidence is high. */
  reason: string;
  /** A dispatch resting on stale data that nothing live corroborates: the verdict turns to "confirm first" (§6.0). */
  staleDispatch: boolean;
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
const lower = (a: Confidence, b: Confidence): Confidence => (RANK[a] <= RANK[b] ? a : b);

/** §6.0: sources unavailable or cached too long, and weak evidence, lower the confidence and say why. */
export function assess(facts: TriageFacts, decision: Decision, findings: Finding[], options: TriageOptions): Assessment {
  let level: Confidence = "high";
  const reasons: string[] = [];
  const relevant = facts.sources.filter((s) => !(s.source === "smartolt" && facts.access === "fixed_wireless"));
  for (const s of relevant) {
    if (s.freshness === "unavailable") {
      reasons.push(`${SOURCE_LABEL[s.source]} no disponible${s.reason ? ` (${s.reason})` : ""}`);
      level = lower(level, "medium");
    } else if (isStale(s, facts, options)) {
      reasons.push(`${SOURCE_LABEL[s.source]} en caché ${s.asOf ? formatAge(s.asOf, facts.now) : "sin fecha"}`);
      level = lower(level, "medium");
    }
  }
  if (relevant.length > 0 && relevant.every((s) => s.freshness === "unavailable")) level = "low";
  if (findings.some((f) => f.ruleId === "link.onu_missing")) {
    reasons.push("sin ONU en SmartOLT para este cliente de fibra");
    level = lower(level, "medium");
  }
  if (decision.weakness !== null) {
    reasons.push(decision.weakness.reason);
    level = lower(level, decision.weakness.level);
  }
  let staleDispatch = false;
  const ev = decision.finding?.evidence ?? [];
  const stale = ev.filter((e) => isStaleEvidence(e, facts, options));
  if (stale.length > 0) {
    level = "low";
    const first = stale[0]!;
    reasons.push(`la decisión se apoya en datos de ${SOURCE_LABEL[first.source]} ${first.observedAt ? formatAge(first.observedAt, facts.now) : "sin fecha"}`);
    if (decision.action === "dispatch" && !corroboratedLive(facts)) {
      staleDispatch = true;
      reasons.push("no se envía técnico solo con datos viejos: confirmar en vivo");
    }
  }
  return { confidence: level, reason: level === "high" ? "" : unique(reasons).join("; "), staleDispatch };
}

function isStaleEvidence(e: Evidence, facts: TriageFacts, options: TriageOptions): boolean {
  if (e.freshness === "unavailable") return true;
  if (e.freshness !== "cached") return false;
  if (e.observedAt === null) return true;
  return ageSeconds(e.observedAt, facts.now) > options.thresholds[maxAgeKey(e.source)];
}

/** The router, read live, agrees the customer is down. */
function corroboratedLive(facts: TriageFacts): boolean {
  return facts.pppoe !== null && facts.pppoe.freshness === "live" && facts.pppoe.session === null;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
