import {
  normalizeUser,
  type Odb,
  type Olt,
  type OnuRecord,
  type OnuSignalReading,
  type OnuStatus,
  type OnuStatusReading,
  type Zone,
} from "../../domain/types.js";
import { VendorError } from "../errors.js";
import {
  collectVlans,
  parseAdminEnabled,
  parseCount,
  parseDbm,
  parseDistanceM,
  parseIntOrNull,
  parseOnuStatus,
  signalCategory,
  text,
  textOrNull,
} from "./values.js";
import type {
  InventoryPageEnvelope,
  OnuSignalEnvelope,
  OnuStatusEnvelope,
  WireOdb,
  WireOlt,
  WireOnuRecord,
  WireOutagePon,
  WireSignalRow,
  WireStatusRow,
  WireZone,
} from "./wire.js";
import { parseLocal } from "../../time/zoned-time.js";

/**
 * Pure parsers: SmartOLT JSON bodies → domain values (shared/vendors/smartolt.md §1.3, §2). Each
 * endpoint family has its own envelope; a body without its payload key is a bad_response.
 */

/**
 * SmartOLT writes times as `YYYY-MM-DD HH:MM:SS` with no offset, in the account's configured time zone
 * (shared/vendors/smartolt.md §4, §5.2; one integrator misread them by five hours taking them as UTC).
 * Null for empty, zero or malformed values; a `T` between date and time is tolerated.
 */
export function parseSmartOltTime(local: string | null | undefined, timeZone: string): Date | null {
  const v = local?.trim().replace(/^(\d{4}-\d{2}-\d{2})T/, "$1 ");
  return (v && parseLocal(v, timeZone)) || null;
}

/** A PON port SmartOLT counts as an outage (`system/get_outage_pons/{olt_id}`). */
export interface OutagePon {
  oltId: string;
  oltName: string;
  board: number | null;
  port: number | null;
  description: string | null;
  totalOnus: number;
  losCount: number;
  powerFailCount: number;
  /** SmartOLT's guess at the cause: mostly LOS (a fibre cut) or mostly power failures (a blackout). */
  cause: "los" | "power_fail" | "unknown";
  latestStatusChange: Date | null;
}

/** `get_onu_status/{ext}`: a live read from the OLT. */
export interface OnuLiveStatus {
  status: OnuStatus;
  lastStatusChange: Date | null;
}

export interface InventoryPage {
  records: OnuRecord[];
  page: number;
  totalPages: number;
  totalItems: number;
}

type Row = Record<string, unknown>;
/** A wire object whose field names the compiler checks and whose values nobody trusts. */
type Loose<T> = { [K in keyof T]?: unknown };

const isRow = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

function badResponse(op: string, message: string): VendorError {
  return new VendorError("smartolt", op, "bad_response", message);
}

/** The object body, refusing the `status: false` the HTTP layer should already have turned into an error. */
function envelope(op: string, body: unknown): Row {
  if (!isRow(body)) throw badResponse(op, "answer is not a JSON object");
  if (body.status === false) throw badResponse(op, `answer has status false: ${text(body.error ?? body.message)}`);
  return body;
}

function rowsUnder<T>(op: string, body: unknown, key: string): Loose<T>[] {
  const rows = envelope(op, body)[key];
  if (!Array.isArray(rows)) throw badResponse(op, `answer has no "${key}" list`);
  return rows.map((r, i) => {
    if (!isRow(r)) throw badResponse(op, `${key}[${i}] is not an object`);
    return r;
  });
}

function requiredId(op: string, value: unknown, field: string): string {
  const v = textOrNull(value);
  if (v === null) throw badResponse(op, `row without ${field}`);
  return v;
}

/** §1.3: list endpoints answer under `response`. */
export function parseOlts(op: string, body: unknown): Olt[] {
  return rowsUnder<WireOlt>(op, body, "response").map((r) => ({ id: requiredId(op, r.id, "id"), name: text(r.name) }));
}

export function parseZones(op: string, body: unknown): Zone[] {
  return rowsUnder<WireZone>(op, body, "response").map((r) => ({ id: requiredId(op, r.id, "id"), name: text(r.name) }));
}

export function parseOdbs(op: string, body: unknown): Odb[] {
  return rowsUnder<WireOdb>(op, body, "response").map((r) => ({
    id: requiredId(op, r.id, "id"),
    name: text(r.name),
    zoneId: textOrNull(r.zone_id),
  }));
}

/**
 * The bulk exports hold a row per ONU (100,000 at the largest ISPs): rows are read a slice at a time,
 * with the event loop free between slices (one pass over 100,000 held it about 200 ms).
 */
const BULK_ROWS_PER_SLICE = 5_000;

async function mapInSlices<W, R>(op: string, body: unknown, map: (r: Loose<W>) => R): Promise<R[]> {
  const rows = envelope(op, body).response;
  if (!Array.isArray(rows)) throw badResponse(op, `answer has no "response" list`);
  const out: R[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % BULK_ROWS_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const r: unknown = rows[i];
    if (!isRow(r)) throw badResponse(op, `response[${i}] is not an object`);
    out.push(map(r as Loose<W>));
  }
  return out;
}

export function parseStatusRows(op: string, body: unknown, timeZone: string): Promise<OnuStatusReading[]> {
  return mapInSlices<WireStatusRow, OnuStatusReading>(op, body, (r) => ({
    externalId: requiredId(op, r.unique_external_id, "unique_external_id"),
    serial: text(r.sn),
    oltId: text(r.olt_id),
    board: parseIntOrNull(r.board),
    port: parseIntOrNull(r.port),
    onuIndex: parseIntOrNull(r.onu),
    zoneId: textOrNull(r.zone_id),
    odbId: textOrNull(r.odb_id),
    status: parseOnuStatus(r.status),
    lastStatusChange: parseSmartOltTime(textOrNull(r.last_status_change), timeZone),
  }));
}

