import type { Rule } from "../rule.js";
import { SOURCE_LABEL, evidence, finding, isStale, maxAgeKey, threshold } from "../rule.js";
import { formatAge } from "../../format.js";

/** §6.0: data from the cache older than the configured age for its source. */
export const freshnessStale: Rule = {
  id: "freshness.stale",
  evaluate(facts, options) {
    const stale = facts.sources.filter((s) => isStale(s, facts, options));
    if (stale.length === 0) return null;
    const text = stale
      .map((s) => `${SOURCE_LABEL[s.source]} ${s.asOf ? formatAge(s.asOf, facts.now) : "sin fecha"}`)
      .join(", ");
    return finding(
      "freshness.stale",
      "info",
      `Datos en caché viejos: ${text}${stale.some((s) => s.reason) ? ` (${stale.map((s) => s.reason).filter(Boolean).join(", ")})` : ""}.`,
      stale.map((s) => evidence(s.source, "source.as_of", s.asOf ? s.asOf.toISOString() : "-", s)),
      stale.map((s) => threshold(options, maxAgeKey(s.source))),
    );
  },
};
