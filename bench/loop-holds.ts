/**
 * Finds what holds the event loop: a 5 ms timer notes every gap longer than `minGapMs`, and every
 * better-sqlite3 statement (run/all/get/iterate, exec) longer than `minStatementMs` is timed with its
 * SQL. Each gap is then described by the statements inside it; what is left is JavaScript (parsing,
 * mapping, GC). Patches better-sqlite3's prototypes in this process: for benchmarks only.
 */
import Database from "better-sqlite3";

export interface LoopHold {
  /** ms since the tracker started. */
  atMs: number;
  ms: number;
  /** SQL time inside the gap, the longest statements first (SQL shortened), and what is left. */
  sqlMs: number;
  otherMs: number;
  statements: { ms: number; sql: string }[];
  /** The last marks (e.g. sync progress phases) before the gap ended. */
  marks: string[];
}

interface Timed {
  start: number;
  end: number;
  sql: string;
}

export interface HoldTracker {
  mark(text: string): void;
  stop(): LoopHold[];
  /** Time in SQL by statement shape (its first 70 characters), the largest first. */
  sqlTotals(): { sql: string; ms: number; n: number }[];
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

export function startHoldTracker(opts: { minGapMs?: number; minStatementMs?: number } = {}): HoldTracker {
  const minGap = opts.minGapMs ?? 200;
  const minStatement = opts.minStatementMs ?? 5;
  const t0 = performance.now();
  const timed: Timed[] = [];
  const marks: { at: number; text: string }[] = [];
  const gaps: { start: number; end: number }[] = [];
  const totals = new Map<string, { ms: number; n: number }>();

  const probe = new Database(":memory:");
  const statementProto = Object.getPrototypeOf(probe.prepare("select 1")) as Record<string, Method>;
  probe.close();
  const dbProto = Database.prototype as unknown as Record<string, Method>;
  const restore: (() => void)[] = [];
  const wrap = (proto: Record<string, Method>, name: string, sqlOf: (self: unknown, args: unknown[]) => string): void => {
    const original = proto[name] as Method;
    proto[name] = function (this: unknown, ...args: unknown[]): unknown {
      const start = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const end = performance.now();
        const sql = sqlOf(this, args);
        if (end - start >= minStatement) timed.push({ start, end, sql });
        const shape = sql.replace(/\s+/g, " ").trim().slice(0, 70);
        const t = totals.get(shape) ?? { ms: 0, n: 0 };
        t.ms += end - start;
        t.n += 1;
        totals.set(shape, t);
      }
    };
    restore.push(() => (proto[name] = original));
  };
  for (const m of ["run", "all", "get"]) wrap(statementProto, m, (self) => String((self as { source?: string }).source ?? "?"));
  wrap(dbProto, "exec", (_self, args) => String(args[0]));

  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last >= minGap) gaps.push({ start: last, end: now });
    last = now;
  }, 5);

  return {
    mark(text) {
      marks.push({ at: performance.now(), text });
    },
    sqlTotals() {
      return [...totals].map(([sql, t]) => ({ sql, ms: Math.round(t.ms), n: t.n })).sort((a, b) => b.ms - a.ms).slice(0, 40);
    },
    stop() {
      clearInterval(timer);
      for (const r of restore) r();
      return gaps.map(({ start, end }) => {
        const inside = timed.filter((s) => s.end > start && s.start < end);
        const sqlMs = inside.reduce((n, s) => n + Math.min(s.end, end) - Math.max(s.start, start), 0);
        return {
          atMs: Math.round(start - t0),
          ms: Math.round(end - start),
          sqlMs: Math.round(sqlMs),
          otherMs: Math.round(end - start - sqlMs),
          statements: inside
            .map((s) => ({ ms: Math.round(s.end - s.start), sql: s.sql.replace(/\s+/g, " ").trim().slice(0, 160) }))
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 6),
          marks: marks.filter((m) => m.at <= end).slice(-3).map((m) => `${Math.round(m.at - t0)} ${m.text}`),
        };
      });
    },
  };
}
