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

interface WallClock {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

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
  const today = wallClockOf(now, timeZone);
  if ((m = /^([a-z]{3})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = { y: Number(m[3]), mo: MONTHS.indexOf(m[1] ?? "") + 1, d: Number(m[2]), h: Number(m[4]), mi: Number(m[5]), s: Number(m[6]) };
  } else if ((m = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]), h: Number(m[4]), mi: Number(m[5]), s: Number(m[6]) };
  } else if ((m = /^([a-z]{3})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = { y: today.y, mo: MONTHS.indexOf(m[1] ?? "") + 1, d: Number(m[2]), h: Number(m[3]), mi: Number(m[4]), s: Number(m[5]) };
    roll = "year";
  } else if ((m = /^(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = { y: today.y, mo: Number(m[1]), d: Number(m[2]), h: Number(m[3]), mi: Number(m[4]), s: Number(m[5]) };
    roll = "year";
  } else if ((m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(v))) {
    wall = { ...today, h: Number(m[1]), mi: Number(m[2]), s: Number(m[3]) };
    roll = "day";
  } else {
    return undefined;
  }
  if (wall.mo < 1 || wall.mo > 12 || wall.d < 1 || wall.d > 31 || wall.h > 23 || wall.mi > 59 || wall.s > 59) return undefined;
  if (wall.y === 1970 && wall.mo === 1 && wall.d === 1 && wall.h === 0 && wall.mi === 0 && wall.s === 0) return null;
  let at = zonedToUtc(wall, timeZone);
  const dayMs = 86_400_000;
  if (roll === "day" && at.getTime() > now.getTime() + 3_600_000) at = zonedToUtc(wallClockOf(new Date(at.getTime() - dayMs), timeZone, wall), timeZone);
  if (roll === "year" && at.getTime() > now.getTime() + dayMs) at = zonedToUtc({ ...wall, y: wall.y - 1 }, timeZone);
  return at;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `instant`; with `time`, that date at `time`'s hour. */
function wallClockOf(instant: Date, timeZone: string, time?: WallClock): WallClock {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) p[part.type] = Number(part.value);
  const date = { y: p.year ?? 1970, mo: p.month ?? 1, d: p.day ?? 1 };
  if (time) return { ...date, h: time.h, mi: time.mi, s: time.s };
  return { ...date, h: (p.hour ?? 0) % 24, mi: p.minute ?? 0, s: p.second ?? 0 };
}

/** The instant a wall-clock time in `timeZone` names (the zone's offset checked twice, for DST). */
export function zonedToUtc(w: WallClock, timeZone: string): Date {
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  const offsetAt = (t: number): number => {
    const z = wallClockOf(new Date(t), timeZone);
    return Date.UTC(z.y, z.mo - 1, z.d, z.h, z.mi, z.s) - Math.floor(t / 1000) * 1000;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}
