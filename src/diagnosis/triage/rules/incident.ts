import type { IncidentKind } from "../../outage/types.js";
import type { TriageFacts } from "../facts.js";
import type { Evidence, Finding } from "../result.js";
import type { Rule } from "../rule.js";
import { at, evidence, finding, iso, threshold } from "../rule.js";
import type { TriageOptions } from "../../thresholds.js";

/**
 * §6.1–2: the customer's ONU belongs to an outage computed by outage/ from the status snapshot.
 * Three rules (one per kind) share this file because they differ only in the kind and thresholds.
 */
function incidentRule(kind: IncidentKind): Rule {
  const id = `incident.${kind}`;
  return {
    id,
    evaluate(facts: TriageFacts, options: TriageOptions): Finding | null {
      const inc = facts.incident;
      if (inc === null || inc.kind !== kind) return null;
      const obs = { observedAt: inc.asOf ?? null, freshness: "cached" as const };
      const ev: Evidence[] = [
        evidence("smartolt", "incident.id", inc.id, obs),
        evidence("smartolt", "incident.onus_affected", `${inc.onusAffected}/${inc.onusTotal}`, obs),
        evidence("smartolt", "incident.los_count", String(inc.losCount), obs),
        evidence("smartolt", "incident.power_fail_count", String(inc.powerFailCount), obs),
        evidence("smartolt", "incident.started_at", iso(inc.startedAt), obs),
      ];
      const th =
        kind === "pon_down"
          ? [threshold(options, "ponDownPercent"), threshold(options, "ponDownWindowCycles"), threshold(options, "pollIntervalS")]
          : kind === "partial_los"
            ? [threshold(options, "partialLosMinOnus"), threshold(options, "partialLosPercent"), threshold(options, "partialLosWindowCycles"), threshold(options, "pollIntervalS")]
            : [threshold(options, "areaPowerPercent"), threshold(options, "areaPowerWindowCycles"), threshold(options, "pollIntervalS")];
      return finding(id, "critical", `${inc.summary}; desde las ${at(inc.startedAt, facts, options)}.`, ev, th);
    },
  };
}

export const incidentPonDown = incidentRule("pon_down");
export const incidentPartialLos = incidentRule("partial_los");
export const incidentAreaPower = incidentRule("area_power");
