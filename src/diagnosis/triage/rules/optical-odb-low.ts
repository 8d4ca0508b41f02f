import type { Rule } from "../rule.js";
import { evidence, finding, threshold } from "../rule.js";
import { latest, odbPeers } from "./common.js";

/** §1: the whole ODB low together → feeder or splitter, not this customer's drop. */
export const opticalOdbLow: Rule = {
  id: "optical.odb_low",
  evaluate(facts, options) {
    const onu = facts.onu;
    const t = options.thresholds;
    if (onu === null || onu.odbName === null || facts.peers === null) return null;
    const readings = odbPeers(facts)
      .filter((p) => p.status === "online" && p.rxPowerDbm !== null)
      .map((p) => p.rxPowerDbm as number);
    if (onu.status === "online" && onu.rxPowerDbm !== null) readings.push(onu.rxPowerDbm);
    if (readings.length < t.odbLowMinOnus) return null;
    const low = readings.filter((r) => r < t.onuRxWarningDbm).length;
    if (!((low * 100) / readings.length >= t.odbLowPercent)) return null;
    return finding(
      "optical.odb_low",
      "warning",
      `${onu.odbName} baja en conjunto: ${low}/${readings.length} ONUs en línea bajo ${t.onuRxWarningDbm} dBm: alimentador o splitter, no la bajada.`,
      [
        evidence("smartolt", "odb.onus_below_warning", `${low}/${readings.length}`, {
          observedAt: latest([onu.observedAt, ...odbPeers(facts).map((p) => p.observedAt)]),
          freshness: facts.peers.freshness,
        }),
      ],
      [threshold(options, "odbLowMinOnus"), threshold(options, "odbLowPercent"), threshold(options, "onuRxWarningDbm")],
    );
  },
};
