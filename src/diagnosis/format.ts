/**
 * Pure formatting of times, ages, money and levels for messages (es-AR). Every function takes the
 * instant and zone it needs: nothing here reads the clock.
 */
import { pad, wallClockAt } from "../time/zoned-time.js";
import { formatDuration } from "../time/duration.js";

export { formatDuration };

function parts(at: Date, timeZone: string): { year: string; month: string; day: string; hour: string; minute: string } {
  const w = wallClockAt(at, timeZone);
  return { year: String(w.year), month: pad(w.month), day: pad(w.day), hour: pad(w.hour), minute: pad(w.minute) };
}

/** "14:20" when `at` falls on the same local day as `now`, else "28/11 14:20". */
export function formatTime(at: Date, now: Date, timeZone: string): string {
  const a = parts(at, timeZone);
  const n = parts(now, timeZone);
  const hm = `${a.hour}:${a.minute}`;
  if (a.day === n.day && a.month === n.month && a.year === n.year) return hm;
  return `${a.day}/${a.month} ${hm}`;
}

/** "28/11/2026 14:20", for tickets. */
export function formatDateTime(at: Date, timeZone: string): string {
  const a = parts(at, timeZone);
  return `${a.day}/${a.month}/${a.year} ${a.hour}:${a.minute}`;
}

/** "28/11". */
export function formatDay(at: Date, timeZone: string): string {
  const a = parts(at, timeZone);
  return `${a.day}/${a.month}`;
}


/** "hace 25 min" from `at` to `now` (never negative). */
export function formatAge(at: Date, now: Date): string {
  return `hace ${formatDuration((now.getTime() - at.getTime()) / 1000)}`;
}

export function ageSeconds(at: Date, now: Date): number {
  return Math.max(0, (now.getTime() - at.getTime()) / 1000);
}

const money = new Intl.NumberFormat("es-AR", {
  style: "currency",
  currency: "ARS",
  currencyDisplay: "narrowSymbol",
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});

/** "$ 30.100" from ISPCube's decimal string; the string itself when it is not a number. */
export function formatMoney(amount: string): string {
  const n = Number(amount);
  return Number.isFinite(n) && amount.trim() !== "" ? money.format(n).replace(/\u00a0/g, " ") : amount;
}

/** True when a decimal string is a positive amount (debt owed). */
export function isPositiveAmount(amount: string): boolean {
  const n = Number(amount);
  return amount.trim() !== "" && Number.isFinite(n) && n > 0;
}

/** "-19.20" (evidence values keep two decimals, as SmartOLT shows them). */
export function formatDbm(v: number): string {
  return v.toFixed(2);
}

/** "1.5" / "3": decibel differences without trailing zeros. */
export function formatDb(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** "49.2 Mbit/s". */
export function formatRate(bps: number): string {
  if (bps >= 1_000_000) return `${formatDb(bps / 1_000_000)} Mbit/s`;
  return `${Math.round(bps / 1000)} kbit/s`;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
