import { wallClockAt } from "../../src/time/zoned-time.js";
import type { LabClock } from "../clock.js";
import { ISPCUBE_TIME_ZONE } from "./laravel.js";

export interface QuotaReading {
  /** First day of the billing period, `YYYY-MM-DD` in Argentine time. */
  period: string;
  /** Requests counted in that period, logins included. */
  used: number;
}

export interface QuotaMeter {
  record(): void;
  read(): QuotaReading;
}

const CLOSING_DAY = 28;

/**
 * ISPCube meters requests per month and closes the period on the 28th (shared/vendors/ispcube.md
 * §3.7); logins are assumed to count (§2.4, §9.9). Days are Argentine days, read from the lab clock.
 */
export function createQuotaMeter(clock: LabClock): QuotaMeter {
  let period = periodOf(clock.now());
  let used = 0;

  function roll(): void {
    const current = periodOf(clock.now());
    if (current !== period) {
      period = current;
      used = 0;
    }
  }

  return {
    record() {
      roll();
      used += 1;
    },
    read() {
      roll();
      return { period, used };
    },
  };
}

export function periodOf(instant: Date): string {
  const local = wallClockAt(instant, ISPCUBE_TIME_ZONE);
  let year = local.year;
  let month = local.month - 1;
  if (local.day < CLOSING_DAY) {
    month -= 1;
    if (month < 0) {
      month = 11;
      year -= 1;
    }
  }
  return `${year}-${String(month + 1).padStart(2, "0")}-${CLOSING_DAY}`;
}
