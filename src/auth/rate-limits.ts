import { RateLimiterMemory, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Config } from "../config.js";
import type { Scope } from "./keys.js";
import { createStreamSlots, type StreamSlots } from "./stream-slots.js";

/** Allowed, or refused with how long to wait. */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

/** Why a failed authentication is now answered with 429: the address, or the key id, failed too often. */
export type AuthLockout = { locked: false } | { locked: true; by: "address" | "key"; retryAfterS: number };

/**
 * Per-key request budgets, caps on concurrent streams, and failed authentications counted per client
 * address and per presented key id. Limiters come from `createLimiter`, so a Redis-backed store
 * (RateLimiterRedis from the same package) replaces the in-memory one when several replicas share them.
 */
export interface RateLimits extends StreamSlots {
  consume(keyName: string, scope: Scope): Promise<RateDecision>;
  /**
   * Whether this address is far past the failure threshold: then it is refused before its key is even
   * looked at. Below that, a valid key always passes, so one attacker behind a NAT cannot lock out
   * the colleagues who share its address.
   */
  authBlocked(ip: string): Promise<RateDecision>;
  /** Records a failed authentication; whether the address or the key id is now over the threshold. */
  authFailed(ip: string, keyId: string | undefined): Promise<AuthLockout>;
}

export type LimiterFactory = (options: IRateLimiterOptions) => RateLimiterAbstract;

const WINDOW_S = 60;

export function createRateLimits(
  config: Config["rateLimit"],
  createLimiter: LimiterFactory = (options) => new RateLimiterMemory(options),
): RateLimits {
  const perScope: Record<Scope, RateLimiterAbstract> = {
    read: createLimiter({ keyPrefix: "read", points: config.readPerMinute, duration: WINDOW_S }),
    admin: createLimiter({ keyPrefix: "admin", points: config.adminPerMinute, duration: WINDOW_S }),
  };
  const hard = Math.max(config.authFailuresHardPerMinutePerIp, config.authFailuresPerMinutePerIp);
  // Counting goes on past the soft threshold (points = hard) so the hard one can be seen.
  const ipFailures = createLimiter({ keyPrefix: "authfail-ip", points: hard, duration: WINDOW_S });
  const keyFailures = createLimiter({ keyPrefix: "authfail-key", points: config.authFailuresPerMinutePerIp, duration: WINDOW_S });
  const failed = async (limiter: RateLimiterAbstract, id: string): Promise<RateLimiterRes> => {
    try {
      return await limiter.consume(id);
    } catch (err) {
      if (err instanceof RateLimiterRes) return err;
      throw err;
    }
  };

  return {
    ...createStreamSlots(config),

    async consume(keyName, scope) {
      try {
        const res = await perScope[scope].consume(keyName);
        return { allowed: true, remaining: res.remainingPoints };
      } catch (err) {
        return refusal(err);
      }
    },

    async authBlocked(ip) {
      const res = await ipFailures.get(ip);
      if (res === null || res.consumedPoints < hard) return { allowed: true, remaining: hard - (res?.consumedPoints ?? 0) };
      return { allowed: false, retryAfterS: retryAfter(res) };
    },

    async authFailed(ip, keyId) {
      const byIp = await failed(ipFailures, ip);
      if (byIp.consumedPoints > config.authFailuresPerMinutePerIp) return { locked: true, by: "address", retryAfterS: retryAfter(byIp) };
      if (keyId === undefined) return { locked: false };
      const byKey = await failed(keyFailures, keyId);
      if (byKey.consumedPoints > config.authFailuresPerMinutePerIp) return { locked: true, by: "key", retryAfterS: retryAfter(byKey) };
      return { locked: false };
    },
  };
}

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

function refusal(err: unknown): RateDecision {
  if (err instanceof RateLimiterRes) return { allowed: false, retryAfterS: retryAfter(err) };
  throw err;
}
