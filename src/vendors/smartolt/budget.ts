/**
 * Beholder's own SmartOLT call budget (shared/vendors/smartolt.md §3): the account allows about 1,000
 * calls an hour, some endpoints less, and ~10 calls a second. Staying under them client-side is cheaper
 * than learning about them from a 429, and "heavy use → throttling or revocation" [DOC].
 *
 * The hour is rolling. Calls are paced, not refused, when only the per-second rate is in the way: each
 * call gets a start slot so that no 1-second span holds more than `perSecond` slots.
 */

export interface BudgetSnapshot {
  /** Calls charged in the last hour (including paced calls about to start). */
  used: number;
  limit: number;
  /** When the oldest charged call leaves the rolling hour (now, when none is charged). */
  windowResetsAt: Date;
}

export interface CallBudgetOptions {
  hourlyLimit: number;
  /** Lower hourly caps of single endpoints, keyed by path (`onu/get_onu_signal`). */
  endpointCaps: Readonly<Record<string, number>>;
  perSecond: number;
  /** A call that would have to wait longer than this for its slot is refused instead. */
  maxQueueMs: number;
  now: () => Date;
}

export type Admission = { ok: true; delayMs: number } | { ok: false; retryAfterS: number; reason: string };

export interface CallBudget {
  /** Charges one call to `endpoint` and says how long to wait before making it, or refuses it. */
  admit(endpoint: string): Admission;
  /** The vendor said 429: hold calls (to that endpoint when it has its own cap, else all) until `untilMs`. */
  pause(endpoint: string, untilMs: number): void;
  snapshot(): BudgetSnapshot;
}

const HOUR_MS = 3_600_000;
const SECOND_MS = 1000;
const ACCOUNT = "*";

export function createCallBudget(o: CallBudgetOptions): CallBudget {
  const account: number[] = []; // slot times, ascending
  const perEndpoint = new Map<string, number[]>();
  const recent: number[] = []; // the last `perSecond` slots
  const pausedUntil = new Map<string, number>();

  const prune = (slots: number[], nowMs: number): void => {
    while (slots.length > 0 && (slots[0] as number) <= nowMs - HOUR_MS) slots.shift();
  };
  const refuse = (waitMs: number, reason: string): Admission => ({
    ok: false,
    retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)),
    reason,
  });

  return {
    admit(endpoint) {
      const nowMs = o.now().getTime();
      const paused = Math.max(pausedUntil.get(ACCOUNT) ?? 0, pausedUntil.get(endpoint) ?? 0);
      if (paused > nowMs) return refuse(paused - nowMs, "SmartOLT asked to wait (429)");

      prune(account, nowMs);
      if (account.length >= o.hourlyLimit) {
        return refuse((account[0] as number) + HOUR_MS - nowMs, `hourly budget of ${o.hourlyLimit} calls spent`);
      }
      const cap = o.endpointCaps[endpoint];
      let capped: number[] | undefined;
      if (cap !== undefined) {
        capped = perEndpoint.get(endpoint) ?? [];
        perEndpoint.set(endpoint, capped);
        prune(capped, nowMs);
        if (capped.length >= cap) {
          return refuse((capped[0] as number) + HOUR_MS - nowMs, `hourly cap of ${cap} calls to ${endpoint} spent`);
        }
      }

      const anchor = recent.length >= o.perSecond ? (recent[recent.length - o.perSecond] as number) + SECOND_MS : nowMs;
      const slot = Math.max(nowMs, anchor);
      if (slot - nowMs > o.maxQueueMs) return refuse(slot - nowMs, `more than ${o.maxQueueMs} ms of calls queued`);

      account.push(slot);
      capped?.push(slot);
      recent.push(slot);
      if (recent.length > o.perSecond) recent.shift();
      return { ok: true, delayMs: slot - nowMs };
    },

    pause(endpoint, untilMs) {
      const scope = o.endpointCaps[endpoint] !== undefined ? endpoint : ACCOUNT;
      pausedUntil.set(scope, Math.max(pausedUntil.get(scope) ?? 0, untilMs));
    },

    snapshot() {
      const nowMs = o.now().getTime();
      prune(account, nowMs);
      const oldest = account[0];
      return {
        used: account.length,
        limit: o.hourlyLimit,
        windowResetsAt: new Date(oldest === undefined ? nowMs : oldest + HOUR_MS),
      };
    },
  };
}
