import type { Rule } from "../rule.js";
import { evidence, finding, threshold } from "../rule.js";
import { latest, odbPeers, onlineOnu, rxEvidence } from "./common.js";
import { formatDb, formatDbm } from "../../format.js";

/**
 * §1: worse than the mean of the best online ONUs of the same ODB. Splitter ports and connectors
 * alone spread an ODB by 1–2 dB, so the lower step is a warning and the upper one points at the drop.
 */
export const opticalWorseThanOdbPeers: Rule = {
  id: "optical.worse_than_odb_peers",
  evaluate(facts, options) {
    const onu = onlineOnu(facts);
    const rx = onu?.rxPowerDbm ?? null;
    const t = options.thresholds;
    if (onu === null || rx === null || facts.peers === null) return null;
    // An overloaded peer is a fault of its own, not the level the splitter delivers.
    const best = odbPeers(facts)
      .filter((p) => p.status === "online" && p.rxPowerDbm !== null && p.rxPowerDbm <= t.onuRxOverloadDbm)
      .sort((a, b) => (b.rxPowerDbm as number) - (a.rxPowerDbm as number))
      .slice(0, Math.max(1, Math.round(t.odbPeerCount)));
    if (best.length === 0) return null;
    const mean = best.reduce((s, p) => s + (p.rxPowerDbm as number), 0) / best.length;
    const gap = mean - rx;
    if (!(gap >= t.odbPeerWarningDb)) return null;
    const critical = gap >= t.odbPeerCriticalDb;
    return finding(
      "optical.worse_than_odb_peers",
      critical ? "critical" : "warning",
      `Rx de la ONU ${formatDbm(rx)} dBm, ${formatDb(gap)} dB peor que los mejores ${best.length} de ${onu.odbName} (${formatDbm(mean)} dBm)` +
        (critical ? ": la bajada o el conector de este cliente." : ": dentro de la dispersión de la NAP; vigilar."),
      [
        rxEvidence(onu),
        evidence("smartolt", "odb.best_peers_rx_mean_dbm", `${formatDbm(mean)} (${best.length} ONUs)`, {
          observedAt: latest(best.map((p) => p.observedAt)),
          freshness: facts.peers.freshness,
        }),
      ],
      [threshold(options, "odbPeerCount"), threshold(options, "odbPeerWarningDb"), threshold(options, "odbPeerCriticalDb")],
    );
  },
};
