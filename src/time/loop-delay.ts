import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * The worst event-loop delay of the last `windowS` seconds: how late a timer set now may fire. A
 * saturated server runs long loop turns (every request that arrived meanwhile, one after the other),
 * and a diagnosis' budget timer that falls due inside one fires only when the turn ends; the diagnosis
 * then answers that much past its budget (docs/RELIABILITY.md). The diagnosis cuts its live reads
 * short by this much (up to a share of the budget) so the answer still leaves within it.
 */
export interface LoopDelay {
  /** ms; 0 when the loop kept up with the sampling timer throughout the window. */
  recentMaxMs(): number;
  close(): void;
}

export function watchLoopDelay(opts: { windowS?: number; resolutionMs?: number } = {}): LoopDelay {
  const windowS = opts.windowS ?? 30;
  const resolutionMs = opts.resolutionMs ?? 20;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  // One slot per second: the worst delay seen in it (the histogram records the sampling timer's whole
  // interval, the resolution included, so that is taken off).
  const seconds: number[] = [];
  const current = (): number => (histogram.count === 0 ? 0 : Math.max(0, histogram.max / 1e6 - resolutionMs));
  const roll = setInterval(() => {
    seconds.push(current());
    if (seconds.length > windowS) seconds.shift();
    histogram.reset();
  }, 1000);
  roll.unref();
  return {
    recentMaxMs: () => Math.round(Math.max(current(), ...seconds)),
    close() {
      clearInterval(roll);
      histogram.disable();
    },
  };
}

/** A stand-in that reports no delay (tests, and DIAG_BUDGET_BUSY_PERCENT=0). */
export const noLoopDelay: LoopDelay = { recentMaxMs: () => 0, close: () => undefined };
