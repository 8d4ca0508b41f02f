/**
 * ISPCube's Sanctum login and the header rules every later call must follow
 * (shared/vendors/ispcube.md §2, §6.2, §6.3).
 */
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { LabClock } from "../clock.js";
import type { IspCubeWorld } from "../scenario/types.js";
import { json, type Reply } from "./http-io.js";

const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Laravel's body for a failed `auth:sanctum` guard (§3.2, body [INF]). */
export const UNAUTHENTICATED: Reply = json(401, { message: "Unauthenticated." });

export interface TokenStore {
  issue(username: string, ttlSeconds: number): string;
  /** The user a live token belongs to; undefined when unknown or expired on the lab clock. */
  holder(token: string): string | undefined;
}

export function createTokenStore(clock: LabClock): TokenStore {
  const tokens = new Map<string, { username: string; expiresAtMs: number }>();
  let sequence = 0;
  return {
    issue(username, ttlSeconds) {
      sequence += 1;
      // A Sanctum plain-text token: "<row id>|<40 random characters>" (§2.2).
      const bytes = randomBytes(40);
      let secret = "";
      for (const byte of bytes) secret += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      const token = `${sequence}|${secret}`;
      tokens.set(token, { username, expiresAtMs: clock.now().getTime() + ttlSeconds * 1000 });
      return token;
    },
    holder(token) {
      const entry = tokens.get(token);
      if (!entry) return undefined;
      if (clock.now().getTime() >= entry.expiresAtMs) {
        tokens.delete(token);
        return undefined;
      }
      return entry.username;
    },
  };
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function tenantHeadersMatch(world: IspCubeWorld, headers: IncomingHttpHeaders): boolean {
  return (
    header(headers, "api-key") === world.apiKey &&
    header(headers, "client-id") === world.clientId &&
    header(headers, "login-type") === "api"
  );
}

/**
 * `POST /api/sanctum/token`. Wrong headers and wrong credentials both get a 401; the real code for
 * bad headers is unknown (§6.2 [INF], §9.1), and clients only look at the status.
 */
export function login(
  world: IspCubeWorld,
  headers: IncomingHttpHeaders,
  rawBody: string,
  tokens: TokenStore,
  rejectAll: boolean,
): Reply {
  if (rejectAll || !tenantHeadersMatch(world, headers)) return UNAUTHENTICATED;
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return UNAUTHENTICATED;
  }
  const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
  if (username !== world.username || password !== world.password) return UNAUTHENTICATED;
  const token = tokens.issue(world.username, world.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS);
  // Older tenants answer the bare token as text (§2.2, S10).
  if (world.legacyTokenBody) return { status: 200, text: token, contentType: "text/plain; charset=UTF-8" };
  return json(200, { token });
}

/**
 * The seven-header rule for every call but the login (§2.3). The missing-header checks come first:
 * production answers 400 for a missing `username` or `login-type` even with a valid bearer [OBS S4].
 * A wrong `api-key`/`client-id`, a `login-type` other than `api`, or a `username` that is not the
 * token's owner are answered like a bad bearer (401): the real behaviour is unknown (§9.1).
 */
export function guard(world: IspCubeWorld, headers: IncomingHttpHeaders, tokens: TokenStore): Reply | undefined {
  const username = header(headers, "username");
  if (!username) return json(400, { status: false, message: "username header requerido" });
  if (!header(headers, "login-type")) return json(400, { status: false, message: "login-type header requerido" });
  if (!tenantHeadersMatch(world, headers)) return UNAUTHENTICATED;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, "authorization") ?? "");
  const holder = bearer?.[1] === undefined ? undefined : tokens.holder(bearer[1]);
  if (holder === undefined || holder !== username) return UNAUTHENTICATED;
  return undefined;
}
