import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { groupKeyFor, planOnuPolls, type OnuPlace, type PlanOptions } from "../../src/diagnosis/watch/plan.js";

const defaults: PlanOptions = { wantedIntervalMs: 10_000, hourlyBudget: 1000, budgetPercent: 30, signalEvery: 10, portsPerOltCall: 4 };
const at = (oltId: string, board: number | null, port: number | null): OnuPlace => ({ oltId, board, port });

describe("watch poll plan", () => {
  const cases: Array<{ name: string; places: OnuPlace[]; opts?: Partial<PlanOptions>; groups: string[]; intervalMs: number; stretched: boolean }> = [
    { name: "nobody watched: no call, the wanted interval", places: [], groups: [], intervalMs: 10_000, stretched: false },
    // 300 calls/h, 1.1 calls per round: one round every 13.2 s, inside the 15 s promise.
    { name: "one ONU with the default budget", places: [at("1", 0, 3)], groups: ["pon:1:0:3"], intervalMs: 13_200, stretched: true },
    { name: "ONUs of one port share a call", places: [at("1", 0, 3), at("1", 0, 3), at("1", 0, 3)], groups: ["pon:1:0:3"], intervalMs: 13_200, stretched: true },
    { name: "a slow watcher is not sped up", places: [at("1", 0, 3)], opts: { wantedIntervalMs: 60_000 }, groups: ["pon:1:0:3"], intervalMs: 60_000, stretched: false },
    { name: "two ports: twice the interval", places: [at("1", 0, 3), at("1", 1, 0)], groups: ["pon:1:0:3", "pon:1:1:0"], intervalMs: 26_400, stretched: true },
    {
      name: "more ports on an OLT than portsPerOltCall: one call for the OLT",
      places: [at("1", 0, 0), at("1", 0, 1), at("1", 0, 2), at("1", 0, 3), at("1", 0, 4), at("2", 0, 0)],
      groups: ["olt:1", "pon:2:0:0"],
      intervalMs: 26_400,
      stretched: true,
    },
    { name: "an ONU without a position is read with its OLT", places: [at("1", null, null), at("1", 0, 1)], groups: ["olt:1"], intervalMs: 13_200, stretched: true },
    { name: "a bigger budget share: shorter rounds", places: [at("1", 0, 3)], opts: { budgetPercent: 60, wantedIntervalMs: 1000 }, groups: ["pon:1:0:3"], intervalMs: 6_600, stretched: true },
    { name: "signals every round cost double", places: [at("1", 0, 3)], opts: { signalEvery: 1, wantedIntervalMs: 1000 }, groups: ["pon:1:0:3"], intervalMs: 24_000, stretched: true },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const plan = planOnuPolls(c.places, { ...defaults, ...c.opts });
      assert.deepEqual(plan.groups.map((g) => g.key), c.groups);
      assert.equal(plan.statusIntervalMs, c.intervalMs);
      assert.equal(plan.signalIntervalMs, c.intervalMs * (c.opts?.signalEvery ?? defaults.signalEvery));
      assert.equal(plan.stretched, c.stretched);
    });
  }

  test("filters: a port group passes olt, board and port; an OLT group only the OLT", () => {
    const plan = planOnuPolls([at("7", 1, 2), ...[0, 1, 2, 3, 4].map((p) => at("8", 0, p))], defaults);
    assert.deepEqual(plan.groups.map((g) => g.filter), [{ oltId: "7", board: 1, port: 2 }, { oltId: "8" }]);
    assert.equal(groupKeyFor(at("7", 1, 2), plan), "pon:7:1:2");
    assert.equal(groupKeyFor(at("8", 0, 3), plan), "olt:8");
    assert.equal(groupKeyFor(at("9", 0, 0), plan), undefined);
  });

  test("the interval grows with ports, never with watchers of the same ports", () => {
    const one = planOnuPolls([at("1", 0, 3)], defaults).statusIntervalMs;
    const many = planOnuPolls(Array.from({ length: 200 }, () => at("1", 0, 3)), defaults).statusIntervalMs;
    assert.equal(many, one);
    const ports = planOnuPolls([0, 1, 2].map((p) => at(String(p), 0, p)), defaults).statusIntervalMs;
    assert.equal(ports, 3 * one);
  });
});
