import type { Rule } from "../rule.js";
import { at, evidence, finding, threshold } from "../rule.js";

/**
 * §3: a burst of PPPoE disconnects on the router around the moment this customer dropped
 * corroborates an area event (and, with no incident computed yet, suggests one is under way).
 */
export const disconnectBurst: Rule = {
  id: "pppoe.disconnect_burst",
  evaluate(facts, options) {
    const log = facts.routerLogouts;
    if (log === null) return null;
    const ref = dropTime(facts);
    if (ref === null) return null;
    const half = options.thresholds.disconnectBurstWindowS * 1000;
    const count = log.times.filter((t) => Math.abs(t.getTime() - ref.getTime()) <= half).length;
    if (count < options.thresholds.disconnectBurstMin) return null;
    return finding(
      "pppoe.disconnect_burst",
      "warning",
      `${count} desconexiones PPPoE en el router alrededor de las ${at(ref, facts, options)}: evento de zona, no de este cliente solo.`,
      [evidence("routeros", "router.pppoe_logouts_near_drop", String(count), log)],
      [threshold(options, "disconnectBurstMin"), threshold(options, "disconnectBurstWindowS")],
    );
  },
};

/** When this customer dropped: the ONU's change when it is down, else the last PPPoE logout. */
export function dropTime(facts: Parameters<Rule["evaluate"]>[0]): Date | null {
  const onu = facts.onu;
  if (onu !== null && onu.status !== "online" && onu.lastStatusChange !== null) return onu.lastStatusChange;
  if (facts.pppoe !== null && facts.pppoe.session === null) return facts.pppoe.secret?.lastLoggedOut ?? null;
  return null;
}
