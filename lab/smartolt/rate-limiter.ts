import type { SmartOltRateLimits } from "../scenario/types.js";

/**
 * SmartOLT's limits (shared/vendors/smartolt.md §3, §7): an account budget per hour, a per-second rate
 * with a burst allowance, and per-endpoint caps. Every window runs on the lab clock so tests can move
 * the clock to reset them. Windows are fixed and open at their first call (how the budget is described:
 * "1,000 API calls per hour"); the per-second limit is a token bucket of `burst` tokens refilled at
 * `perSecond`, which lets 15 calls through at once and 10/s after that (§3: "~10/s; bursts >15/s blocked").
 */

export const DEFAULT_SMARTOLT_LIMITS: Readonly<Required<SmartOltRateLimits>> = Object.freeze({
  hourly: 1000,
  perSecond: 10,
  burst: 15,
  allOnusDetailsUnpagedPerHour: 15,
  onuSignalPerHour: 500,
  heavyOltDetailsPer10Min: 30,
});

export interface RateDecision {
  allowed: boolean;
  /** For the X-RateLimit-* headers: the endpoint's own cap when it has one, else the account budget. */
  limit: number;
  remaining: number;
  /** Epoch seconds (lab clock) at which that window resets. */
  resetEpochS: number;
  /** Seconds to wait; 0 when allowed. */
  retryAfterS: number;
}

export interface SmartOltRateLimiter {
  /** Decide on one call and, when it is allowed, charge it to every window it falls in. */
  take(
    endpoint: string,
    scope: string | undefined,
    nowMs: number,
    overrides?: Partial<SmartOltRateLimits>,
  ): RateDecision;
}

interface Cap {
  key: string;
  limit: number;
  windowMs: number;
}

interface Window {
  startMs: number;
  used: number;
}

const HOUR_MS = 3_600_000;

/** Per-endpoint caps (§3 "Observed X-RateLimit-Limit", heavy OLT detail per OLT). */
function capFor(endpoint: string, scope: string | undefined, limits: Required<SmartOltRateLimits>): Cap | undefined {
  switch (endpoint) {
    case "onu/get_all_onus_details": // the unpaged export only; paged calls use the "?paged" key
      return { key: endpoint, limit: limits.allOnusDetailsUnpagedPerHour, windowMs: HOUR_MS };
    case "onu/get_onu_signal":
      return { key: endpoint, limit: limits.onuSignalPerHour, windowMs: HOUR_MS };
    case "onu/get_onu_full_status_info":
      return { key: endpoint, limit: 300, windowMs: HOUR_MS };
    case "olt/get_olts_uptime_and_env_temperature":
      return { key: endpoint, limit: 70, windowMs: HOUR_MS };
    case "onu/get_all_onus_gps_coordinates":
      return { key: endpoint, limit: 5, windowMs: HOUR_MS };
    case "system/get_olt_pon_ports_details":
    case "system/get_olt_cards_details":
    case "system/get_olt_uplink_ports_details":
      return { key: `${endpoint}/${scope ?? ""}`, limit: limits.heavyOltDetailsPer10Min, windowMs: 10 * 60_000 };
    default:
      return undefined;
  }
}

export function createSmartOltRateLimiter(): SmartOltRateLimiter {
  const windows = new Map<string, Window>();
  let bucket: { tokens: number; atMs: number } | undefined;

  function windowAt(key: string, windowMs: number, nowMs: number): Window {
    let w = windows.get(key);
    // A clock moved backwards also opens a fresh window, rather than leaving one stuck in the future.
    if (!w || nowMs >= w.startMs + windowMs || nowMs < w.startMs) {
      w = { startMs: nowMs, used: 0 };
      windows.set(key, w);
    }
    return w;
  }

  return {
    take(endpoint, scope, nowMs, overrides) {
      const limits = { ...DEFAULT_SMARTOLT_LIMITS, ...overrides };
      const hourly = windowAt("hourly", HOUR_MS, nowMs);
      const cap = capFor(endpoint, scope, limits);
      const capWindow = cap ? windowAt(`cap:${cap.key}`, cap.windowMs, nowMs) : undefined;

      const elapsed = bucket ? Math.max(0, nowMs - bucket.atMs) : 0;
      const refilled = bucket ? bucket.tokens + (elapsed * limits.perSecond) / 1000 : limits.burst;
      const tokens = Math.min(limits.burst, refilled);

      const retryHourly = hourly.used >= limits.hourly ? secondsUntil(hourly.startMs + HOUR_MS, nowMs) : 0;
      const retryCap =
        cap && capWindow && capWindow.used >= cap.limit ? secondsUntil(capWindow.startMs + cap.windowMs, nowMs) : 0;
      const retryRate = tokens < 1 ? Math.max(1, Math.ceil(((1 - tokens) / limits.perSecond) * 1000) / 1000) : 0;
      const retryAfterS = Math.ceil(Math.max(retryHourly, retryCap, retryRate));
      const allowed = retryAfterS === 0;

      if (allowed) {
        hourly.used++;
        if (capWindow) capWindow.used++;
        bucket = { tokens: tokens - 1, atMs: nowMs };
      } else {
        bucket = { tokens, atMs: nowMs };
      }

      const shown =
        cap && capWindow
          ? { limit: cap.limit, w: capWindow, ms: cap.windowMs }
          : { limit: limits.hourly, w: hourly, ms: HOUR_MS };
      return {
        allowed,
        limit: shown.limit,
        remaining: Math.max(0, shown.limit - shown.w.used),
        resetEpochS: Math.ceil((shown.w.startMs + shown.ms) / 1000),
        retryAfterS,
      };
    },
  };
}

function secondsUntil(endMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((endMs - nowMs) / 1000));
}

/** §1.5: the headers SmartOLT puts on its answers. `X-RateLimit-Reset` is taken as epoch seconds [I]. */
export function rateLimitHeaders(decision: RateDecision): Array<[string, string]> {
  return [
    ["X-RateLimit-Limit", String(decision.limit)],
    ["X-RateLimit-Remaining", String(decision.remaining)],
    ["X-RateLimit-Reset", String(decision.resetEpochS)],
  ];
}
