import type { TriageOptions } from "../thresholds.js";
import type { TriageFacts } from "./facts.js";
import type { Action, Finding } from "./result.js";
import { ALL_GREEN } from "./rules/index.js";
import { selfInPonDrop } from "./rules/optical-pon-degrading.js";
import { unstableCause } from "./rules/onu-unstable.js";

/** The rule that decides, before freshness adjusts it. */
export interface Decision {
  action: Action;
  ruleId: string;
  /** The deciding finding (null for all_green). */
  finding: Finding | null;
  /** Why the evidence itself is weak regardless of the sources (e.g. a bare Offline). */
  weakness: { level: "medium" | "low"; reason: string } | null;
}

const DISPATCH_OPTICS = [
  "optical.rx_critical",
  "optical.olt_rx_critical",
  "optical.overload",
  "optical.drop_vs_median",
  "optical.worse_than_odb_peers",
] as const;

/** Walks triage.md §6 in order; the first step that applies decides. */
export function decide(facts: TriageFacts, findings: Finding[], options: TriageOptions): Decision {
  const get = (id: string): Finding | null => findings.find((f) => f.ruleId === id) ?? null;
  const pick = (action: Action, f: Finding | null, weakness: Decision["weakness"] = null): Decision | null =>
    f === null ? null : { action, ruleId: f.ruleId, finding: f, weakness };
  const onu = facts.onu;
  const onuDown = onu !== null && (onu.status === "los" || onu.status === "power_fail" || onu.status === "offline");
  const noSession = facts.pppoe !== null && facts.pppoe.session === null;

  // 0. Nothing answered: there is nothing to decide on (confidence says so too).
  const relevant = facts.sources.filter((s) => !(s.source === "smartolt" && facts.access === "fixed_wireless"));
  if (relevant.length > 0 && relevant.every((s) => s.freshness === "unavailable")) {
    const none = pick("remote", findings.find((f) => f.ruleId === "freshness.unavailable") ?? null, {
      level: "low",
      reason: "ninguna fuente respondió",
    });
    if (none) return none;
  }

  // 1–2. Mass events: no truck per customer.
  const mass =
    pick("network_incident", get("incident.pon_down")) ??
    pick("network_incident", get("incident.partial_los")) ??
    pick("network_incident", get("incident.area_power")) ??
    (onuDown || (onu === null && noSession)
      ? pick("network_incident", get("pppoe.disconnect_burst"), {
          level: "medium",
          reason: "ráfaga de desconexiones en el router sin incidente confirmado en el estado de las ONUs",
        })
      : null);
  if (mass) return mass;

  // 3. Billing.
  const billing =
    pick("billing", get("billing.blocked")) ??
    pick("billing", get("billing.no_service")) ??
    pick("billing", get("billing.onu_admin_disabled")) ??
    pick("billing", get("billing.secret_disabled"));
  if (billing) return billing;

  // 4–5. The ONU itself.
  const own =
    pick("remote", get("onu.power_fail")) ??
    pick("dispatch", get("onu.los")) ??
    pick("remote", get("onu.offline"), { level: "low", reason: "ONU Offline sin causa: puede ser inventario viejo o un equipo apagado" });
  if (own) return own;
  const optics = DISPATCH_OPTICS.map(get).find((f) => f !== null && f.severity === "critical") ?? null;
  if (optics !== null) {
    // A fault shared by the ODB or the port is fixed there, not at this customer's drop.
    const pon = get("optical.pon_degrading");
    if (pon !== null && selfInPonDrop(facts, options.thresholds)) return { action: "dispatch", ruleId: pon.ruleId, finding: pon, weakness: null };
    const odbLow = get("optical.odb_low");
    if (odbLow !== null && onu?.rxPowerDbm != null && onu.rxPowerDbm < options.thresholds.onuRxWarningDbm) {
      return { action: "dispatch", ruleId: odbLow.ruleId, finding: odbLow, weakness: null };
    }
    return { action: "dispatch", ruleId: optics.ruleId, finding: optics, weakness: null };
  }

  // 6. Fibre fine (or none), no PPPoE: the customer's router or credentials.
  const callerId = get("pppoe.new_caller_id");
  const pppoe =
    pick("remote", get("pppoe.secret_missing")) ??
    (callerId?.severity === "critical" && noSession ? pick("remote", callerId) : null) ??
    pick("remote", get("pppoe.no_session"));
  if (pppoe) return pppoe;

  // 7. Flapping: with the ONU dropping too it is optics or power, else the customer's equipment.
  const flapping = get("pppoe.flapping");
  if (flapping !== null) {
    const unstable = get("onu.unstable");
    const cause = unstable === null ? null : unstableCause(facts);
    if (unstable !== null && cause === "los") return { action: "dispatch", ruleId: unstable.ruleId, finding: unstable, weakness: null };
    if (unstable !== null && cause === "power_fail") return { action: "remote", ruleId: unstable.ruleId, finding: unstable, weakness: null };
    return { action: "remote", ruleId: flapping.ruleId, finding: flapping, weakness: null };
  }

  // 8. The plan at its limit, else everything green.
  return pick("remote", get("queue.saturated")) ?? { action: "no_action", ruleId: ALL_GREEN, finding: null, weakness: null };
}
