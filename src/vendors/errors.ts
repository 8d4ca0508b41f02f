import type { Vendor } from "../domain/types.js";

/**
 * What went wrong talking to a vendor. Every vendor client throws only this, keeping `cause`: the
 * sync records its message as a failed source and keeps that source's previous data; the diagnosis
 * engine (planned) will mark the source unavailable rather than fail the RPC.
 */
export type VendorErrorKind =
  /** Connection refused, reset, DNS, or a 5xx. */
  | "unavailable"
  /** No answer within the time budget. */
  | "timeout"
  /** The breaker is open after repeated failures; the vendor was not called. */
  | "breaker_open"
  /** Credentials refused. */
  | "auth"
  /** The vendor (or Beholder's own budget for it) says wait; see retryAfterS. */
  | "rate_limited"
  /** The vendor answered that the thing does not exist. */
  | "not_found"
  /** Unparseable or wrongly shaped answer. */
  | "bad_response"
  /** The vendor is not configured. */
  | "disabled";

export class VendorError extends Error {
  override name = "VendorError";

  constructor(
    readonly vendor: Vendor,
    /** The operation, e.g. "get_onus_statuses" or "router-3 /ppp/secret/print". */
    readonly op: string,
    readonly kind: VendorErrorKind,
    message: string,
    readonly options: { cause?: unknown; retryAfterS?: number; status?: number; code?: string } = {},
  ) {
    super(`${vendor} ${op}: ${message}`, { cause: options.cause });
  }

  get retryAfterS(): number | undefined {
    return this.options.retryAfterS;
  }

  get status(): number | undefined {
    return this.options.status;
  }

  /** The socket's error code when one is known ("ECONNREFUSED", "ECONNRESET"): a closed port is not a dropped link. */
  get code(): string | undefined {
    return this.options.code;
  }
}

export function isVendorError(err: unknown, kind?: VendorErrorKind): err is VendorError {
  return err instanceof VendorError && (kind === undefined || err.kind === kind);
}

/** Kinds that say the vendor is unhealthy (they count towards opening its breaker). */
export function countsAsFailure(err: unknown): boolean {
  return !(err instanceof VendorError) || err.kind === "unavailable" || err.kind === "timeout" || err.kind === "bad_response";
}

/** Kinds worth retrying for an idempotent read. */
export function isRetryable(err: unknown): boolean {
  return err instanceof VendorError && (err.kind === "unavailable" || err.kind === "timeout" || err.kind === "rate_limited");
}
