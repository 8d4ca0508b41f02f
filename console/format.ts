/**
 * Labels and formats for the console, in Spanish (Argentina). Times are shown in the ISP's zone: the
 * API does not expose the server's TRIAGE_TIMEZONE, so this is the default it ships with.
 */
import { timestampDate, type Duration, type Timestamp } from "@bufbuild/protobuf/wkt";
import { CustomerStatus, Freshness, OnuStatus, Source, UnavailableReason } from "../gen/beholder/v1/common_pb.js";
import { Action, Confidence, IncidentKind, Severity } from "../gen/beholder/v1/diagnosis_pb.js";
import { SessionState } from "../gen/beholder/v1/search_pb.js";
import { formatDuration as formatDuration_ } from "../src/time/duration.js";

export const TIME_ZONE = "America/Argentina/Buenos_Aires";

const hm = new Intl.DateTimeFormat("es-AR", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const hms = new Intl.DateTimeFormat("es-AR", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const day = new Intl.DateTimeFormat("es-AR", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "numeric" });
const dayShort = new Intl.DateTimeFormat("es-AR", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit" });
const number = new Intl.NumberFormat("es-AR", { maximumFractionDigits: 1 });
const dbm = new Intl.NumberFormat("es-AR", { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const money = new Intl.NumberFormat("es-AR", { style: "currency", currency: "ARS", maximumFractionDigits: 2 });

export function dateOf(ts: Timestamp | undefined): Date | undefined {
  return ts ? timestampDate(ts) : undefined;
}

/** "14:20" today, "28/11 14:20" another day (in the ISP's zone). */
export function formatWhen(at: Date | undefined, now: Date): string {
  if (!at) return "—";
  const sameDay = day.format(at) === day.format(now);
  return sameDay ? hm.format(at) : `${dayShort.format(at)} ${hm.format(at)}`;
}

export function formatClock(at: Date): string {
  return hms.format(at);
}

/** "40 s", "25 min", "2 h 10 min", "3 d": the same words as the server's sentences. */
export const formatSeconds = formatDuration_;

export function durationSeconds(d: Duration | undefined): number | undefined {
  return d ? Number(d.seconds) + d.nanos / 1e9 : undefined;
}

export function formatDuration(d: Duration | undefined): string {
  const s = durationSeconds(d);
  return s === undefined ? "—" : formatSeconds(s);
}

/** "hace 25 min". */
export function formatAge(at: Date | undefined, now: Date): string {
  if (!at) return "";
  return `hace ${formatSeconds((now.getTime() - at.getTime()) / 1000)}`;
}

export function formatDbm(v: number | undefined): string {
  return v === undefined ? "sin lectura" : `${dbm.format(v)} dBm`;
}

/** Bits per second as "12,4 Mbit/s". */
export function formatBps(bps: number): string {
  if (bps >= 1e9) return `${number.format(bps / 1e9)} Gbit/s`;
  if (bps >= 1e6) return `${number.format(bps / 1e6)} Mbit/s`;
  if (bps >= 1e3) return `${number.format(bps / 1e3)} kbit/s`;
  return `${number.format(bps)} bit/s`;
}

export function formatMoney(amount: string | undefined): string {
  if (amount === undefined || amount.trim() === "") return "—";
  const n = Number(amount);
  return Number.isFinite(n) ? money.format(n) : amount;
}

export const ACTION_LABEL: Record<Action, string> = {
  [Action.UNSPECIFIED]: "Sin veredicto",
  [Action.NO_ACTION]: "Sin acción: está todo en orden",
  [Action.REMOTE]: "Resolver en remoto",
  [Action.DISPATCH]: "Enviar técnico",
  [Action.BILLING]: "Derivar a cobranzas",
  [Action.NETWORK_INCIDENT]: "Incidente de red: no enviar técnico",
};

/** CSS class per action (the banner's colour). */
export const ACTION_CLASS: Record<Action, string> = {
  [Action.UNSPECIFIED]: "act-unknown",
  [Action.NO_ACTION]: "act-ok",
  [Action.REMOTE]: "act-remote",
  [Action.DISPATCH]: "act-dispatch",
  [Action.BILLING]: "act-billing",
  [Action.NETWORK_INCIDENT]: "act-incident",
};

export const CONFIDENCE_LABEL: Record<Confidence, string> = {
  [Confidence.UNSPECIFIED]: "sin dato",
  [Confidence.LOW]: "baja",
  [Confidence.MEDIUM]: "media",
  [Confidence.HIGH]: "alta",
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  [Severity.UNSPECIFIED]: "Dato",
  [Severity.INFO]: "Info",
  [Severity.WARNING]: "Atención",
  [Severity.CRITICAL]: "Crítico",
};

export const SOURCE_LABEL: Record<Source, string> = {
  [Source.UNSPECIFIED]: "Otro",
  [Source.ISPCUBE]: "ISPCube",
  [Source.SMARTOLT]: "SmartOLT",
  [Source.ROUTEROS]: "MikroTik",
};

export const FRESHNESS_LABEL: Record<Freshness, string> = {
  [Freshness.UNSPECIFIED]: "sin dato",
  [Freshness.LIVE]: "en vivo",
  [Freshness.CACHED]: "en caché",
  [Freshness.UNAVAILABLE]: "no disponible",
};

export const REASON_LABEL: Record<UnavailableReason, string> = {
  [UnavailableReason.UNSPECIFIED]: "",
  [UnavailableReason.TIMEOUT]: "no respondió a tiempo",
  [UnavailableReason.BREAKER_OPEN]: "en pausa tras fallas repetidas",
  [UnavailableReason.AUTH]: "rechazó las credenciales",
  [UnavailableReason.RATE_LIMITED]: "límite de consultas alcanzado",
  [UnavailableReason.DISABLED]: "no configurado",
  [UnavailableReason.ERROR]: "error de conexión",
  [UnavailableReason.BAD_RESPONSE]: "respuesta ilegible",
};

export const CUSTOMER_STATUS_LABEL: Record<CustomerStatus, string> = {
  [CustomerStatus.UNSPECIFIED]: "sin dato",
  [CustomerStatus.ENABLED]: "habilitado",
  [CustomerStatus.BLOCKED]: "bloqueado",
  [CustomerStatus.NO_SERVICE]: "sin servicio",
  [CustomerStatus.OTHER]: "otro",
};

export const ONU_STATUS_LABEL: Record<OnuStatus, string> = {
  [OnuStatus.UNSPECIFIED]: "sin dato",
  [OnuStatus.ONLINE]: "en línea",
  [OnuStatus.OFFLINE]: "fuera de línea",
  [OnuStatus.POWER_FAIL]: "sin energía",
  [OnuStatus.LOS]: "LOS (sin señal)",
  [OnuStatus.ADMIN_DISABLED]: "deshabilitada",
};

/** good / warn / bad, for chips. */
export const ONU_STATUS_TONE: Record<OnuStatus, string> = {
  [OnuStatus.UNSPECIFIED]: "none",
  [OnuStatus.ONLINE]: "good",
  [OnuStatus.OFFLINE]: "warn",
  [OnuStatus.POWER_FAIL]: "warn",
  [OnuStatus.LOS]: "bad",
  [OnuStatus.ADMIN_DISABLED]: "bad",
};

export const CUSTOMER_STATUS_TONE: Record<CustomerStatus, string> = {
  [CustomerStatus.UNSPECIFIED]: "none",
  [CustomerStatus.ENABLED]: "good",
  [CustomerStatus.BLOCKED]: "bad",
  [CustomerStatus.NO_SERVICE]: "warn",
  [CustomerStatus.OTHER]: "warn",
};

export const SESSION_LABEL: Record<SessionState, string> = {
  [SessionState.UNSPECIFIED]: "sesión sin dato",
  [SessionState.UP]: "sesión activa",
  [SessionState.DOWN]: "sesión caída",
};

export const SESSION_TONE: Record<SessionState, string> = {
  [SessionState.UNSPECIFIED]: "none",
  [SessionState.UP]: "good",
  [SessionState.DOWN]: "bad",
};

export const INCIDENT_LABEL: Record<IncidentKind, string> = {
  [IncidentKind.UNSPECIFIED]: "Incidente",
  [IncidentKind.PON_DOWN]: "PON caído",
  [IncidentKind.PARTIAL_LOS]: "LOS parcial",
  [IncidentKind.AREA_POWER]: "Corte de energía en la zona",
};
