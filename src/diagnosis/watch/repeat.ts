import { setTimeout as sleep } from "node:timers/promises";

export interface Repeater {
  /** The interval changed: the current wait is measured again against it. */
  reschedule(): void;
}

/**
 * Runs `tick` every `intervalMs()` (read again each time, and on reschedule()) until `signal`
 * aborts; the first tick comes after one interval. A tick's failure is the tick's business.
 */
export function repeat(signal: AbortSignal, intervalMs: () => number, tick: () => Promise<void>): Repeater {
  let nap: AbortController | undefined;
  signal.addEventListener("abort", () => nap?.abort(), { once: true });
  void (async () => {
    let started = Date.now();
    while (!signal.aborted) {
      const wait = started + intervalMs() - Date.now();
      if (wait > 0) {
        nap = new AbortController();
        try {
          await sleep(wait, undefined, { signal: nap.signal });
        } catch {
          continue; // stopped (the loop ends) or rescheduled (measure again)
        }
      }
      started = Date.now();
      await tick();
    }
  })();
  return { reschedule: () => nap?.abort() };
}
