import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { RateLimits } from "../../auth/rate-limits.js";
import type { Scope } from "../../auth/keys.js";
import { kPrincipal } from "../context-values.js";
import { requiredScope } from "./auth.js";

/**
 * Per-key budgets (by scope) for every authenticated call. Over the limit: ResourceExhausted with
 * retry-after (HTTP 429 on Connect). Open streams are capped by interceptors/stream-cap.ts.
 */
export function createRateLimitInterceptor(limits: RateLimits): Interceptor {
  return (next) => async (req) => {
    const principal = req.contextValues.get(kPrincipal);
    if (!principal) return next(req);
    const decision = await consumeRate(limits, principal.name, requiredScope(req.service));
    const res = await next(req);
    res.header.set("x-ratelimit-remaining", String(decision.remaining));
    return res;
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
