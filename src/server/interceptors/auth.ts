import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import type { KeyStore, Principal, Scope } from "../../auth/keys.js";
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
 * The checks every authenticated request goes through, RPC or old HTTP path: Unauthenticated for a
 * missing, unknown or revoked key, PermissionDenied for the wrong scope, and ResourceExhausted for an
 * IP that failed too often. The key itself is never logged or echoed.
 */
export async function authenticate(
  keys: KeyStore,
  limits: RateLimits,
  req: { headers: Headers; ip: string; scope: Scope; what: string },
): Promise<Principal> {
  const blocked = await limits.authBlocked(req.ip);
  if (!blocked.allowed) {
    throw new ConnectError("too many failed authentications from this address; retry later", Code.ResourceExhausted, {
      "retry-after": String(blocked.retryAfterS),
    });
  }
  const key = presentedKey(req.headers);
  if (key === undefined) {
    await limits.authFailed(req.ip);
    throw new ConnectError("missing API key: send it in the x-api-key header or as authorization: Bearer <key>", Code.Unauthenticated);
  }
  const principal = await keys.verify(key);
  if (!principal) {
    await limits.authFailed(req.ip);
    throw new ConnectError("invalid or revoked API key", Code.Unauthenticated);
  }
  if (!principal.scopes.has(req.scope)) {
    throw new ConnectError(`key ${principal.name} lacks the ${req.scope} scope needed for ${req.what}`, Code.PermissionDenied);
  }
  return principal;
}

/** Authenticates every call to a non-public service; only the key's name travels on, in kPrincipal. */
export function createAuthInterceptor(keys: KeyStore, limits: RateLimits): Interceptor {
  return (next) => async (req) => {
    if (isPublicService(req.service)) return next(req);
    const principal = await authenticate(keys, limits, {
      headers: req.header,
      ip: req.contextValues.get(kClientIp),
      scope: requiredScope(req.service),
      what: `${req.service.typeName}/${req.method.name}`,
    });
    req.contextValues.set(kPrincipal, principal);
    return next(req);
  };
}
