import type { Rule } from "../rule.js";
import { finding, threshold } from "../rule.js";
import { onlineOnu, rxEvidence } from "./common.js";
import { formatDbm } from "../../format.js";

/** §1: ONU Rx below the critical level (B+: -27, sensitivity edge; below -28 failed). */
export const opticalRxCritical: Rule = {
  id: "optical.rx_critical",
  evaluate(facts, options) {
    const onu = onlineOnu(facts);
    const rx = onu?.rxPowerDbm ?? null;
    const t = options.thresholds;
    if (onu === null || rx === null || !(rx < t.onuRxCriticalDbm)) return null;
    const failed = rx < t.onuRxFailedDbm;
    return finding(
      "optical.rx_critical",
      "critical",
      failed
        ? `Rx de la ONU ${formatDbm(rx)} dBm, bajo ${t.onuRxFailedDbm} dBm: enlace fallando.`
        : `Rx de la ONU ${formatDbm(rx)} dBm, bajo ${t.onuRxCriticalDbm} dBm: al borde de la sensibilidad.`,
      [rxEvidence(onu)],
      [threshold(options, "onuRxCriticalDbm"), threshold(options, "onuRxFailedDbm")],
    );
  },
};
