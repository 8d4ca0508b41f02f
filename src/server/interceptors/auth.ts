import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { keyIdOf, type KeyStore, type Principal, type Scope } from "../../auth/keys.js";
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
 * missing, unknown or revoked key, PermissionDenied for the wrong scope. Failures are counted per
 * address and per presented key id; over the threshold a failure is ResourceExhausted with
 * retry-after instead, and an address far past a much higher one is refused before its key is looked
 * at. A valid key is never refused for what others did from its address below that. The key itself
 * is never logged or echoed.
 */
export async function authenticate(
  keys: KeyStore,
  limits: RateLimits,
  req: { headers: Headers; ip: string; scope: Scope; what: string },
): Promise<Principal> {
  const principal = await identify(keys, limits, req);
  checkScope(principal, req.scope, req.what);
  return principal;
}

/** The caller's principal from a valid key, or the error to answer; the scope is not looked at. */
export async function identify(keys: KeyStore, limits: RateLimits, req: { headers: Headers; ip: string }): Promise<Principal> {
  const blocked = await limits.authBlocked(req.ip);
  if (!blocked.allowed) throw lockedOut("from this address", blocked.retryAfterS);
  const key = presentedKey(req.headers);
  const principal = key === undefined ? undefined : await keys.verify(key);
  if (!principal) {
    const lockout = await limits.authFailed(req.ip, key === undefined ? undefined : keyIdOf(key));
    if (lockout.locked) throw lockedOut(lockout.by === "address" ? "from this address" : "with this key", lockout.retryAfterS);
    throw key === undefined
      ? new ConnectError("missing API key: send it in the x-api-key header or as authorization: Bearer <key>", Code.Unauthenticated)
      : new ConnectError("invalid or revoked API key", Code.Unauthenticated);
  }
  return principal;
}

function checkScope(principal: Principal, scope: Scope, what: string): void {
  if (!principal.scopes.has(scope)) {
    throw new ConnectError(`key ${principal.name} lacks the ${scope} scope needed for ${what}`, Code.PermissionDenied);
  }
}

function lockedOut(what: string, retryAfterS: number): ConnectError {
  return new ConnectError(`too many failed authentications ${what}; retry later`, Code.ResourceExhausted, {
    "retry-after": String(retryAfterS),
  });
}

/**
 * Authenticates every call to a non-public service; only the key's name travels on, in kPrincipal.
 * The server's adapter identifies the key before the body is read and sets kPrincipal (pre-auth.ts);
 * the scope is checked here, after Connect has validated the request's shape.
 */
export function createAuthInterceptor(keys: KeyStore, limits: RateLimits): Interceptor {
  return (next) => async (req) => {
    if (isPublicService(req.service)) return next(req);
    const what = `${req.service.typeName}/${req.method.name}`;
    let principal = req.contextValues.get(kPrincipal);
    if (!principal) {
      principal = await identify(keys, limits, { headers: req.header, ip: req.contextValues.get(kClientIp) });
      req.contextValues.set(kPrincipal, principal);
    }
    checkScope(principal, requiredScope(req.service), what);
    return next(req);
  };
}
