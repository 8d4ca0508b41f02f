/**
 * Budgets must fire whatever the garbage collector does: Node 20's AbortSignal.timeout inside an
 * AbortSignal.any composite can be collected before it fires (nodejs/node#57736), which let a
 * diagnosis's live read run 10–25 s past its 2.5 s budget in the 100k faults bench.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { deadline } from "../../src/time/deadline.js";
import { probe } from "../../src/diagnosis/probe.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Collects garbage every few milliseconds until `done` settles (or a minute passes: a hang guard, not a speed check). */
async function collectingUntil<T>(done: Promise<T>): Promise<void> {
  let over = false;
  void done.finally(() => (over = true));
  for (let i = 0; !over && i < 12_000; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("deadline", () => {
  // Deadlines are unref'd like AbortSignal.timeout: something must keep this process waiting for them.
  let alive: NodeJS.Timeout;
  before(() => (alive = setInterval(() => undefined, 1000)));
  after(() => clearInterval(alive));

  test("aborts with a TimeoutError, and not at all once cleared", async () => {
    const d = deadline(20);
    await new Promise((r) => d.signal.addEventListener("abort", r, { once: true }));
    assert.equal((d.signal.reason as DOMException).name, "TimeoutError");
    const cleared = deadline(20);
    cleared.clear();
    const other = deadline(60);
    await new Promise((r) => other.signal.addEventListener("abort", r, { once: true }));
    assert.equal(cleared.signal.aborted, false);
  });

  test("inside AbortSignal.any, with nothing else holding it, it fires while the collector runs", async () => {
    // The shape of the diagnosis's overall budget. With AbortSignal.timeout(50) instead, Node 20.20.2
    // fired 0 of 100 here (a standalone repro of nodejs/node#57736, run with --expose-gc).
    const outer = new AbortController();
    let fired = 0;
    const all = Array.from(
      { length: 100 },
      () =>
        new Promise<void>((resolve) => {
          AbortSignal.any([outer.signal, deadline(50).signal]).addEventListener("abort", () => {
            fired++;
            resolve();
          });
        }),
    );
    await collectingUntil(Promise.all(all));
    assert.equal(fired, 100, "every deadline fired");
  });

  test("a probe's budget fires inside AbortSignal.any while the collector runs", async () => {
    const outer = new AbortController();
    const probes = Promise.all(Array.from({ length: 20 }, () => probe(50, outer.signal, () => new Promise<never>(() => undefined))));
    await collectingUntil(probes);
    const outcomes = await probes;
    assert.deepEqual(
      outcomes.map((o) => (o.ok ? "ok" : o.reason)),
      Array(20).fill("timeout"),
    );
  });
});
