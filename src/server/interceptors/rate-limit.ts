import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { RateLimits } from "../../auth/rate-limits.js";
import type { Scope } from "../../auth/keys.js";
import { kPrincipal } from "../context-values.js";
import { requiredScope } from "./auth.js";

/** Methods whose streams stay open during a call, capped per key. */
const CAPPED_STREAMS = new Set(["beholder.v1.DiagnosisService/WatchDiagnosis"]);

/**
 * Per-key budgets (by scope) for every authenticated call, and a cap on concurrent watch streams.
 * Over the limit: ResourceExhausted with retry-after (HTTP 429 on Connect).
 */
export function createRateLimitInterceptor(limits: RateLimits): Interceptor {
  return (next) => async (req) => {
    const principal = req.contextValues.get(kPrincipal);
    if (!principal) return next(req);
    const decision = await consumeRate(limits, principal.name, requiredScope(req.service));
    if (!CAPPED_STREAMS.has(`${req.service.typeName}/${req.method.name}`)) {
      const res = await next(req);
      res.header.set("x-ratelimit-remaining", String(decision.remaining));
      return res;
    }
    const release = limits.acquireStream(principal.name);
    if (!release) {
      throw new ConnectError(`too many open watch streams for key ${principal.name}; close one first`, Code.ResourceExhausted, {
        "retry-after": "5",
      });
    }
    let res;
    try {
      res = await next(req);
    } catch (err) {
      release();
      throw err;
    }
    if (!res.stream) {
      release();
      return res;
    }
    return { ...res, message: releasing(res.message, release) };
  };
}

/** One call against the key's budget for its scope; ResourceExhausted with retry-after past it. */
export async function consumeRate(limits: RateLimits, keyName: string, scope: Scope): Promise<{ remaining: number }> {
  const decision = await limits.consume(keyName, scope);
  if (!decision.allowed) {
    throw new ConnectError(`rate limit exceeded for key ${keyName}; retry in ${decision.retryAfterS} s`, Code.ResourceExhausted, {
      "retry-after": String(decision.retryAfterS),
    });
  }
  return decision;
}

async function* releasing<T>(messages: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  try {
    yield* messages;
  } finally {
    release();
  }
}
