/**
 * Wall-clock time in an IANA zone, the one place that converts it. SmartOLT, RouterOS and ISPCube write
 * local times without an offset (shared/vendors/*.md); the product reads them into instants and the lab
 * writes them from instants, both through these functions.
 *
 * Intl gives the offset of an instant; converting 100,000 rows through Intl alone is slow, so the offset
 * is remembered per zone and per hour: an hour whose two ends share one offset has it throughout (zones
 * change offset at most once an hour). The memos only grow with the zones and hours actually used, and
 * are cleared when large.
 */

export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 100_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
// NaN marks an hour that contains an offset change: its instants take the exact, slow path.
const hourOffsets = new Map<string, number>();

/** Throws a RangeError for a zone Intl does not know. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws a RangeError naming the zone when Intl does not know it. */
export function assertTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
}

function exactOffset(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(whole)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) - whole;
}

/** The zone's offset from UTC at an instant, in ms (Buenos Aires: −3 h). */
function offsetAt(epochMs: number, timeZone: string): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const key = `${timeZone}|${hour}`;
  let cached = hourOffsets.get(key);
  if (cached === undefined) {
    const start = exactOffset(hour * HOUR_MS, timeZone);
    const end = exactOffset((hour + 1) * HOUR_MS - 1000, timeZone);
    cached = start === end ? start : Number.NaN;
    if (hourOffsets.size >= MAX_CACHED_HOURS) hourOffsets.clear();
    hourOffsets.set(key, cached);
  }
  return Number.isNaN(cached) ? exactOffset(epochMs, timeZone) : cached;
}

/** The wall clock in `timeZone` at an instant. */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const d = new Date(ms + offsetAt(ms, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * The instant a wall-clock time in `timeZone` names. The second pass corrects the offset when the first
 * guess crossed a DST change; a wall time in a DST gap lands on one side of it.
 */
export function instantAt(w: WallClock, timeZone: string): Date {
  return instantAtWallMs(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second), timeZone);
}

/** Like `instantAt`, for a wall-clock time given as the epoch ms it would be if the zone were UTC. */
export function instantAtWallMs(wallMs: number, timeZone: string): Date {
  const guess = wallMs - offsetAt(wallMs, timeZone);
  return new Date(wallMs - offsetAt(guess, timeZone));
}

/** True when the fields name a real calendar date and time of day (no 30 February, no 24:00). */
function isValidWallClock(w: WallClock): boolean {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return (
    d.getUTCFullYear() === w.year &&
    d.getUTCMonth() === w.month - 1 &&
    d.getUTCDate() === w.day &&
    w.hour >= 0 &&
    w.hour <= 23 &&
    w.minute >= 0 &&
    w.minute <= 59 &&
    w.second >= 0 &&
    w.second <= 59
  );
}

/** An instant → `YYYY-MM-DD HH:MM:SS` in `timeZone`, without offset. */
export function formatLocal(instant: Date | number, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** `YYYY-MM-DD HH:MM:SS` read in `timeZone` → the instant; undefined when malformed or not a real date. */
export function parseLocal(text: string, timeZone: string): Date | undefined {
  const m = LOCAL.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = { year, month, day, hour, minute, second };
  return isValidWallClock(wall) ? instantAt(wall, timeZone) : undefined;
}

/** True when two instants fall on the same calendar day in `timeZone`. */
export function sameLocalDay(a: Date | number, b: Date | number, timeZone: string): boolean {
  const x = wallClockAt(a, timeZone);
  const y = wallClockAt(b, timeZone);
  return x.year === y.year && x.month === y.month && x.day === y.day;
}

export function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
