/**
 * Pure parsing of ISPCube's wire JSON into domain values (shared/vendors/ispcube.md §3.4, §3.5, §4).
 * Wrong shapes throw VendorError "bad_response"; the odd-but-documented mixes (money as `0` or `""`,
 * ids as strings, `null` next to `""`) are normalised here so nothing downstream sees them.
 */
import { normalizeUser, type Connection, type Customer, type CustomerStatus, type Node, type Plan } from "../../domain/types.js";
import { instantAtWallMs } from "../../time/zoned-time.js";
import { VendorError } from "../errors.js";
import type { WireConnection, WireCustomer, WireNode, WirePlan } from "./wire.js";

/** ISPCube writes business dates in Argentine time (§3.5); the zone also knows the DST of 2007–2009. */
const ISPCUBE_TIME_ZONE = "America/Argentina/Buenos_Aires";
const CUSTOMER_STATUSES: ReadonlySet<string> = new Set(["enabled", "blocked", "no_service"]);
/** Sanctum `<id>|<40 chars>`, or a JWT-like value from other versions: no spaces, no markup. */
const TOKEN_SHAPE = /^[A-Za-z0-9|._~+/=-]{8,}$/;

function bad(op: string, message: string): VendorError {
  return new VendorError("ispcube", op, "bad_response", message);
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The token from a login body, whatever its shape (§2.2): `{"token"}` (production), `{"data":{"token"}}`,
 * `{"access_token"}`, a bare text body, or the Postman example's `{ 5|Uda… }`. Undefined when none is
 * there; the body itself never goes into an error, since it may hold a token.
 */
export function parseToken(body: string): string | undefined {
  const text = body.trim();
  if (text === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isObject(parsed)) {
    const data = isObject(parsed["data"]) ? parsed["data"] : {};
    const found = [parsed["token"], data["token"], parsed["access_token"], data["access_token"]].find(
      (t): t is string => typeof t === "string" && TOKEN_SHAPE.test(t.trim()),
    );
    return found?.trim();
  }
  const bare = typeof parsed === "string" ? parsed.trim() : text.replace(/^[\s{["']+|[\s}\]"']+$/g, "");
  return TOKEN_SHAPE.test(bare) ? bare : undefined;
}

/** The message of ISPCube's `{"status": false, "message": …}`, which also comes with HTTP 200 (§3.2). */
export function statusErrorMessage(body: unknown): string | undefined {
  if (!isObject(body) || body["status"] !== false) return undefined;
  const message = body["message"];
  return typeof message === "string" && message.trim() !== "" ? message.trim() : "status false without a message";
}

/**
 * Money as a decimal string with exactly two fraction digits, rounded half away from zero:
 * `"0"`, `0` and `"14400.5"` become `"0.00"`, `"0.00"`, `"14400.50"`; null and `""` are zero (§3.4).
 */
export function normalizeMoney(value: unknown): string | undefined {
  if (value === null || value === undefined || value === "") return "0.00";
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    text = /e/i.test(String(value)) ? value.toFixed(2) : String(value);
  } else if (typeof value === "string") {
    text = value.trim();
  } else {
    return undefined;
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const fraction = (m[3] ?? "").padEnd(3, "0");
  let cents = BigInt((m[2] || "0") + fraction.slice(0, 2));
  if (fraction.charCodeAt(2) >= "5".charCodeAt(0)) cents += 1n;
  const digits = cents.toString().padStart(3, "0");
  const sign = m[1] === "-" && cents !== 0n ? "-" : "";
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A 0/1 flag (also tolerated as a boolean or `"0"`/`"1"`); null is off. */
export function parseFlag(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.trim() !== "" && value.trim() !== "0";
  return false;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

function dateParts(value: string): { ms: number; zone: string | undefined } | undefined {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2024-02-31 over into March; a real date survives the round trip.
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return { ms, zone: m[7] };
}

/** MySQL's zero date and empty strings mean "no date". */
function isNoDate(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && (value.trim() === "" || value.startsWith("0000-00-00")));
}

/**
 * A model timestamp (`created_at`, `deleted_at`): UTC, `2014-04-01T03:00:00.000000Z`, sometimes with a
 * space instead of `T` and no `Z` (§3.5), which is still UTC. Null when absent; undefined when malformed.
 */
export function parseLaravelUtc(value: unknown): Date | null | undefined {
  if (isNoDate(value)) return null;
  if (typeof value !== "string") return undefined;
  const p = dateParts(value);
  if (!p) return undefined;
  if (p.zone === undefined || p.zone === "Z") return new Date(p.ms);
  const sign = p.zone.startsWith("-") ? -1 : 1;
  const digits = p.zone.slice(1).replace(":", "");
  return new Date(p.ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000);
}

/**
 * A business date (`block_date`, `start_date`): Argentine wall-clock time without a zone,
 * `2014-04-01 00:00:00` = `2014-04-01T03:00:00Z` (§3.5). Null when absent; undefined when malformed.
 */
export function parseArgentineLocal(value: unknown): Date | null | undefined {
  if (isNoDate(value)) return null;
  if (typeof value !== "string") return undefined;
  const p = dateParts(value);
  if (!p) return undefined;
  return p.zone === undefined ? instantAtWallMs(p.ms, ISPCUBE_TIME_ZONE) : parseLaravelUtc(value);
}

// --- field readers: each names the field in its error ---

function id(op: string, row: Obj, field: string): number {
  const v = row[field];
  const n = typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw bad(op, `${field} is not an id`);
  return n;
}

function idOrNull(op: string, row: Obj, field: string): number | null {
  const v = row[field];
  return v === null || v === undefined || v === "" ? null : id(op, row, field);
}

function text(value: unknown): string | null {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return null;
  const t = value.trim();
  return t === "" ? null : t;
}

function money(op: string, row: Obj, field: string): string {
  const m = normalizeMoney(row[field]);
  if (m === undefined) throw bad(op, `${field} is not a decimal amount`);
  return m;
}

function utc(op: string, row: Obj, field: string): Date | null {
  const d = parseLaravelUtc(row[field]);
  if (d === undefined) throw bad(op, `${field} is not a timestamp`);
  return d;
}

function local(op: string, row: Obj, field: string): Date | null {
  const d = parseArgentineLocal(row[field]);
  if (d === undefined) throw bad(op, `${field} is not a date`);
  return d;
}

function count(op: string, row: Obj, field: string): number {
  const v = row[field];
  if (v === null || v === undefined || v === "") return 0;
  const n = typeof v === "string" ? Number(v.trim()) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) throw bad(op, `${field} is not a number`);
  return n;
}

function items(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

// --- entities ---

export function parseCustomer(raw: unknown, op = "customer"): Customer {
  if (!isObject(raw)) throw bad(op, "customer is not an object");
  const c = raw as WireCustomer & Obj;
  const code = text(c.code);
  if (code === null) throw bad(op, "customer without a code");
  const statusRaw = typeof c.status === "string" ? c.status.trim() : "";
  return {
    id: id(op, c, "id"),
    code,
    name: text(c.name) ?? "",
    docNumber: text(c.doc_number),
    address: text(c.address) ?? text(c.tax_residence),
    city: isObject(c.city) ? text(c.city["name"]) : null,
    status: CUSTOMER_STATUSES.has(statusRaw) ? (statusRaw as CustomerStatus) : "other",
    statusRaw,
    debt: money(op, c, "debt"),
    dueDebt: money(op, c, "duedebt"),
    phones: items(c.phones).flatMap((p) => text(p["number"]) ?? []),
    emails: items(c.contact_emails).flatMap((e) => text(e["email"]) ?? []),
    blockedAt: local(op, c, "block_date"),
    createdAt: utc(op, c, "created_at"),
    deleted: utc(op, c, "deleted_at") !== null,
  };
}

export function parseConnection(raw: unknown, op = "connections_list"): Connection {
  if (!isObject(raw)) throw bad(op, "connection is not an object");
  const c = raw as WireConnection & Obj;
  return {
    id: id(op, c, "id"),
    customerId: id(op, c, "customer_id"),
    planId: idOrNull(op, c, "plan_id"),
    nodeId: idOrNull(op, c, "node_id"),
    kind: text(c.conntype)?.toLowerCase() ?? "unknown",
    pppoeUser: normalizeUser(typeof c.user === "string" ? c.user : null),
    address: text(c.address),
    ip: text(c.ip),
    // "Live" = no delete_date and not deleted_in_provider (§4.2, S9).
    deleted: local(op, c, "delete_date") !== null || parseFlag(c.deleted_in_provider) || utc(op, c, "deleted_at") !== null,
  };
}

export function parsePlan(raw: unknown, op = "plans_list"): Plan {
  if (!isObject(raw)) throw bad(op, "plan is not an object");
  const p = raw as WirePlan & Obj;
  return {
    id: id(op, p, "id"),
    name: text(p.name) ?? "",
    downloadKbps: count(op, p, "speeddown"),
    uploadKbps: count(op, p, "speedup"),
    price: money(op, p, "price"),
  };
}

/** The node's `user`/`pass` are the router's credentials (§4.5): they are deliberately not read. */
export function parseNode(raw: unknown, op = "nodes_list"): Node {
  if (!isObject(raw)) throw bad(op, "node is not an object");
  const n = raw as WireNode & Obj;
  const nodeId = id(op, n, "id");
  const port = count(op, n, "port");
  if (!Number.isInteger(port) || port > 65535) throw bad(op, "port is not a TCP port");
  return {
    id: nodeId,
    // The display name is the comment (S14, S15); the code is the fallback.
    name: text(n.comment) ?? text(n.code) ?? `node ${nodeId}`,
    type: text(n.type) ?? "",
    host: text(n.ip) ?? "",
    port,
  };
}

/**
 * A list endpoint's rows: a bare array (§3.1), or defensively `{"data": [...]}` as some clients
 * unwrap (S11, S14, S16).
 */
export function parseList<T>(body: unknown, op: string, parseItem: (raw: unknown, op: string) => T): T[] {
  const rows = isObject(body) && Array.isArray(body["data"]) ? body["data"] : body;
  if (!Array.isArray(rows)) throw bad(op, "expected a JSON array");
  return rows.map((row) => parseItem(row, op));
}

/** `GET /api/customer`: one object; an array is taken defensively (S13). Undefined when empty. */
export function parseCustomerLookup(body: unknown, op = "customer"): Customer | undefined {
  if (Array.isArray(body)) return body.length === 0 ? undefined : parseCustomer(body[0], op);
  return parseCustomer(body, op);
}
