import type { Rule } from "../rule.js";
import { finding, threshold } from "../rule.js";
import { onlineOnu, rxEvidence } from "./common.js";
import { formatDbm } from "../../format.js";

/** §1: ONU Rx in the low-margin band (B+: -25 … -27): remote if no symptoms, watch the trend. */
export const opticalRxWarning: Rule = {
  id: "optical.rx_warning",
  evaluate(facts, options) {
    const onu = onlineOnu(facts);
    const rx = onu?.rxPowerDbm ?? null;
    const t = options.thresholds;
    if (onu === null || rx === null || !(rx < t.onuRxWarningDbm) || rx < t.onuRxCriticalDbm) return null;
    return finding(
      "optical.rx_warning",
      "warning",
      `Rx de la ONU ${formatDbm(rx)} dBm, bajo ${t.onuRxWarningDbm} dBm: poco margen; vigilar la tendencia.`,
      [rxEvidence(onu)],
      [threshold(options, "onuRxWarningDbm"), threshold(options, "onuRxCriticalDbm")],
    );
  },
};
