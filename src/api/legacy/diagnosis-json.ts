import type { DiagnosisResult } from "../../diagnosis/index.js";
import { formatLocal } from "../../time/zoned-time.js";

/** Zones the old system's strings were written in: SmartOLT's account and the routers' clocks. */
export interface LegacyZones {
  smartolt: string;
  routeros: string;
}

type Json = Record<string, unknown>;

const SMARTOLT_STATUS: Record<string, string> = {
  online: "Online",
  offline: "Offline",
  power_fail: "Power fail",
  los: "LOS",
  admin_disabled: "Admin Disabled",
};

const dbm = (v: number | null): string => (v === null ? "-" : `${v.toFixed(2)} dBm`);

/**
 * The old `GET /diagnosis/{pppoe_user}` body, filled from the new engine: the keys the React front end
 * reads (cliente_nombre … onu_signal_smrt.onu_signal_value), with the old system's values and formats
 * (RouterOS strings, SmartOLT strings, "No Vinculado" for unlinked subscribers), plus the verdict under
 * `beholder`. Passwords were never read, so the secret carries none.
 */
export function legacyDiagnosis(d: DiagnosisResult, zones: LegacyZones): Json {
  const { customer, pppoe, router } = d;
  const o = d.onu?.onu;
  const secret = pppoe.secret;
  const comment = secret?.comment?.trim();
  const linked = customer !== null;
  const body: Json = {
    unique_external_id: o?.externalId ?? null,
    pppoe_username: d.pppoeUser ?? "",
    onu_sn: o?.serial ?? "N/A",
    Modo: o?.mode ?? "N/A",
    OLT: o?.oltName ?? "N/A",
    nodo_nombre: router?.name ?? "Desconocido",
    nodo_ip: router?.host ?? null,
    puerto: router?.port ?? null,
    plan: d.plan?.name ?? "N/A",
    direccion: d.connection?.address ?? customer?.address ?? "N/A",
    cliente_nombre: linked ? customer.name : `No Vinculado${comment ? ` (${comment})` : ""}`,
    mac: pppoe.session?.callerId ?? secret?.lastCallerId ?? null,
    mikrotik: mikrotik(d, zones.routeros),
    onu_status_smrt: o
      ? {
          status: true,
          onu_status: SMARTOLT_STATUS[o.status] ?? "-",
          last_status_change: o.lastStatusChange ? formatLocal(o.lastStatusChange, zones.smartolt) : null,
          response_code: "success",
        }
      : { status: false, error: "Sin ONU asociada" },
    ...(o
      ? {
          onu_signal_smrt: {
            status: true,
            onu_signal: o.signalCategory || "-",
            onu_signal_value:
              o.rxPowerDbm === null && o.oltRxPowerDbm === null
                ? "-"
                : `${dbm(o.rxPowerDbm)} / ${dbm(o.oltRxPowerDbm)}${o.distanceM === null ? "" : ` (${o.distanceM}m)`}`,
            onu_signal_1310: dbm(o.oltRxPowerDbm),
            onu_signal_1490: dbm(o.rxPowerDbm),
            response_code: "success",
          },
          onu_vlan: o.vlans.map(String),
        }
      : {}),
    beholder: beholder(d),
  };
  return body;
}

function mikrotik(d: DiagnosisResult, zone: string): Json {
  const routeros = d.sources.find((s) => s.source === "routeros");
  const { secret, session } = d.pppoe;
  const secretJson = secret
    ? {
        name: secret.name,
        service: secret.service,
        "caller-id": secret.callerId ?? "",
        profile: secret.profile,
        "remote-address": secret.remoteAddress ?? "",
        ...(secret.lastLoggedOut ? { "last-logged-out": formatLocal(secret.lastLoggedOut, zone) } : {}),
        ...(secret.lastCallerId ? { "last-caller-id": secret.lastCallerId } : {}),
        ...(secret.lastDisconnectReason ? { "last-disconnect-reason": secret.lastDisconnectReason } : {}),
        disabled: String(secret.disabled),
        comment: secret.comment ?? "",
      }
    : undefined;
  if (session) {
    return {
      active: true,
      name: secret?.name ?? d.pppoeUser ?? "",
      service: session.service,
      "caller-id": session.callerId ?? "",
      address: session.address ?? "",
      uptime: routerOsDuration(session.uptimeS),
      "session-id": session.sessionId ?? "",
      ...(secretJson ? { secret: secretJson } : {}),
    };
  }
  if (routeros?.freshness !== "live") {
    const error = routeros ? routeros.detail || "router not read" : "No Router IP";
    return { active: false, error, ...(secretJson ? { secret: secretJson } : {}) };
  }
  return { active: false, ...(secretJson ? { secret: secretJson } : {}) };
}

/** The new engine's answer, for the old screen: the verdict, its evidence and the sources' freshness. */
function beholder(d: DiagnosisResult): Json {
  return {
    action: d.verdict.action,
    rule_id: d.verdict.ruleId,
    confidence: d.verdict.confidence,
    confidence_reason: d.verdict.confidenceReason,
    agent_message: d.verdict.agentMessage,
    customer_message: d.verdict.customerMessage,
    ticket_text: d.ticketText,
    incident: d.incident ? { id: d.incident.id, kind: d.incident.kind, summary: d.incident.summary, started_at: d.incident.startedAt.toISOString() } : null,
    findings: d.findings.map((f) => ({ rule_id: f.ruleId, severity: f.severity, summary: f.summary })),
    sources: d.sources.map((s) => ({
      source: s.source,
      freshness: s.freshness,
      as_of: s.asOf?.toISOString() ?? null,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.detail ? { detail: s.detail } : {}),
    })),
    generated_at: d.generatedAt.toISOString(),
  };
}

/** RouterOS' interval notation: `3d4h12m5s`, `1w2d3h`, `0s`. */
function routerOsDuration(seconds: number): string {
  let s = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of [["w", 604_800], ["d", 86_400], ["h", 3600], ["m", 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join("");
}
