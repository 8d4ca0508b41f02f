import type { Rule } from "../rule.js";
import { finding, threshold } from "../rule.js";
import { onlineOnu, onuEvidence, rxEvidence } from "./common.js";
import { ownRxMedian } from "./baseline.js";
import { formatDb, formatDbm } from "../../format.js";

/** §1: a drop against the ONU's own recent median: a degrading drop or connector. */
export const opticalDropVsMedian: Rule = {
  id: "optical.drop_vs_median",
  evaluate(facts, options) {
    const onu = onlineOnu(facts);
    const rx = onu?.rxPowerDbm ?? null;
    if (onu === null || rx === null) return null;
    const base = ownRxMedian(onu, facts.now, options.thresholds);
    if (base === null) return null;
    const drop = base.median - rx;
    if (!(drop >= options.thresholds.rxDropVsMedianDb)) return null;
    return finding(
      "optical.drop_vs_median",
      "critical",
      `Rx de la ONU ${formatDbm(rx)} dBm, ${formatDb(drop)} dB peor que su mediana reciente (${formatDbm(base.median)} dBm): bajada o conector degradándose.`,
      [rxEvidence(onu), onuEvidence(onu, "rx_power_dbm.median", `${formatDbm(base.median)} (${base.samples} muestras)`)],
      [threshold(options, "rxDropVsMedianDb"), threshold(options, "rxMedianMinSamples"), threshold(options, "rxMedianLookbackS")],
    );
  },
};
