/**
 * The worst event-loop delay of the last `windowS` seconds: how late a timer set now may fire. A
 * saturated server runs long loop turns (every request that arrived meanwhile, one after the other),
 * and a diagnosis' budget timer that falls due inside one fires only when the turn ends; the diagnosis
 * then answers that much past its budget (docs/RELIABILITY.md). The diagnosis cuts its live reads
 * short by this much (gather.ts liveBudgets) so the answer still leaves within it.
 *
 * Measured with a timer of its own rather than perf_hooks' monitorEventLoopDelay: that histogram's
 * reset() also forgets its last tick, so a reset landing inside a held turn (a one-second roll is a
 * timer too, and runs first when it fell due before the monitor's next tick) loses exactly the long
 * turns this is for. Here the sampler measures its own lateness and rolls the seconds itself.
 */
export interface LoopDelay {
  /** ms; 0 when the loop kept up with the sampling timer throughout the window. */
  recentMaxMs(): number;
  close(): void;
}

export function watchLoopDelay(opts: { windowS?: number; resolutionMs?: number } = {}): LoopDelay {
  const windowS = opts.windowS ?? 10;
  const resolutionMs = opts.resolutionMs ?? 20;
  /** The worst lateness of each finished second, oldest first, and of the second under way. */
  const seconds: number[] = [];
  let current = 0;
  let last = performance.now();
  let secondEnds = last + 1000;
  const sampler = setInterval(() => {
    const now = performance.now();
    // The whole gap counts toward the second it ended in: a turn held across a second boundary is not split.
    current = Math.max(current, now - last - resolutionMs);
    last = now;
    if (now >= secondEnds) {
      seconds.push(current);
      if (seconds.length > windowS) seconds.shift();
      current = 0;
      secondEnds = now + 1000;
    }
  }, resolutionMs);
  // A pending sample alone does not keep the process running.
  sampler.unref();
  return {
    recentMaxMs() {
      // The turn under way counts as far as it has gone: the sampler has not run since it began.
      const ongoing = Math.max(0, performance.now() - last - resolutionMs);
      return Math.round(Math.max(0, current, ongoing, ...seconds));
    },
    close() {
      clearInterval(sampler);
    },
  };
}

/** A stand-in that reports no delay (DIAG_BUDGET_BUSY_PERCENT=0). */
export const noLoopDelay: LoopDelay = { recentMaxMs: () => 0, close: () => undefined };
