import { RateLimiterMemory, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Config } from "../config.js";
import type { Scope } from "./keys.js";

/** Allowed, or refused with how long to wait. */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

/**
 * Per-key request budgets, per-key caps on concurrent streams and per-IP limits on failed
 * authentication. Limiters come from `createLimiter`, so a Redis-backed store (RateLimiterRedis from
 * the same package) replaces the in-memory one when several replicas share the budgets.
 */
export interface RateLimits {
  consume(keyName: string, scope: Scope): Promise<RateDecision>;
  /** Whether this client IP is locked out after too many failed authentications. */
  authBlocked(ip: string): Promise<RateDecision>;
  authFailed(ip: string): Promise<void>;
  /** Takes a stream slot for the key; returns its release, or undefined when the key has none left. */
  acquireStream(keyName: string): (() => void) | undefined;
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
  const authFailures = createLimiter({ keyPrefix: "authfail", points: config.authFailuresPerMinutePerIp, duration: WINDOW_S });
  const streams = new Map<string, number>();

  return {
    async consume(keyName, scope) {
      try {
        const res = await perScope[scope].consume(keyName);
        return { allowed: true, remaining: res.remainingPoints };
      } catch (err) {
        return refusal(err);
      }
    },

    async authBlocked(ip) {
      const res = await authFailures.get(ip);
      if (res === null || res.consumedPoints < config.authFailuresPerMinutePerIp) {
        return { allowed: true, remaining: config.authFailuresPerMinutePerIp - (res?.consumedPoints ?? 0) };
      }
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
    },

    async authFailed(ip) {
      // Over the limit it throws a RateLimiterRes; authBlocked() reports it on the next request.
      await authFailures.consume(ip).catch((err: unknown) => {
        if (!(err instanceof RateLimiterRes)) throw err;
      });
    },

    acquireStream(keyName) {
      const open = streams.get(keyName) ?? 0;
      if (open >= config.watchStreamsPerKey) return undefined;
      streams.set(keyName, open + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const now = (streams.get(keyName) ?? 1) - 1;
        if (now <= 0) streams.delete(keyName);
        else streams.set(keyName, now);
      };
    },
  };
}

function refusal(err: unknown): RateDecision {
  if (err instanceof RateLimiterRes) return { allowed: false, retryAfterS: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
  throw err;
}
