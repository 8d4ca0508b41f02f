/**
 * SmartOLT writes times as `YYYY-MM-DD HH:MM:SS` with no offset, in the account's configured time zone
 * (shared/vendors/smartolt.md §4, §5.2). One integrator misread them by five hours taking them as UTC.
 */
export interface ZonedTime {
  readonly timeZone: string;
  /** Account-local wall time → the UTC instant; null for empty, zero or malformed values. */
  parse(local: string | null | undefined): Date | null;
  /** The UTC instant → account-local `YYYY-MM-DD HH:MM:SS` (for `updated_since`). */
  format(instant: Date): string;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

export function createZonedTime(timeZone: string): ZonedTime {
  // Throws a RangeError for an unknown zone, at construction rather than on the first row.
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });

  /** Wall-clock fields of an instant in the zone, as if they were UTC. */
  function wallMs(epochMs: number): number {
    const p: Record<string, number> = {};
    for (const part of parts.formatToParts(epochMs)) if (part.type !== "literal") p[part.type] = Number(part.value);
    return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  }

  const offsetMs = (epochMs: number): number => {
    const whole = Math.floor(epochMs / 1000) * 1000;
    return wallMs(whole) - whole;
  };

  return {
    timeZone,
    parse(local) {
      const m = LOCAL.exec(local?.trim() ?? "");
      if (!m) return null;
      const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
      const wall = Date.UTC(y, mo - 1, d, h, mi, s);
      const check = new Date(wall);
      if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
      if (h > 23 || mi > 59 || s > 59) return null;
      // The second pass corrects the offset when the first guess crossed a DST change; a wall time in a
      // DST gap (which SmartOLT cannot have written) lands on one side of it.
      const guess = wall - offsetMs(wall);
      return new Date(wall - offsetMs(guess));
    },
    format(instant) {
      const d = new Date(wallMs(instant.getTime()));
      return (
        `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
        `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
      );
    },
  };
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
