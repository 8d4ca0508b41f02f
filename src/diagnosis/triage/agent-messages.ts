import type { TriageOptions } from "../thresholds.js";
import { formatDbm, formatDuration, formatMoney, isPositiveAmount } from "../format.js";
import type { TriageFacts } from "./facts.js";
import type { Finding } from "./result.js";
import type { Decision } from "./decide.js";
import { unstableCause } from "./rules/onu-unstable.js";

/** The next step for the agent after the deciding finding's summary (§7: trade words allowed). */
const NEXT: Record<string, string> = {
  "freshness.unavailable": "Sin datos para diagnosticar: hacer las verificaciones básicas con el cliente y reintentar.",
  "incident.pon_down": "No enviar técnico; asociar al incidente.",
  "incident.partial_los": "No enviar técnico; asociar al incidente.",
  "incident.area_power": "Corte de energía en la zona: avisar al cliente; no enviar técnico.",
  "pppoe.disconnect_burst": "Probable evento de zona aún sin incidente: no enviar técnico; avisar al NOC.",
  "billing.blocked": "Derivar a cobranzas; no enviar técnico.",
  "billing.no_service": "Derivar a administración; no enviar técnico.",
  "billing.onu_admin_disabled": "Revisar con cobranzas antes de habilitarla; no enviar técnico.",
  "billing.secret_disabled": "Revisar con administración y habilitar el secret si corresponde; no enviar técnico.",
  "onu.power_fail": "Guiar al cliente: enchufe, fuente, térmica y luces de la ONU; no enviar técnico.",
  "onu.los": "Guiar revisión del patch cord; si sigue, técnico.",
  "onu.offline": "Confirmar con el cliente que el equipo esté encendido; no enviar técnico sin más datos.",
  "optical.rx_critical": "Enviar técnico a revisar bajada y conector (guiar revisión del patch cord si el cliente está en línea).",
  "optical.olt_rx_critical": "Enviar técnico a revisar bajada, conector y la óptica de la ONU.",
  "optical.overload": "Enviar técnico a colocar un atenuador.",
  "optical.drop_vs_median": "Enviar técnico a revisar bajada y conector (guiar revisión del patch cord si el cliente está en línea).",
  "optical.worse_than_odb_peers": "Enviar técnico a revisar bajada y conector (guiar revisión del patch cord si el cliente está en línea).",
  "optical.odb_low": "Enviar técnico a la NAP/alimentador, no a la bajada del cliente.",
  "optical.pon_degrading": "Escalar a planta externa: revisar el PON/alimentador, no la bajada del cliente.",
  "pppoe.secret_missing": "Dar de alta el secret en el router; no enviar técnico.",
  "pppoe.new_caller_id": "Actualizar o liberar el caller-id del secret; no enviar técnico.",
  "pppoe.no_session": "Router del cliente: reiniciarlo y verificar WAN en modo PPPoE con usuario y clave.",
  "pppoe.flapping": "ONU estable: router del cliente o Wi-Fi; reiniciar y revisar el equipo.",
  "queue.saturated": "Ofrecer upgrade o revisar consumo.",
};

export function agentMessage(
  facts: TriageFacts,
  decision: Decision,
  findings: Finding[],
  staleDispatch: boolean,
  options: TriageOptions,
): string {
  const notes = besideNotes(facts, decision, findings);
  if (decision.finding === null) return [allGreen(facts, findings), ...notes].join(" ");
  let next = NEXT[decision.ruleId] ?? "";
  if (decision.ruleId === "onu.unstable") {
    next = unstableCause(facts) === "power_fail" ? "Caídas por energía: revisar la alimentación del equipo con el cliente." : "Óptica: enviar técnico a revisar bajada y conector.";
  }
  if (decision.ruleId === "pppoe.no_session" && findings.some((f) => f.ruleId === "pppoe.new_caller_id")) {
    next = `Caller-id nuevo: router del cliente cambiado. ${next}`;
  }
  if (decision.ruleId === "pppoe.no_session" && facts.onu?.status === "online" && facts.onu.rxPowerDbm !== null) {
    next = `ONU en línea (${formatDbm(facts.onu.rxPowerDbm)} dBm). ${next}`;
  }
  if (staleDispatch) next = "Datos viejos: confirmar el estado en vivo antes de enviar técnico.";
  return [decision.finding.summary, next, ...notes].filter((s) => s !== "").join(" ");
}

/** What stands beside the verdict: billing inside an outage, provisioning drift. */
function besideNotes(facts: TriageFacts, decision: Decision, findings: Finding[]): string[] {
  const notes: string[] = [];
  const has = (id: string): boolean => findings.some((f) => f.ruleId === id);
  if (decision.action === "network_incident" && has("billing.blocked")) {
    const c = facts.customer;
    const debt = c && isPositiveAmount(c.dueDebt) ? ` (${formatMoney(c.dueDebt)} vencidos)` : "";
    notes.push(`Además: cliente bloqueado por deuda${debt}; la restauración no depende solo del pago.`);
  }
  for (const id of ["mismatch.blocked_with_session", "mismatch.enabled_secret_disabled", "mismatch.onu_disabled_account_enabled"]) {
    if (has(id) && decision.ruleId !== id) notes.push("Ojo: desfase de aprovisionamiento entre ISPCube y la red (ver hallazgos).");
  }
  return [...new Set(notes)];
}

/** "Todo en orden: ONU -19.20 dBm, PPPoE activo 3 d, sin deuda. Probable Wi-Fi o equipos del cliente." */
function allGreen(facts: TriageFacts, findings: Finding[]): string {
  const parts: string[] = [];
  const onu = facts.onu;
  if (onu?.status === "online") parts.push(onu.rxPowerDbm === null ? "ONU en línea" : `ONU ${formatDbm(onu.rxPowerDbm)} dBm`);
  else if (onu === null && facts.access !== "fiber") parts.push("sin ONU (inalámbrico)");
  const session = facts.pppoe?.session;
  if (session) parts.push(`PPPoE activo ${formatDuration(session.uptimeS)}`);
  const c = facts.customer;
  if (c) parts.push(isPositiveAmount(c.dueDebt) ? `deuda vencida ${formatMoney(c.dueDebt)}` : "sin deuda");
  const warnings = findings.filter((f) => f.severity !== "info" && !f.ruleId.startsWith("freshness."));
  const watch = warnings.length > 0 ? ` Vigilar: ${warnings.map((f) => f.ruleId).join(", ")}.` : "";
  return `Todo en orden${parts.length ? `: ${parts.join(", ")}` : ""}. Probable Wi-Fi o equipos del cliente.${watch}`;
}
