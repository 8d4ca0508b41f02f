import type { PppSecret, PppSession, QueueReading, RouterLogEntry, TrafficReading } from "../../domain/types.js";
import { normalizeUser } from "../../domain/types.js";
import type { VendorErrorKind } from "../errors.js";
import { VendorError } from "../errors.js";
import { parseBoolean, parseCount, parseDuration, parseMac, parseRatePair, parseRouterDate, textOrNull } from "./values.js";
import type { WireRow } from "./wire.js";

/**
 * Pure: RouterOS `!re` rows (shared/vendors/routeros.md §3) → domain values. A wrong shape throws
 * VendorError `bad_response`, naming the field.
 */
export interface ParseContext {
  /** For errors, e.g. "core-1 /ppp/secret/print". */
  op: string;
  /** IANA zone of the router's clock: its dates carry no offset. */
  timeZone: string;
  now: Date;
}

function bad(ctx: ParseContext, message: string): VendorError {
  return new VendorError("routeros", ctx.op, "bad_response", message);
}

function required<T>(ctx: ParseContext, row: WireRow, field: string, value: T | null | undefined): T {
  if (value === undefined || value === null) throw bad(ctx, `${field} is missing or unreadable: ${JSON.stringify(row[field] ?? null)}`);
  return value;
}

function optional<T>(ctx: ParseContext, row: WireRow, field: string, value: T | null | undefined): T | null {
  if (value === undefined) throw bad(ctx, `${field} is unreadable: ${JSON.stringify(row[field] ?? null)}`);
  return value;
}

function date(ctx: ParseContext, row: WireRow, field: string): Date | null {
  return optional(ctx, row, field, parseRouterDate(row[field], ctx.timeZone, ctx.now));
}

function user(ctx: ParseContext, row: WireRow): string {
  return required(ctx, row, "name", normalizeUser(row.name));
}

export function parseSecret(row: WireRow, ctx: ParseContext): PppSecret {
  return {
    name: user(ctx, row),
    profile: textOrNull(row.profile) ?? "default",
    service: textOrNull(row.service) ?? "any",
    // An unset flag is not sent by every version; RouterOS' default is enabled.
    disabled: optional(ctx, row, "disabled", parseBoolean(row.disabled)) ?? false,
    remoteAddress: textOrNull(row["remote-address"]),
    callerId: parseMac(row["caller-id"]),
    lastLoggedOut: date(ctx, row, "last-logged-out"),
    lastCallerId: parseMac(row["last-caller-id"]),
    lastDisconnectReason: textOrNull(row["last-disconnect-reason"]),
    comment: textOrNull(row.comment),
  };
}

export function parseSession(row: WireRow, ctx: ParseContext): PppSession {
  return {
    name: user(ctx, row),
    address: textOrNull(row.address),
    callerId: parseMac(row["caller-id"]),
    uptimeS: required(ctx, row, "uptime", parseDuration(row.uptime)),
    service: textOrNull(row.service) ?? "pppoe",
    sessionId: textOrNull(row["session-id"]),
  };
}

/**
 * `/interface/monitor-traffic =once=` on `<pppoe-USER>` (§3.6): the router receives what the
 * subscriber uploads, so rx is upload and tx download.
 */
export function parseTraffic(rows: readonly WireRow[], ctx: ParseContext): TrafficReading {
  const row = rows[0];
  if (!row) throw bad(ctx, "monitor-traffic answered no row");
  return {
    downloadBps: required(ctx, row, "tx-bits-per-second", parseCount(row["tx-bits-per-second"])),
    uploadBps: required(ctx, row, "rx-bits-per-second", parseCount(row["rx-bits-per-second"])),
    at: ctx.now,
  };
}

/** A simple queue; its composites are `upload/download` from the target's point of view (§3.4). */
export function parseQueue(row: WireRow, ctx: ParseContext): QueueReading {
  const max = required(ctx, row, "max-limit", parseRatePair(row["max-limit"]));
  const rate = optional(ctx, row, "rate", parseRatePair(row.rate)) ?? { upload: 0, download: 0 };
  return {
    name: required(ctx, row, "name", textOrNull(row.name)),
    maxDownloadBps: max.download,
    maxUploadBps: max.upload,
    downloadBps: rate.download,
    uploadBps: rate.upload,
  };
}

export function parseLogEntry(row: WireRow, ctx: ParseContext): RouterLogEntry {
  return { time: date(ctx, row, "time"), topics: row.topics?.trim() ?? "", message: row.message ?? "" };
}

/** `7.15 (stable)` or `6.49.10 (long-term)` → the number alone. */
export function parseVersion(text: string | undefined): string | null {
  return textOrNull(text)?.split(/\s+/)[0] ?? null;
}

const USER_CHARS = /[\p{L}\p{N}._@-]/u;

/**
 * Whether a log message names `user` as a whole token: `<pppoe-alice>: connected`,
 * `alice logged in, 10.20.0.10`, but not `malice` or `alice2`. Case-insensitive.
 */
export function mentionsUser(message: string, user: string): boolean {
  const haystack = message.toLowerCase();
  const needle = user.trim().toLowerCase();
  if (!needle) return false;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    const before = haystack[i - 1];
    const after = haystack[i + needle.length];
    const isolated = (c: string | undefined): boolean => c === undefined || !USER_CHARS.test(c);
    // `<pppoe-alice>`: the `-` before the name belongs to the interface prefix, not to the name.
    const prefixed = haystack.slice(Math.max(0, i - 7), i) === "<pppoe-";
    if ((isolated(before) || prefixed) && isolated(after)) return true;
  }
  return false;
}

/**
 * What a `!trap` message says about the call (§1.4). Texts seen on real routers and in the lab; an
 * unknown one is taken as the router failing (it may pass on a retry).
 */
export function trapKind(message: string): VendorErrorKind {
  const m = message.toLowerCase();
  if (/no such item|does not match any value|no such interface/.test(m)) return "not_found";
  if (/no such command|unknown parameter|expected end of command/.test(m)) return "bad_response";
  if (/not enough permissions|invalid user name or password|cannot log in/.test(m)) return "auth";
  return "unavailable";
}
