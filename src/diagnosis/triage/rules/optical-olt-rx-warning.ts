import type { Rule } from "../rule.js";
import { finding, threshold } from "../rule.js";
import { oltRxEvidence, onlineOnu } from "./common.js";
import { formatDbm } from "../../format.js";

/** §1: the OLT hears this ONU in the warning band (B+: -27 … -28). */
export const opticalOltRxWarning: Rule = {
  id: "optical.olt_rx_warning",
  evaluate(facts, options) {
    const onu = onlineOnu(facts);
    const rx = onu?.oltRxPowerDbm ?? null;
    const t = options.thresholds;
    if (onu === null || rx === null || !(rx < t.oltRxWarningDbm) || rx < t.oltRxCriticalDbm) return null;
    return finding(
      "optical.olt_rx_warning",
      "warning",
      `Rx en la OLT ${formatDbm(rx)} dBm, bajo ${t.oltRxWarningDbm} dBm: poco margen de subida.`,
      [oltRxEvidence(onu)],
      [threshold(options, "oltRxWarningDbm"), threshold(options, "oltRxCriticalDbm")],
    );
  },
};
