import type { Rule } from "../rule.js";
import { finding, threshold } from "../rule.js";
import { oltRxEvidence, onlineOnu, rxEvidence } from "./common.js";
import { formatDbm } from "../../format.js";

/** §1: receive power above the overload level (either direction): an attenuator, a field fix. */
export const opticalOverload: Rule = {
  id: "optical.overload",
  evaluate(facts, options) {
    const onu = onlineOnu(facts);
    if (onu === null) return null;
    const t = options.thresholds;
    const parts: string[] = [];
    const ev = [];
    if (onu.rxPowerDbm !== null && onu.rxPowerDbm > t.onuRxOverloadDbm) {
      parts.push(`Rx de la ONU ${formatDbm(onu.rxPowerDbm)} dBm (sobre ${t.onuRxOverloadDbm})`);
      ev.push(rxEvidence(onu));
    }
    if (onu.oltRxPowerDbm !== null && onu.oltRxPowerDbm > t.oltRxOverloadDbm) {
      parts.push(`Rx en la OLT ${formatDbm(onu.oltRxPowerDbm)} dBm (sobre ${t.oltRxOverloadDbm})`);
      ev.push(oltRxEvidence(onu));
    }
    if (parts.length === 0) return null;
    return finding(
      "optical.overload",
      "critical",
      `Saturación óptica: ${parts.join(", ")}; falta un atenuador.`,
      ev,
      [threshold(options, "onuRxOverloadDbm"), threshold(options, "oltRxOverloadDbm")],
    );
  },
};
