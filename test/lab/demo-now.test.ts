import { test } from "node:test";
import assert from "node:assert/strict";
import { demoScenario } from "../../lab/scenario/demo.js";

test("the demo ISP's clock starts where it is asked to, and the triage cases move with it", () => {
  const now = "2026-11-28T12:00:00.000Z";
  const demo = demoScenario(now);
  assert.equal(demo.now, now);
  const los = demo.smartolt.onus.find((o) => o.username === "perez.maria");
  assert.equal(los?.status, "LOS");
  const ageMin = (Date.parse(now) - Date.parse(los?.lastStatusChange ?? "")) / 60_000;
  assert.ok(ageMin > 0 && ageMin < 120, `LOS started ${ageMin} min before now`);
});
