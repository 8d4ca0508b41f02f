import type { Rule } from "../rule.js";
import { finding, threshold } from "../rule.js";
import { oltRxEvidence, onlineOnu } from "./common.js";
import { formatDbm } from "../../format.js";

/** §1: the OLT hears this ONU below the critical level (upstream, B+: -28). */
export const opticalOltRxCritical: Rule = {
  id: "optical.olt_rx_critical",
  evaluate(facts, options) {
    const onu = onlineOnu(facts);
    const rx = onu?.oltRxPowerDbm ?? null;
    if (onu === null || rx === null || !(rx < options.thresholds.oltRxCriticalDbm)) return null;
    return finding(
      "optical.olt_rx_critical",
      "critical",
      `Rx en la OLT ${formatDbm(rx)} dBm, bajo ${options.thresholds.oltRxCriticalDbm} dBm: subida crítica.`,
      [oltRxEvidence(onu)],
      [threshold(options, "oltRxCriticalDbm")],
    );
  },
};
