import { setTimeout as sleep } from "node:timers/promises";

/**
 * Runs `tick` every `intervalMs()` (read again each time, so the interval can change) until `signal`
 * aborts; the first tick comes after one interval. A tick's failure is the tick's business.
 */
export async function repeat(signal: AbortSignal, intervalMs: () => number, tick: () => Promise<void>): Promise<void> {
  let started = Date.now();
  while (!signal.aborted) {
    const wait = Math.max(0, started + intervalMs() - Date.now());
    try {
      await sleep(wait, undefined, { signal });
    } catch {
      return;
    }
    started = Date.now();
    await tick();
  }
}
