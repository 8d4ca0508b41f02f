import type { TriageOptions } from "../thresholds.js";
import { formatAge, formatDateTime } from "../format.js";
import type { TriageFacts } from "./facts.js";
import type { Finding, Verdict } from "./result.js";
import type { Incident } from "../outage/types.js";
import { SOURCE_LABEL, isStale } from "./rule.js";

const ACTION_TEXT: Record<Verdict["action"], string> = {
  no_action: "sin acción (Wi-Fi o equipos del cliente)",
  remote: "remoto",
  dispatch: "enviar técnico",
  billing: "facturación / cobranzas",
  network_incident: "incidente de red (sin técnico por cliente)",
};

const CONFIDENCE_TEXT: Record<Verdict["confidence"], string> = { high: "alta", medium: "media", low: "baja" };
const SEVERITY_TEXT: Record<Finding["severity"], string> = { info: "info", warning: "aviso", critical: "crítico" };
const FRESHNESS_TEXT = { live: "en vivo", cached: "caché", unavailable: "no disponible" } as const;

/** Plain text for pasting into a ticket: who, the verdict, its evidence with times, the sources. */
export function ticketText(
  facts: TriageFacts,
  verdict: Verdict,
  findings: Finding[],
  incident: Incident | null,
  options: TriageOptions,
): string {
  const tz = options.timeZone;
  const when = (d: Date | null): string => (d === null ? "sin fecha" : formatDateTime(d, tz));
  const who = facts.pppoeUser ?? facts.onu?.serial ?? facts.customer?.code ?? "-";
  const lines: string[] = [];
  lines.push(`Diagnóstico Beholder: ${who} (${when(facts.now)}, ${tz})`);
  if (facts.customer) lines.push(`Cliente: ${facts.customer.code} ${facts.customer.name} (${facts.customer.statusRaw || facts.customer.status})`);
  if (facts.onu) lines.push(`ONU: ${facts.onu.serial} en ${facts.onu.oltName} ${facts.onu.board ?? "?"}/${facts.onu.port ?? "?"}${facts.onu.odbName ? `, ${facts.onu.odbName}` : ""}`);
  lines.push(`Veredicto: ${ACTION_TEXT[verdict.action]} (regla ${verdict.ruleId})`);
  lines.push(`Confianza: ${CONFIDENCE_TEXT[verdict.confidence]}${verdict.confidenceReason ? ` (${verdict.confidenceReason})` : ""}`);
  lines.push(`Resumen: ${verdict.agentMessage}`);
  if (incident) lines.push(`Incidente: ${incident.id}: ${incident.summary}, desde ${when(incident.startedAt)}`);
  lines.push("Hallazgos:");
  if (findings.length === 0) lines.push("- ninguno");
  for (const f of findings) {
    lines.push(`- [${SEVERITY_TEXT[f.severity]}] ${f.ruleId}: ${f.summary}`);
    for (const e of f.evidence) {
      lines.push(`    ${SOURCE_LABEL[e.source]} ${e.field} = ${e.value} (${when(e.observedAt)}, ${FRESHNESS_TEXT[e.freshness]})`);
    }
    for (const t of f.thresholds) lines.push(`    umbral ${t.name} = ${t.value} ${t.unit}`);
  }
  const sources = facts.sources.map((s) => {
    if (s.freshness === "unavailable") return `${SOURCE_LABEL[s.source]} no disponible${s.reason ? ` (${s.reason})` : ""}`;
    const age = s.asOf ? ` ${formatAge(s.asOf, facts.now)}` : "";
    const old = isStale(s, facts, options) ? ", vieja" : "";
    return `${SOURCE_LABEL[s.source]} ${FRESHNESS_TEXT[s.freshness]}${age}${old}${s.reason ? ` (${s.reason})` : ""}`;
  });
  lines.push(`Fuentes: ${sources.length ? sources.join("; ") : "ninguna"}`);
  return lines.join("\n");
}
