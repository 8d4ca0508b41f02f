import { formatLocal } from "../../src/time/zoned-time.js";

/**
 * ISPCube's Laravel serialisation of scalar values (shared/vendors/ispcube.md §3.4, §3.5): decimal
 * strings for money, 0/1 flags, two date formats in two time zones.
 */

/** ISPCube's business dates are Argentine wall-clock time (§3.5). */
export const ISPCUBE_TIME_ZONE = "America/Argentina/Buenos_Aires";

/** Money goes out as a decimal string with two places: `"14400.00"` (§3.4). */
export function money(pesos: number): string {
  const text = (Math.round(pesos * 100) / 100).toFixed(2);
  return text === "-0.00" ? "0.00" : text;
}

export function flag(on: boolean | null | undefined): 0 | 1 {
  return on ? 1 : 0;
}

/**
 * Model timestamps (`created_at`, `updated_at`, `deleted_at`) are UTC with microseconds, which are
 * always zero because MySQL stores whole seconds: `2014-04-01T03:00:00.000000Z` (§3.5).
 */
export function laravelUtc(iso: string): string {
  return `${toDate(iso).toISOString().slice(0, 19)}.000000Z`;
}

/**
 * Business dates (`start_date`, `block_date`, `closed_date`) are Argentine wall-clock time without a
 * zone: `2014-04-01 00:00:00` is the same instant as `2014-04-01T03:00:00.000000Z` (§3.5).
 */
export function argentineLocal(iso: string): string {
  return formatLocal(toDate(iso), ISPCUBE_TIME_ZONE);
}

export function laravelUtcOrNull(iso: string | null | undefined): string | null {
  return iso ? laravelUtc(iso) : null;
}

export function argentineLocalOrNull(iso: string | null | undefined): string | null {
  return iso ? argentineLocal(iso) : null;
}

/** The latest of some ISO instants, for `updated_at`. */
export function latestInstant(first: string, ...others: (string | null | undefined)[]): string {
  let best = first;
  let bestMs = toDate(first).getTime();
  for (const other of others) {
    if (!other) continue;
    const ms = Date.parse(other);
    if (ms > bestMs) {
      best = other;
      bestMs = ms;
    }
  }
  return best;
}

/**
 * A stable small id for a catalog entry the domain names only by text (cities, ticket categories):
 * FNV-1a, so the same name gets the same id in every run and every simulator instance.
 */
export function stableId(name: string, range = 900): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % range) + 100;
}

function toDate(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid instant in scenario: ${iso}`);
  return date;
}
