/** monitor-traffic as a stream (no `once`) against the lab router, through node-routeros itself. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { TrafficReading } from "../../src/domain/types.js";
import { isVendorError } from "../../src/vendors/errors.js";
import { makeRouter, startPool, within, type PoolHarness } from "./routeros-fixture.js";

let h: PoolHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Resolves once `pred` holds, polling every 20 ms; the caller's `within` bounds it. */
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setTimeout(r, 20));
}

describe("routeros pool: monitor-traffic stream", () => {
  for (const version of ["6.49", "7.18"] as const) {
    it(`streams samples until stop() cancels it (RouterOS ${version})`, async () => {
      h = await startPool([{ ...makeRouter(version), name: "edge" }]);
      const samples: TrafficReading[] = [];
      let ended = false;
      const monitor = await within(
        h.pool.monitorTraffic(h.target("edge"), "alice", { intervalS: 1, onSample: (s) => samples.push(s), onEnd: () => (ended = true) }),
        5000,
      );
      assert.equal(h.pool.openStreams(), 1);
      await within(until(() => samples.length >= 2), 10_000);
      assert.deepEqual([samples[0]?.downloadBps, samples[0]?.uploadBps], [8_000_000, 1_000_000]);
      assert.equal(h.ctx.counters.get("routeros", "edge /interface/monitor-traffic"), 1, "one command for many samples");

      await within(monitor.stop(), 5000);
      assert.equal(h.pool.openStreams(), 0);
      assert.equal(h.ctx.counters.get("routeros", "edge /cancel"), 1, "stop() sends /cancel");
      const seen = samples.length;
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(samples.length, seen, "no sample after stop()");
      assert.equal(ended, false, "onEnd is for streams that end by themselves");
      // The link is still usable for ordinary calls.
      assert.equal((await h.pool.activeSession(h.target("edge"), "alice"))?.name, "alice");
    });
  }

  it("a user without a session: the start fails with the router's trap, nothing stays open", async () => {
    h = await startPool([{ ...makeRouter("7.18"), name: "edge" }]);
    await assert.rejects(
      h.pool.monitorTraffic(h.target("edge"), "bob", { intervalS: 1, onSample: () => {}, onEnd: () => {} }),
      (err: unknown) => isVendorError(err) && /input does not match/.test(err.message),
    );
    assert.equal(h.pool.openStreams(), 0);
    assert.equal((await h.pool.activeSession(h.target("edge"), "alice"))?.name, "alice");
  });

  it("the pool closing ends a running stream with onEnd", async () => {
    h = await startPool([{ ...makeRouter("6.49"), name: "edge" }]);
    let ended: unknown = "no";
    await h.pool.monitorTraffic(h.target("edge"), "alice", { intervalS: 1, onSample: () => {}, onEnd: (err) => (ended = err) });
    await h.pool.close();
    assert.ok(isVendorError(ended), "the stream ended with the link's error");
    assert.equal(h.pool.openStreams(), 0);
  });
});
