/**
 * A signal that aborts after `ms` with a TimeoutError, as `AbortSignal.timeout(ms)` does, but held
 * by its own timer until `clear()`. Node's AbortSignal.timeout keeps only a weak reference from its
 * timer, and a timeout signal whose only holder is an `AbortSignal.any(...)` composite can be
 * garbage-collected before it fires (nodejs/node#57736, not fixed in Node 20): under memory pressure
 * a diagnosis's 2.5 s budget then never fired and a live read ran 10–25 s (docs/RELIABILITY.md).
 * Call `clear()` once the guarded work is over, so the timer does not keep the signal alive longer.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  clear(): void;
}

export function deadline(ms: number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The operation timed out after ${ms} ms.`, "TimeoutError")), ms);
  // Like AbortSignal.timeout: a pending deadline alone does not keep the process running.
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
