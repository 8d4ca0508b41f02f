import type { Rule } from "../rule.js";
import { evidence, finding, sourceRead, sourceState } from "../rule.js";

/** A fibre subscriber without an ONU in SmartOLT: unlinked inventory, a finding rather than an error. */
export const linkOnuMissing: Rule = {
  id: "link.onu_missing",
  evaluate(facts) {
    if (facts.access !== "fiber" || facts.onu !== null || !sourceRead(facts, "smartolt")) return null;
    return finding(
      "link.onu_missing",
      "warning",
      `Cliente de fibra sin ONU en SmartOLT${facts.pppoeUser ? ` con el usuario ${facts.pppoeUser}` : ""}: revisar el vínculo (usuario PPPoE en la ONU); diagnóstico sobre PPPoE y facturación.`,
      [evidence("smartolt", "onu", "ausente", sourceState(facts, "smartolt"))],
    );
  },
};
