/**
 * The guard's breaker starts a fresh rolling window when it closes: the failures that opened it do not
 * count against the vendor once its trial has answered. A unit test of the guard alone (no vendor):
 * the call it guards is a plain function that fails or answers on command.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { VendorError } from "../../src/vendors/errors.js";
import { createGuard, type BreakerState } from "../../src/vendors/guard.js";

describe("the breaker's window after a close", () => {
  test("one failure right after the trial closed it does not open it again; a vendor down again still does", async () => {
    const guard = createGuard({
      vendor: "smartolt",
      name: "smartolt",
      timeoutMs: 10_000,
      errorThresholdPercent: 50,
      volumeThreshold: 4,
      resetTimeoutMs: 100,
      retries: 0,
      retryBaseMs: 1,
      maxRetryWaitMs: 0,
    });
    // The guard's timers are unref'd (they must not hold a process open): this one keeps the test alive.
    const alive = setInterval(() => undefined, 1000);
    try {
      let up = false;
      const answer = async (): Promise<string> => {
        if (up) return "ok";
        throw new VendorError("smartolt", "read", "unavailable", "HTTP 502");
      };
      guard.setProbe(answer);
      const changes: BreakerState[] = [];
      let onChange: () => void = () => undefined;
      guard.onStateChange((s) => {
        changes.push(s);
        onChange();
      });
      const until = (state: BreakerState): Promise<void> =>
        guard.state() === state ? Promise.resolve() : new Promise((resolve) => (onChange = () => guard.state() === state && resolve()));
      const fail = (): Promise<unknown> =>
        guard.run("read", async () => {
          throw new VendorError("smartolt", "read", "unavailable", "HTTP 502");
        }).catch((err: unknown) => err);

      for (let i = 0; i < 4; i++) await fail();
      assert.equal(guard.state(), "open");
      up = true;
      // The guard's own trial (the probe) closes it once the reset period has passed.
      await until("closed");
      // A read that was in flight when the vendor came back fails now: alone, it must not reopen.
      await fail();
      assert.equal(guard.state(), "closed", `changes: ${changes.join(" → ")}`);
      // The vendor goes down again: enough failures in the fresh window open it.
      for (let i = 0; i < 3; i++) await fail();
      assert.equal(guard.state(), "open", `changes: ${changes.join(" → ")}`);
      assert.deepEqual(changes, ["open", "half_open", "closed", "open"]);
    } finally {
      clearInterval(alive);
      guard.shutdown();
    }
  });
});
