import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import type { KeyStore, Scope } from "../../auth/keys.js";
import type { RateLimits } from "../../auth/rate-limits.js";
import { kClientIp, kPrincipal } from "../context-values.js";
import { isPublicService } from "./public-services.js";

/** The scope each service needs; a service missing here needs admin (fail closed). */
const READ_SERVICES = new Set(["beholder.v1.DiagnosisService", "beholder.v1.SearchService"]);

export function requiredScope(service: DescService): Scope {
  return READ_SERVICES.has(service.typeName) ? "read" : "admin";
}

/** The key from `x-api-key` (what the current front end sends) or `authorization: Bearer`. */
export function presentedKey(headers: Headers): string | undefined {
  const direct = headers.get("x-api-key")?.trim();
  if (direct) return direct;
  const auth = headers.get("authorization")?.trim();
  const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return match?.[1];
}

/**
 * Authenticates every call to a non-public service: Unauthenticated for a missing, unknown or
 * revoked key, PermissionDenied for the wrong scope, and ResourceExhausted for an IP that failed too
 * often. The key itself is never logged or echoed; only its name travels on, in kPrincipal.
 */
export function createAuthInterceptor(keys: KeyStore, limits: RateLimits): Interceptor {
  return (next) => async (req) => {
    if (isPublicService(req.service)) return next(req);
    const ip = req.contextValues.get(kClientIp);
    const blocked = await limits.authBlocked(ip);
    if (!blocked.allowed) {
      throw new ConnectError("too many failed authentications from this address; retry later", Code.ResourceExhausted, {
        "retry-after": String(blocked.retryAfterS),
      });
    }
    const key = presentedKey(req.header);
    if (key === undefined) {
      await limits.authFailed(ip);
      throw new ConnectError("missing API key: send it in the x-api-key header or as authorization: Bearer <key>", Code.Unauthenticated);
    }
    const principal = await keys.verify(key);
    if (!principal) {
      await limits.authFailed(ip);
      throw new ConnectError("invalid or revoked API key", Code.Unauthenticated);
    }
    req.contextValues.set(kPrincipal, principal);
    const scope = requiredScope(req.service);
    if (!principal.scopes.has(scope)) {
      throw new ConnectError(
        `key ${principal.name} lacks the ${scope} scope needed for ${req.service.typeName}/${req.method.name}`,
        Code.PermissionDenied,
      );
    }
    return next(req);
  };
}
