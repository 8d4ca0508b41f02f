import { VendorError, type VendorErrorKind } from "../errors.js";
import { text } from "./values.js";

/** A SmartOLT answer that is an error: a non-2xx status, or a 2xx whose body says `status: false`. */
export interface FailedAnswer {
  httpStatus: number;
  retryAfterHeader: string | null;
  /** The parsed JSON body; undefined when it was not JSON (a proxy's HTML error page). */
  body: unknown;
  /** A per-ONU read, where SmartOLT answers an unknown external id with a 400 "Invalid …". */
  perOnu: boolean;
  nowMs: number;
}

// §1.4/§8: the exact not-found wording is not captured; lookups fail with "Invalid …" messages.
const NOT_FOUND = /invalid|not found|no such|does not exist|doesn't exist/i;
// Used when a 429 names no wait at all: long enough not to hammer an account already over its budget.
const DEFAULT_RETRY_AFTER_S = 60;

/**
 * Maps a failed answer to the one VendorError it means (shared/vendors/smartolt.md §1.4). `scrub`
 * removes secrets from vendor-supplied text before it becomes part of a message.
 */
export function failureFor(op: string, a: FailedAnswer, scrub: (s: string) => string = (s) => s): VendorError {
  const body = typeof a.body === "object" && a.body !== null ? (a.body as Record<string, unknown>) : {};
  const said = scrub(text(body.error ?? body.message));
  const detail = said ? `: ${said}` : "";
  const status = a.httpStatus;
  const err = (kind: VendorErrorKind, message: string, retryAfterS?: number): VendorError =>
    new VendorError("smartolt", op, kind, message, retryAfterS === undefined ? { status } : { status, retryAfterS });

  if (status === 401 || status === 403) return err("auth", `api key refused (HTTP ${status})${detail}`);
  if (status === 429 || body.response_code === "rate_limit_exceeded") {
    const wait = retryAfterS(a.retryAfterHeader, body.retry_after, a.nowMs);
    return err("rate_limited", `rate limit exceeded (HTTP ${status}), retry after ${wait} s`, wait);
  }
  // §1.4: SmartOLT answers an unknown path or verb with 405 "Unknown method": a bug on our side.
  if (status === 405) return err("bad_response", `unknown method (HTTP 405): the client called a path SmartOLT lacks${detail}`);
  if (status >= 500) return err("unavailable", `HTTP ${status}${detail}`);
  if (a.perOnu && (status === 404 || NOT_FOUND.test(said))) return err("not_found", `onu not found${detail}`);
  if (status >= 200 && status < 300) return err("bad_response", `answer has status false${detail}`);
  return err("bad_response", `HTTP ${status}${detail}`);
}

/** Retry-After in seconds (delta or HTTP date), else the body's `retry_after` (§3), else a default. */
export function retryAfterS(header: string | null, bodyValue: unknown, nowMs: number): number {
  const h = header?.trim();
  if (h) {
    if (/^\d+$/.test(h)) return Math.max(1, Number(h));
    const at = Date.parse(h);
    if (!Number.isNaN(at)) return Math.max(1, Math.ceil((at - nowMs) / 1000));
  }
  const b = typeof bodyValue === "number" ? bodyValue : typeof bodyValue === "string" ? Number(bodyValue.trim()) : NaN;
  if (Number.isFinite(b) && b >= 0) return Math.max(1, Math.ceil(b));
  return DEFAULT_RETRY_AFTER_S;
}
