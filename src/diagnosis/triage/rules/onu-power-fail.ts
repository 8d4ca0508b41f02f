import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { neighboursText, peersEvidence, statusEvidence } from "./common.js";
import { formatAge } from "../../format.js";

/** §2: Power fail (dying gasp): the ONU lost power and said so. */
export const onuPowerFail: Rule = {
  id: "onu.power_fail",
  evaluate(facts) {
    const onu = facts.onu;
    if (onu === null || onu.status !== "power_fail") return null;
    const since = onu.lastStatusChange ? ` ${formatAge(onu.lastStatusChange, facts.now)}` : "";
    const n = neighboursText(facts);
    return finding(
      "onu.power_fail",
      "critical",
      `ONU en Power fail${since} (dying gasp)${n ? `, ${n}` : ""}: sin energía en el domicilio.`,
      [...statusEvidence(onu), ...peersEvidence(facts)],
    );
  },
};
