import type { Odb, Olt, Onu, SmartOltWorld, Zone } from "../scenario/types.js";
import { formatLocal } from "../../src/time/zoned-time.js";

/**
 * Pure rendering of the lab's domain ONUs into SmartOLT wire rows (shared/vendors/smartolt.md §2, §4):
 * every id and number as a string, optical levels as `"-24.95 dBm"` or `"-"`, timestamps as account-local
 * `YYYY-MM-DD HH:MM:SS`.
 */

export type SignalCategory = "Very good" | "Warning" | "Critical" | "-";

/** Per-request lookups; rebuilt each request because the control API mutates the world in place. */
export interface RenderContext {
  olts: Map<number, Olt>;
  zones: Map<number, Zone>;
  odbs: Map<number, Odb>;
  timeZone: string;
}

export function createRenderContext(world: SmartOltWorld): RenderContext {
  return {
    olts: new Map(world.olts.map((o) => [o.id, o])),
    zones: new Map(world.zones.map((z) => [z.id, z])),
    odbs: new Map(world.odbs.map((o) => [o.id, o])),
    timeZone: world.timezone,
  };
}

// §2.2: default account thresholds, Warning ≤ -30 dBm and Critical ≤ -32 dBm, documented on OLT RX (1310).
const WARNING_DBM = -30;
const CRITICAL_DBM = -32;

/** `"-24.95 dBm"`, or `"-"` when there is no reading (§2.2). */
export function formatDbm(dbm: number | null): string {
  return dbm === null || !Number.isFinite(dbm) ? "-" : `${dbm.toFixed(2)} dBm`;
}

/** The levels SmartOLT would report: an ONU that is not Online has no reading at all. */
export function readings(onu: Onu): { rx: number | null; oltRx: number | null } {
  if (onu.status !== "Online") return { rx: null, oltRx: null };
  return { rx: onu.rxDbm, oltRx: onu.oltRxDbm };
}

/**
 * The doc gives thresholds only for OLT RX (1310). The category is taken from the worse of the two
 * levels against those thresholds: it equals the documented rule whenever 1310 is the weaker side (the
 * usual case, and the captured sample), and still flags a bad ONU RX when only that side is degraded.
 */
export function signalCategory(onu: Onu): SignalCategory {
  const { rx, oltRx } = readings(onu);
  const levels = [rx, oltRx].filter((v): v is number => v !== null && Number.isFinite(v));
  if (levels.length === 0) return "-";
  const worst = Math.min(...levels);
  if (worst <= CRITICAL_DBM) return "Critical";
  if (worst <= WARNING_DBM) return "Warning";
  return "Very good";
}

/** Domain ISO-8601 UTC → account-local wall time; null when the instant is unknown. */
export function formatInstant(iso: string | null | undefined, rc: RenderContext): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : formatLocal(ms, rc.timeZone);
}

/** Where an ONU sits, as the bulk status and signal rows both carry it (numbers as strings, §4). */
function positionFields(onu: Onu): Record<string, string> {
  return {
    unique_external_id: onu.externalId,
    sn: onu.sn,
    olt_id: String(onu.oltId),
    board: String(onu.board),
    port: String(onu.port),
    onu: String(onu.onu),
    zone_id: String(onu.zoneId),
  };
}

/** A `get_onus_statuses` row (§2.2 sample field set). */
export function renderStatusRow(onu: Onu, rc: RenderContext): Record<string, unknown> {
  return {
    ...positionFields(onu),
    name: onu.name,
    address: onu.address,
    contact: "",
    odb_id: onu.odbId === null ? null : String(onu.odbId),
    status: onu.status,
    last_status_change: formatInstant(onu.lastStatusChange, rc),
  };
}

/** A `get_onus_signals` row (§2.2). */
export function renderSignalRow(onu: Onu): Record<string, unknown> {
  const { rx, oltRx } = readings(onu);
  return {
    ...positionFields(onu),
    signal: signalCategory(onu),
    signal_1310: formatDbm(oltRx),
    signal_1490: formatDbm(rx),
  };
}

/** `get_onu_status/{ext}`: flat fields beside `status` (§1.3, §2.3). */
export function renderOnuStatus(onu: Onu, rc: RenderContext): Record<string, unknown> {
  return {
    status: true,
    onu_status: onu.status,
    last_status_change: formatInstant(onu.lastStatusChange, rc),
    response_code: "success",
  };
}

/**
 * `get_onu_signal/{ext}`. `onu_signal_value`'s public format is unverified; it follows the UI twin's
 * `"-24.95 dBm / -30.46 dBm (1447m)"` (ONU RX / OLT RX (distance)), as §2.3 suggests.
 */
export function renderOnuSignal(onu: Onu): Record<string, unknown> {
  const { rx, oltRx } = readings(onu);
  const distance = onu.distanceM === undefined ? "" : ` (${Math.round(onu.distanceM)}m)`;
  const value = rx === null && oltRx === null ? "-" : `${formatDbm(rx)} / ${formatDbm(oltRx)}${distance}`;
  return {
    status: true,
    response_code: "success",
    onu_signal: signalCategory(onu),
    onu_signal_value: value,
    onu_signal_1310: formatDbm(oltRx),
    onu_signal_1490: formatDbm(rx),
  };
}

export function renderOlt(olt: Olt): Record<string, unknown> {
  // The scenario has no management ports; these are the usual defaults.
  return {
    id: String(olt.id),
    name: olt.name,
    olt_hardware_version: olt.hardwareVersion,
    ip: olt.ip,
    telnet_port: "23",
    snmp_port: "161",
  };
}

export function renderZone(zone: Zone): Record<string, unknown> {
  return { id: String(zone.id), name: zone.name, imported_date: null, imported_from_olt: null };
}

export function renderOdb(odb: Odb, rc: RenderContext): Record<string, unknown> {
  return {
    id: String(odb.id),
    name: odb.name,
    ports: String(odb.ports),
    latitude: null,
    longitude: null,
    zone_id: String(odb.zoneId),
    zone_name: rc.zones.get(odb.zoneId)?.name ?? null,
  };
}
