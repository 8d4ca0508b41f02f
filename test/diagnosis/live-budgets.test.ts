import { test } from "node:test";
import assert from "node:assert/strict";
import { liveBudgets } from "../../src/diagnosis/gather.js";
import { loadConfig } from "../../src/config.js";

const config = loadConfig({ DIAG_BUDGET_MS: "2500", DIAG_ROUTEROS_BUDGET_MS: "2000", DIAG_SMARTOLT_BUDGET_MS: "2000", DIAG_ISPCUBE_BUDGET_MS: "1200" }).diagnosis;

test("live budgets: an idle server keeps the configured budgets", () => {
  assert.deepEqual(liveBudgets(config, 0), { overallMs: 2500, routerosMs: 2000, smartoltMs: 2000, ispcubeMs: 1200, shortenedMs: 0 });
});

test("live budgets: a busy server takes the loop delay off, and each source fits inside what is left", () => {
  assert.deepEqual(liveBudgets(config, 700), { overallMs: 1800, routerosMs: 1800, smartoltMs: 1800, ispcubeMs: 1200, shortenedMs: 700 });
});

test("live budgets: a delay under 100 ms is ordinary jitter and cuts nothing", () => {
  assert.equal(liveBudgets(config, 99).shortenedMs, 0);
  assert.equal(liveBudgets(config, 100).shortenedMs, 100);
});

test("live budgets: never more than DIAG_BUDGET_BUSY_PERCENT of the budget (40% by default)", () => {
  assert.equal(config.busyPercent, 40);
  assert.deepEqual(liveBudgets(config, 5000), { overallMs: 1500, routerosMs: 1500, smartoltMs: 1500, ispcubeMs: 1200, shortenedMs: 1000 });
});

test("live budgets: DIAG_BUDGET_BUSY_PERCENT=0 turns the cut off", () => {
  const off = loadConfig({ DIAG_BUDGET_BUSY_PERCENT: "0" }).diagnosis;
  assert.equal(liveBudgets(off, 900).shortenedMs, 0);
  assert.equal(liveBudgets(off, 900).overallMs, off.budgetMs);
});

test("live budgets: DIAG_BUDGET_BUSY_PERCENT outside 0–60 is refused", () => {
  assert.throws(() => loadConfig({ DIAG_BUDGET_BUSY_PERCENT: "80" }), /DIAG_BUDGET_BUSY_PERCENT/);
  assert.throws(() => loadConfig({ DIAG_BUDGET_BUSY_PERCENT: "-1" }), /DIAG_BUDGET_BUSY_PERCENT/);
});
