import { assertTimeZone, formatLocal, pad, sameLocalDay, wallClockAt } from "../../src/time/zoned-time.js";
import type { RouterVersion } from "../scenario/types.js";

/**
 * How one RouterOS version renders values on the API (shared/vendors/routeros.md §1.9, §3.7, §5.6).
 * Dates are wall-clock time in the router's zone, without offset.
 */
export interface RouterFormat {
  /** Before 7.10 `feb/05/2024 13:47:44`, from 7.10 on `2024-02-05 13:47:44`. */
  date(instant: Date): string;
  /** Today's log entries show only the time of day ([I] §1.9), older ones the full date. */
  logTime(instant: Date, now: Date): string;
  /** What `last-logged-out` says when the user never logged out. */
  readonly never: string;
  /** v6 `12ms`; v7 `9ms562us` ([V-obs] CLI, [I] API, §1.9). */
  pingTime(ms: number): string;
  /** 7.18+ sends `!empty` before `!done` when a command has nothing to reply (§1.4). */
  readonly sendsEmpty: boolean;
  readonly isV7: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

export function versionAtLeast(version: RouterVersion, major: number, minor: number): boolean {
  const [maj = 0, min = 0] = version.split(".").map(Number);
  return maj > major || (maj === major && min >= minor);
}

export function createRouterFormat(version: RouterVersion, timeZone = "UTC"): RouterFormat {
  const isoDates = versionAtLeast(version, 7, 10);
  const isV7 = versionAtLeast(version, 7, 0);
  assertTimeZone(timeZone);
  function date(instant: Date): string {
    const local = formatLocal(instant, timeZone);
    if (isoDates) return local;
    const w = wallClockAt(instant, timeZone);
    return `${MONTHS[w.month - 1]}/${pad(w.day)}/${w.year} ${local.slice(11)}`;
  }
  return {
    date,
    logTime(instant, now) {
      return sameLocalDay(instant, now, timeZone) ? formatLocal(instant, timeZone).slice(11) : date(instant);
    },
    // [V-obs] for v6; the 7.10+ form is [I] (§1.9).
    never: isoDates ? "1970-01-01 00:00:00" : "jan/01/1970 00:00:00",
    pingTime(ms) {
      if (!isV7) return `${Math.floor(ms)}ms`;
      const us = Math.round(ms * 1000);
      const whole = Math.floor(us / 1000);
      const rest = us % 1000;
      if (whole === 0) return `${rest}us`;
      return rest === 0 ? `${whole}ms` : `${whole}ms${rest}us`;
    },
    sendsEmpty: versionAtLeast(version, 7, 18),
    isV7,
  };
}

/** `NwNdNhNmNs` with zero units left out, `0s` for nothing (§1.9: the API never uses `1w2d03:04:05`). */
export function formatUptime(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const units: Array<[string, number]> = [
    ["w", 604800],
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];
  let out = "";
  for (const [unit, size] of units) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  return out || "0s";
}

/**
 * Parses a RouterOS time argument (`1`, `1s`, `500ms`, `1m30s`, `00:00:01`) into milliseconds;
 * a bare number is seconds. Undefined when it does not parse.
 */
export function parseDurationMs(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const hms = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(v);
  if (hms) return (Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3])) * 1000;
  const unitMs: Record<string, number> = { w: 604800000, d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1, us: 0.001 };
  const re = /(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * (unitMs[m[2] ?? "s"] ?? 0);
    pos = re.lastIndex;
  }
  return pos === v.length && pos > 0 ? total : undefined;
}

/** `10M`, `512k`, `1G` or raw bits per second. */
export function parseBps(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKMG]?)$/.exec(value.trim());
  if (!m) return 0;
  const mult: Record<string, number> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };
  return Math.round(Number(m[1]) * (mult[m[2] ?? ""] ?? 1));
}

/**
 * The first pair of a `rate-limit` or `max-limit` (§3.3): `rx[/tx]` from the router's side, i.e.
 * subscriber upload then download.
 */
export function parseRatePair(value: string | undefined): { upload: number; download: number } | undefined {
  if (!value) return undefined;
  const first = value.trim().split(/\s+/)[0] ?? "";
  const [rx = "", tx] = first.split("/");
  const upload = parseBps(rx);
  return { upload, download: tx === undefined ? upload : parseBps(tx) };
}
