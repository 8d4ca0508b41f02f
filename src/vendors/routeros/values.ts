import { instantAt, wallClockAt, type WallClock } from "../../time/zoned-time.js";

/**
 * RouterOS API scalar values (shared/vendors/routeros.md §1.9): everything arrives as a string.
 * Each parser returns `null` for an empty or unset value and `undefined` for one it cannot read, so
 * the row parsers decide what a wrong shape means.
 */

const DURATION_UNITS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };

/**
 * `1w2d3h4m5s`, v7's sub-second `9ms562us`, `0s`, and defensively the v6 CLI form `1w2d03:04:05`
 * (§1.9: the API uses letters, the CLI does not) → seconds.
 */
export function parseDuration(text: string | undefined): number | null | undefined {
  const v = text?.trim();
  if (!v) return null;
  const clock = /^((?:\d+[wd])*)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(v);
  if (clock) {
    const days = clock[1] ? parseDuration(clock[1]) : 0;
    if (days === undefined || days === null) return undefined;
    return days + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4]);
  }
  const re = /(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)/y;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ""] ?? 0);
    pos = re.lastIndex;
  }
  if (pos !== v.length) return undefined;
  // Sums of ms and us are not exact in binary; a microsecond is the finest unit RouterOS shows.
  return Math.round(total * 1e6) / 1e6;
}

/** `true`/`false` (6.4x and 7) or `yes`/`no` (older manuals, and inputs). */
export function parseBoolean(text: string | undefined): boolean | null | undefined {
  const v = text?.trim().toLowerCase();
  if (!v) return null;
  if (v === "true" || v === "yes") return true;
  if (v === "false" || v === "no") return false;
  return undefined;
}

export function textOrNull(text: string | undefined): string | null {
  const v = text?.trim();
  return v ? v : null;
}

/** MACs upper-cased as RouterOS itself writes caller-ids (§1.9); an IP caller-id is unchanged. */
export function parseMac(text: string | undefined): string | null {
  return textOrNull(text)?.toUpperCase() ?? null;
}

/** A plain non-negative integer counter or rate. */
export function parseCount(text: string | undefined): number | null | undefined {
  const v = text?.trim();
  if (!v) return null;
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

const RATE_SUFFIX: Readonly<Record<string, number>> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** Raw bits per second, tolerating the `10M` form a profile's rate-limit uses (§3.3). */
export function parseBps(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kKMG]?)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * (RATE_SUFFIX[m[2] ?? ""] ?? 1)) : undefined;
}

/**
 * A simple-queue composite `upload/download` (§3.4, from the target's point of view), e.g.
 * `max-limit=10000000/20000000` or `rate=0/320`.
 */
export function parseRatePair(text: string | undefined): { upload: number; download: number } | null | undefined {
  const v = text?.trim();
  if (!v) return null;
  const [up, down, ...rest] = v.split("/");
  if (up === undefined || down === undefined || rest.length > 0) return undefined;
  const upload = parseBps(up);
  const download = parseBps(down);
  return upload === undefined || download === undefined ? undefined : { upload, download };
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A RouterOS date, wall-clock time in the router's zone (no offset on the wire):
 * - `feb/05/2024 13:47:44` before 7.10, `2024-02-05 13:47:44` from 7.10 on (§1.9);
 * - log `time` also comes as `feb/05 13:47:44` or `02-05 13:47:44` (this year) and `13:47:44`
 *   (today) — [I] in the doc, so all are read; a result more than a day ahead of `now` belongs to
 *   the previous year (or, for a bare time, the previous day: the router's midnight came first).
 * `jan/01/1970 00:00:00` (and its 7.10 form) is how `last-logged-out` says "never": null.
 */
export function parseRouterDate(text: string | undefined, timeZone: string, now: Date): Date | null | undefined {
  const v = text?.trim().toLowerCase();
  if (!v) return null;
  let m: RegExpExecArray | null;
  let wall: WallClock;
  let roll: "year" | "day" | undefined;
  const today = wallClockAt(now, timeZone);
  const at = (year: number, month: number, day: number, h: string | undefined, mi: string | undefined, s: string | undefined): WallClock =>
    ({ year, month, day, hour: Number(h), minute: Number(mi), second: Number(s) });
  if ((m = /^([a-z]{3})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = at(Number(m[3]), MONTHS.indexOf(m[1] ?? "") + 1, Number(m[2]), m[4], m[5], m[6]);
  } else if ((m = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = at(Number(m[1]), Number(m[2]), Number(m[3]), m[4], m[5], m[6]);
  } else if ((m = /^([a-z]{3})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = at(today.year, MONTHS.indexOf(m[1] ?? "") + 1, Number(m[2]), m[3], m[4], m[5]);
    roll = "year";
  } else if ((m = /^(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = at(today.year, Number(m[1]), Number(m[2]), m[3], m[4], m[5]);
    roll = "year";
  } else if ((m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = at(today.year, today.month, today.day, m[1], m[2], m[3]);
    roll = "day";
  } else {
    return undefined;
  }
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return undefined;
  if (wall.year === 1970 && wall.month === 1 && wall.day === 1 && wall.hour === 0 && wall.minute === 0 && wall.second === 0) return null;
  let instant = instantAt(wall, timeZone);
  const dayMs = 86_400_000;
  if (roll === "day" && instant.getTime() > now.getTime() + 3_600_000) {
    const yesterday = wallClockAt(instant.getTime() - dayMs, timeZone);
    instant = instantAt({ ...yesterday, hour: wall.hour, minute: wall.minute, second: wall.second }, timeZone);
  }
  if (roll === "year" && instant.getTime() > now.getTime() + dayMs) instant = instantAt({ ...wall, year: wall.year - 1 }, timeZone);
  return instant;
}
