import type { SourceName } from "../facts.js";
import type { Rule } from "../rule.js";
import { SOURCE_LABEL, evidence, finding, sourceRead, sourceState } from "../rule.js";

/** A subscriber missing from a system that answered: the missing link is itself a finding. */
export const linkUnlinked: Rule = {
  id: "link.unlinked",
  evaluate(facts) {
    // A bridged ONU asked for by serial has no PPPoE user for the router to know.
    const expected: SourceName[] = facts.pppoeUser === null ? ["ispcube"] : ["ispcube", "routeros"];
    // A fibre subscriber without an ONU is link.onu_missing; fixed wireless has none by design.
    if (facts.access === "unknown") expected.push("smartolt");
    const missing = expected.filter((s) => !facts.knownIn.includes(s) && sourceRead(facts, s));
    if (missing.length === 0) return null;
    return finding(
      "link.unlinked",
      "info",
      `No figura en ${missing.map((s) => SOURCE_LABEL[s]).join(" ni en ")}: suscriptor sin vincular.`,
      missing.map((s) => evidence(s, "known_in", "ausente", sourceState(facts, s))),
    );
  },
};
