import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createCallBudget, type Admission, type CallBudgetOptions } from "../../src/vendors/smartolt/budget.js";

const HOUR = 3_600_000;

function budgetAt(over: Partial<CallBudgetOptions> = {}): { budget: ReturnType<typeof createCallBudget>; advance(ms: number): void } {
  let t = Date.parse("2026-07-10T12:00:00Z");
  const budget = createCallBudget({ hourlyLimit: 8, endpointCaps: {}, perSecond: 1000, maxQueueMs: 10_000, now: () => new Date(t), ...over });
  return { budget, advance: (ms) => void (t += ms) };
}

const waits = (as: Admission[]): Array<number | string> => as.map((a) => (a.ok ? a.delayMs : `refused ${a.retryAfterS}`));

describe("call budget", () => {
  test("refuses once the hour is spent, until the oldest call leaves the rolling hour", () => {
    const { budget, advance } = budgetAt();
    for (let i = 0; i < 4; i++) assert.ok(budget.admit("a").ok);
    advance(HOUR / 2);
    for (let i = 0; i < 4; i++) assert.ok(budget.admit("b").ok);
    assert.deepEqual(waits([budget.admit("a")]), ["refused 1800"]);
    assert.equal(budget.snapshot().used, 8);
    assert.equal(budget.snapshot().windowResetsAt.toISOString(), "2026-07-10T13:00:00.000Z");
    advance(HOUR / 2);
    assert.equal(budget.snapshot().used, 4, "the first four left the window");
    for (let i = 0; i < 4; i++) assert.ok(budget.admit("a").ok);
    assert.equal(budget.admit("a").ok, false);
  });

  test("per-endpoint caps refuse that endpoint only", () => {
    const { budget } = budgetAt({ endpointCaps: { "onu/get_onu_signal": 2 } });
    assert.deepEqual(waits([budget.admit("onu/get_onu_signal"), budget.admit("onu/get_onu_signal"), budget.admit("onu/get_onu_signal")]), [0, 0, "refused 3600"]);
    assert.ok(budget.admit("onu/get_onu_status").ok);
    assert.equal(budget.snapshot().used, 3, "refusals are not charged");
  });

  test("bursts are paced: no 1-second span holds more than perSecond calls", () => {
    const { budget, advance } = budgetAt({ hourlyLimit: 1000, perSecond: 10, maxQueueMs: 1500 });
    const first = waits(Array.from({ length: 21 }, () => budget.admit("x")));
    assert.deepEqual(first, [...Array(10).fill(0), ...Array(10).fill(1000), "refused 2"]);
    advance(1500);
    assert.deepEqual(waits([budget.admit("x")]), [500], "the third second's slots open at +2 s");
  });

  test("a vendor 429 pauses the account, or only an endpoint with its own cap", () => {
    const { budget, advance } = budgetAt({ endpointCaps: { "onu/get_onu_signal": 400 } });
    const now = Date.parse("2026-07-10T12:00:00Z");
    budget.pause("onu/get_onu_signal", now + 30_000);
    assert.deepEqual(waits([budget.admit("onu/get_onu_signal"), budget.admit("system/get_olts")]), ["refused 30", 0]);
    budget.pause("system/get_olts", now + 10_000);
    assert.deepEqual(waits([budget.admit("onu/get_onus_statuses")]), ["refused 10"]);
    advance(30_000);
    assert.deepEqual(waits([budget.admit("onu/get_onu_signal"), budget.admit("onu/get_onus_statuses")]), [0, 0]);
  });
});
