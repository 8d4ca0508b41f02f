import type { Rule } from "../rule.js";
import { at, finding, iso } from "../rule.js";
import { onuEvidence } from "./common.js";

const DAY_MS = 86_400_000;

/** §4: an ONU online now that dropped (LOS or Power fail) in the last day: optics or power, not the router. */
export const onuUnstable: Rule = {
  id: "onu.unstable",
  evaluate(facts, options) {
    const onu = facts.onu;
    if (onu === null || onu.status !== "online") return null;
    const from = facts.now.getTime() - DAY_MS;
    const drops = onu.statusHistory
      .filter((e) => (e.status === "los" || e.status === "power_fail") && e.at.getTime() >= from && e.at <= facts.now)
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    if (drops.length === 0) return null;
    const los = drops.filter((d) => d.status === "los").length;
    const pf = drops.length - los;
    const last = drops[drops.length - 1]!;
    return finding(
      "onu.unstable",
      los > 0 ? "critical" : "warning",
      `La ONU se cayó en las últimas 24 h (${los} LOS, ${pf} Power fail; la última a las ${at(last.at, facts, options)}).`,
      drops.slice(-5).map((d) => onuEvidence(onu, "status_event", `${d.status} ${iso(d.at)}`)),
    );
  },
};

/** Which kind of drop dominated: LOS points at optics, Power fail at the customer's power. */
export function unstableCause(facts: Parameters<Rule["evaluate"]>[0]): "los" | "power_fail" | null {
  const onu = facts.onu;
  if (onu === null) return null;
  const from = facts.now.getTime() - DAY_MS;
  const recent = onu.statusHistory.filter((e) => e.at.getTime() >= from && e.at <= facts.now);
  if (recent.some((e) => e.status === "los")) return "los";
  if (recent.some((e) => e.status === "power_fail")) return "power_fail";
  return null;
}
