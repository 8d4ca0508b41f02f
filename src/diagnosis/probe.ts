import { setMaxListeners } from "node:events";
import { deadline } from "../time/deadline.js";
import { isVendorError } from "../vendors/errors.js";
import type { UnavailableReason } from "./types.js";

export type ProbeOutcome<T> =
  | { ok: true; value: T; latencyMs: number }
  | { ok: false; reason: UnavailableReason; detail: string; latencyMs: number };

/**
 * Runs one source's live read under its budget, timing and error capture written once for every
 * prober. A read that outlives the budget is abandoned (its guard ends it later); a vendor failure
 * becomes a reason, never an exception.
 */
export async function probe<T>(budgetMs: number, outer: AbortSignal | undefined, read: (signal: AbortSignal) => Promise<T>): Promise<ProbeOutcome<T>> {
  const started = performance.now();
  const timeout = deadline(budgetMs);
  const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
  setMaxListeners(0, signal);
  const elapsed = (): number => Math.round(performance.now() - started);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new ProbeTimeout());
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const value = await Promise.race([read(signal), aborted]);
    return { ok: true, value, latencyMs: elapsed() };
  } catch (err) {
    return { ok: false, ...failure(err, budgetMs), latencyMs: elapsed() };
  } finally {
    timeout.clear();
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

class ProbeTimeout extends Error {}

/** The detail of a read its budget cut (a vendor client's own timeout says more: which call, which timeout). */
export function budgetTimeoutDetail(budgetMs: number): string {
  return `no answer within ${budgetMs} ms`;
}

function failure(err: unknown, budgetMs: number): { reason: UnavailableReason; detail: string } {
  if (err instanceof ProbeTimeout) return { reason: "timeout", detail: budgetTimeoutDetail(budgetMs) };
  if (!isVendorError(err)) return { reason: "error", detail: err instanceof Error ? err.message : String(err) };
  const reason: UnavailableReason =
    err.kind === "unavailable" || err.kind === "not_found"
      ? "error"
      : err.kind === "timeout"
        ? "timeout"
        : err.kind === "breaker_open"
          ? "breaker_open"
          : err.kind === "auth"
            ? "auth"
            : err.kind === "rate_limited"
              ? "rate_limited"
              : err.kind === "disabled"
                ? "disabled"
                : "bad_response";
  return { reason, detail: err.message };
}
