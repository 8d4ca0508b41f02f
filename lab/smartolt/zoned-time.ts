/**
 * SmartOLT's timestamps are wall-clock times in the account's timezone, `YYYY-MM-DD HH:MM:SS`, with no
 * offset (shared/vendors/smartolt.md §4, §5.2). Formatting 100,000 rows through Intl alone is slow, so
 * the UTC offset is cached per zone and per hour: an hour whose two ends share one offset has that offset
 * throughout (zones change offset at most once an hour).
 */
export interface ZonedTime {
  /** Epoch ms → `YYYY-MM-DD HH:MM:SS` in `timeZone`. */
  format(epochMs: number, timeZone: string): string;
  /** `YYYY-MM-DD HH:MM:SS` read in `timeZone` → epoch ms; undefined when malformed. */
  parse(local: string, timeZone: string): number | undefined;
}

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 100_000;
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function createZonedTime(): ZonedTime {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  // NaN marks an hour that contains an offset change: those instants take the exact, slow path.
  const hourOffsets = new Map<string, number>();

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

  function exactOffset(epochMs: number, timeZone: string): number {
    const whole = Math.floor(epochMs / 1000) * 1000;
    const p: Record<string, number> = {};
    for (const part of formatter(timeZone).formatToParts(whole)) {
      if (part.type !== "literal") p[part.type] = Number(part.value);
    }
    const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
    return wall - whole;
  }

  function offset(epochMs: number, timeZone: string): number {
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

  return {
    format(epochMs, timeZone) {
      const d = new Date(epochMs + offset(epochMs, timeZone));
      return (
        `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
        `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
      );
    },
    parse(local, timeZone) {
      const m = LOCAL_PATTERN.exec(local.trim());
      if (!m) return undefined;
      const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
      const wall = Date.UTC(y, mo - 1, d, h, mi, s);
      const check = new Date(wall);
      if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
      // Two passes settle the offset unless the wall time falls in a DST gap, where either side will do.
      const guess = wall - offset(wall, timeZone);
      return wall - offset(guess, timeZone);
    },
  };
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