export function parseSignalRows(op: string, body: unknown): Promise<OnuSignalReading[]> {
  return mapInSlices<WireSignalRow, OnuSignalReading>(op, body, (r) => ({
    externalId: requiredId(op, r.unique_external_id, "unique_external_id"),
    // signal_1490 is what the ONU receives (downstream), signal_1310 what the OLT receives from it.
    rxPowerDbm: parseDbm(r.signal_1490),
    oltRxPowerDbm: parseDbm(r.signal_1310),
    signalCategory: signalCategory(r.signal),
  }));
}

/** One inventory record (`get_all_onus_details`, `get_onu_details`). */
export function parseOnuRecord(op: string, r: Loose<WireOnuRecord>, timeZone: string): OnuRecord {
  const status = parseOnuStatus(r.status);
  return {
    externalId: requiredId(op, r.unique_external_id, "unique_external_id"),
    serial: text(r.sn),
    oltId: text(r.olt_id),
    oltName: text(r.olt_name),
    board: parseIntOrNull(r.board),
    port: parseIntOrNull(r.port),
    onuIndex: parseIntOrNull(r.onu),
    zoneId: textOrNull(r.zone_id),
    zoneName: textOrNull(r.zone_name),
    odbName: textOrNull(r.odb_name),
    name: text(r.name),
    address: textOrNull(r.address),
    pppoeUser: normalizeUser(textOrNull(r.username)),
    status,
    adminEnabled: parseAdminEnabled(r.administrative_status, status),
    lastStatusChange: parseSmartOltTime(textOrNull(r.last_status_change), timeZone),
    rxPowerDbm: parseDbm(r.signal_1490),
    oltRxPowerDbm: parseDbm(r.signal_1310),
    signalCategory: signalCategory(r.signal),
    vlans: collectVlans(r.vlan, r.service_ports),
    onuType: text(r.onu_type_name),
    mode: text(r.mode),
    distanceM: parseDistanceM(r.distance),
  };
}

/**
 * §2.2: paged `get_all_onus_details` answers `{page, page_size, total_items, total_pages, onus}` (the
 * capture shows no `status`); its rows are under `onus`, not `response`.
 */
export function parseInventoryPage(op: string, body: unknown, timeZone: string): InventoryPage {
  const rows = rowsUnder<WireOnuRecord>(op, body, "onus");
  const env = body as Loose<InventoryPageEnvelope>;
  const page = parseIntOrNull(env.page);
  const totalPages = parseIntOrNull(env.total_pages);
  const totalItems = parseIntOrNull(env.total_items);
  if (page === null || totalPages === null || totalItems === null) {
    throw badResponse(op, "paged answer without page, total_pages or total_items");
  }
  return { records: rows.map((r) => parseOnuRecord(op, r, timeZone)), page, totalPages, totalItems };
}

/** §1.3: `{"status":true,"onu_details":{…}}`, the record plus `distance`. */
export function parseOnuDetails(op: string, body: unknown, timeZone: string): OnuRecord {
  const details = envelope(op, body).onu_details;
  if (!isRow(details)) throw badResponse(op, 'answer has no "onu_details" object');
  return parseOnuRecord(op, details, timeZone);
}

/** §2.3: flat `onu_status` and `last_status_change` beside `status`. */
export function parseOnuLiveStatus(op: string, body: unknown, timeZone: string): OnuLiveStatus {
  const env: Loose<OnuStatusEnvelope> = envelope(op, body);
  if (typeof env.onu_status !== "string") throw badResponse(op, 'answer has no "onu_status"');
  return { status: parseOnuStatus(env.onu_status), lastStatusChange: parseSmartOltTime(textOrNull(env.last_status_change), timeZone) };
}

/** §2.3: flat `onu_signal`, `onu_signal_1310`, `onu_signal_1490` beside `status`. */
export function parseOnuLiveSignal(op: string, externalId: string, body: unknown): OnuSignalReading {
  const env: Loose<OnuSignalEnvelope> = envelope(op, body);
  if (!("onu_signal_1490" in env) && !("onu_signal_1310" in env) && !("onu_signal" in env)) {
    throw badResponse(op, 'answer has no "onu_signal" fields');
  }
  return {
    externalId,
    rxPowerDbm: parseDbm(env.onu_signal_1490),
    oltRxPowerDbm: parseDbm(env.onu_signal_1310),
    signalCategory: signalCategory(env.onu_signal),
    // The combined display string ends in the fibre distance, "(1447m)" (§2.3, format unverified).
    distanceM: parseDistanceM(/\((\d+(?:\.\d+)?)\s*m\)\s*$/.exec(typeof env.onu_signal_value === "string" ? env.onu_signal_value : "")?.[1]),
  };
}

export function parseOutagePons(op: string, body: unknown, timeZone: string): OutagePon[] {
  return rowsUnder<WireOutagePon>(op, body, "response").map((r) => {
    const cause = parseOnuStatus(r.cause);
    return {
      oltId: requiredId(op, r.olt_id, "olt_id"),
      oltName: text(r.olt_name),
      board: parseIntOrNull(r.board),
      port: parseIntOrNull(r.port),
      description: textOrNull(r.pon_description),
      totalOnus: parseCount(r.total_onus),
      losCount: parseCount(r.los_count),
      powerFailCount: parseCount(r.power_count),
      cause: cause === "los" || cause === "power_fail" ? cause : "unknown",
      latestStatusChange: parseSmartOltTime(textOrNull(r.latest_status_change), timeZone),
    };
  });
}
