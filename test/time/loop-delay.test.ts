import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { watchLoopDelay } from "../../src/time/loop-delay.js";

/** Holds the event loop for `ms`, as a long loop turn of a saturated server does. */
function hold(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test("loop delay: a turn held 400 ms is reported as such, and later seconds keep it for the window", async () => {
  const delay = watchLoopDelay({ windowS: 30, resolutionMs: 10 });
  try {
    // Let the sampling timer start, then hold the loop: the timer that falls due meanwhile fires late.
    await sleep(50);
    hold(400);
    await sleep(50);
    // At least the hold less the sampling resolution; a busy machine only makes the measured delay longer.
    assert.ok(delay.recentMaxMs() >= 380, `recent max ${delay.recentMaxMs()} ms after a 400 ms hold`);
    // Rolled into its one-second slot, it still counts (the window is 30 s).
    await sleep(1100);
    assert.ok(delay.recentMaxMs() >= 380, `recent max ${delay.recentMaxMs()} ms a second later`);
  } finally {
    delay.close();
  }
});

test("loop delay: a window of one second forgets a hold once its second has rolled out", { timeout: 60_000 }, async () => {
  const delay = watchLoopDelay({ windowS: 1, resolutionMs: 10 });
  try {
    await sleep(50);
    hold(400);
    await sleep(50);
    assert.ok(delay.recentMaxMs() >= 380);
    // Two rolls later the slot holding the 400 ms is gone; what is left is this process's own jitter,
    // which on a loaded machine can be large, but not a 400 ms turn this test made.
    const rolled = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (delay.recentMaxMs() < 380) {
          clearInterval(check);
          resolve();
        }
      }, 100);
    });
    await rolled;
  } finally {
    delay.close();
  }
});
