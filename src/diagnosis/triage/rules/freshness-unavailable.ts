import type { Rule } from "../rule.js";
import { SOURCE_LABEL, evidence, finding } from "../rule.js";

/** §6.0: a source that answered neither live nor from the cache. */
export const freshnessUnavailable: Rule = {
  id: "freshness.unavailable",
  evaluate(facts) {
    const down = facts.sources.filter((s) => s.freshness === "unavailable");
    if (down.length === 0) return null;
    const names = down.map((s) => `${SOURCE_LABEL[s.source]}${s.reason ? ` (${s.reason})` : ""}`).join(", ");
    return finding(
      "freshness.unavailable",
      "warning",
      `Sin datos de ${names}: el diagnóstico se apoya en el resto.`,
      down.map((s) => evidence(s.source, "source.freshness", s.reason ? `unavailable: ${s.reason}` : "unavailable", s)),
    );
  },
};
