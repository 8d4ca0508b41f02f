import type { Rule } from "../rule.js";
import { evidence, finding, threshold } from "../rule.js";
import { latest, portPeers } from "./common.js";
import { ownRxMedian, peerDrop } from "./baseline.js";

/** §1: several ONUs of one PON port dropping against their own medians → suspect the PON or feeder. */
export const opticalPonDegrading: Rule = {
  id: "optical.pon_degrading",
  evaluate(facts, options) {
    const onu = facts.onu;
    const t = options.thresholds;
    if (onu === null || onu.board === null || onu.port === null || facts.peers === null) return null;
    const peers = portPeers(facts).filter((p) => p.status === "online");
    const dropping = peers.filter((p) => (peerDrop(p.rxPowerDbm, p.recentRxPowerDbm, t) ?? -Infinity) >= t.ponDropDb).length;
    const selfDropping = selfInPonDrop(facts, t);
    const count = dropping + (selfDropping ? 1 : 0);
    if (count < t.ponDropMinOnus) return null;
    return finding(
      "optical.pon_degrading",
      "warning",
      `${count} ONUs del PON ${onu.board}/${onu.port} de ${onu.oltName} bajaron ${t.ponDropDb} dB o más contra su mediana` +
        `${selfDropping ? " (esta incluida)" : ""}: sospechar del PON o el alimentador.`,
      [
        evidence("smartolt", "pon.onus_dropping", `${count}/${peers.length + 1}`, {
          observedAt: latest([onu.observedAt, ...peers.map((p) => p.observedAt)]),
          freshness: facts.peers.freshness,
        }),
      ],
      [threshold(options, "ponDropDb"), threshold(options, "ponDropMinOnus"), threshold(options, "rxMedianMinSamples")],
    );
  },
};

/** True when this customer's own ONU is one of the dropping ones. */
export function selfInPonDrop(facts: Parameters<Rule["evaluate"]>[0], t: Parameters<typeof ownRxMedian>[2]): boolean {
  const onu = facts.onu;
  if (onu === null || onu.status !== "online" || onu.rxPowerDbm === null) return false;
  const own = ownRxMedian(onu, facts.now, t);
  return own !== null && own.median - onu.rxPowerDbm >= t.ponDropDb;
}
