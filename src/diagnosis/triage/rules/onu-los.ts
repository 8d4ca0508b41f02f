import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { neighboursText, peersEvidence, statusEvidence } from "./common.js";
import { formatAge } from "../../format.js";

/** §2: LOS: no light reaches this ONU (drop fibre, connector, splice or its optics). */
export const onuLos: Rule = {
  id: "onu.los",
  evaluate(facts) {
    const onu = facts.onu;
    if (onu === null || onu.status !== "los") return null;
    const since = onu.lastStatusChange ? ` ${formatAge(onu.lastStatusChange, facts.now)}` : "";
    const n = neighboursText(facts);
    return finding(
      "onu.los",
      "critical",
      `ONU en LOS${since}${n ? `, ${n}` : ""}: bajada, conector o empalme.`,
      [...statusEvidence(onu), ...peersEvidence(facts)],
    );
  },
};
