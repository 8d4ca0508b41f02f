import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { exampleScenarios } from "../../lab/scenario/examples.js";
import { loadScenario } from "../../lab/scenario/load.js";
import { parseDuration, resolveInstant } from "../../lab/scenario/relative-time.js";
import type { Scenario } from "../../lab/scenario/types.js";
import { createScenarioValidator, ScenarioError, validateScenario } from "../../lab/scenario/validate.js";

const healthy = (): Scenario => structuredClone(exampleScenarios()["triage-cases.json"] as Scenario);

function problemsOf(value: unknown, options?: { skipSchema?: boolean }): string[] {
  try {
    validateScenario(value, options);
  } catch (err) {
    assert.ok(err instanceof ScenarioError, String(err));
    for (const p of err.problems) assert.ok(err.message.includes(p), "the message lists every problem");
    return err.problems;
  }
  assert.fail("expected a ScenarioError");
}

describe("validateScenario", () => {
  it("names every schema problem with its JSON pointer", () => {
    const s = healthy() as unknown as Record<string, any>;
    s.smartolt.onus[2].status = "Broken";
    s.smartolt.onus[3].rxDbm = "-20 dBm";
    s.ispcube.customers[1].status = "active";
    s.routers[0].secrets[0].colour = "blue";
    delete s.routers[1].version;
    s.smartolt.onus[4].lastStatusChange = "yesterday";
    const problems = problemsOf(s);
    const expected = [
      "/smartolt/onus/2/status: must be one of",
      "/smartolt/onus/3/rxDbm: must be number or null",
      "/ispcube/customers/1/status: must be one of",
      '/routers/0/secrets/0: unknown property "colour"',
      "/routers/1: must have required property 'version'",
      "/smartolt/onus/4/lastStatusChange: must match pattern",
    ];
    for (const e of expected) assert.ok(problems.some((p) => p.startsWith(e)), `missing "${e}" in:\n${problems.join("\n")}`);
    assert.equal(problems.length, expected.length);
  });

  it("words each kind of schema problem the way the JSON Schema would", () => {
    const validator = createScenarioValidator();
    const cases: [unknown, string[]][] = [
      [{ errorRate: 1.5 }, ["/errorRate: must be <= 1"]],
      [{ latencyMs: -1, hang: "yes" }, ["/latencyMs: must be >= 0", "/hang: must be boolean"]],
      [{ status: 200.5 }, ["/status: must be integer"]],
      [{ burst: { count: 2 } }, ["/burst: must have required property 'status'"]],
      [{ slow: true }, ['/: unknown property "slow"']],
      [[], ["/: must be object"]],
    ];
    for (const [fault, expected] of cases) assert.deepEqual(validator.httpFaultProblems(fault), expected, JSON.stringify(fault));
    assert.deepEqual(validator.routerFaultProblems({ splitWritesAt: 0 }), ["/splitWritesAt: must be >= 1"]);
    const s = healthy() as unknown as Record<string, any>;
    s.name = "";
    s.routers[0].secrets[0].lastCallerId = "aa:bb:cc:dd:ee:ff";
    s.routers[0].secrets[0].lastDisconnectReason = 7;
    assert.deepEqual(problemsOf(s), [
      "/name: must be at least 1 characters long",
      "/routers/0/secrets/0/lastCallerId: must match pattern /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/",
      '/routers/0/secrets/0/lastDisconnectReason: must be one of "peer-request", "hung-up", "idle-timeout", "session-timeout", "reset", "reboot", "port-error", "nas-error", "nas-request" or null',
    ]);
  });

  it("names every broken reference and duplicate key", () => {
    const s = healthy();
    const onus = s.smartolt.onus;
    (onus[0] as Scenario["smartolt"]["onus"][0]).oltId = 99;
    (onus[1] as Scenario["smartolt"]["onus"][0]).odbId = 77;
    (onus[2] as Scenario["smartolt"]["onus"][0]).sn = (onus[3] as Scenario["smartolt"]["onus"][0]).sn;
    const c = s.ispcube.connections;
    (c[0] as (typeof c)[0]).customerId = 4242;
    (c[1] as (typeof c)[0]).planId = 55;
    (c[2] as (typeof c)[0]).nodeId = 66;
    (s.ispcube.nodes[0] as (typeof s.ispcube.nodes)[0]).router = "rb-nowhere";
    const router = s.routers[1] as Scenario["routers"][0];
    router.secrets.push({ ...(s.routers[0]?.secrets[0] as Scenario["routers"][0]["secrets"][0]) });
    const problems = problemsOf(s);
    const expected = [
      "/smartolt/onus/0/oltId: olt 99 does not exist",
      "/smartolt/onus/1/odbId: odb 77 does not exist",
      '/smartolt/onus/3/sn: duplicate sn "HWTC1A2B3C04" (first at /smartolt/onus/2)',
      "/ispcube/connections/0/customerId: customer 4242 does not exist",
      "/ispcube/connections/1/planId: plan 55 does not exist",
      "/ispcube/connections/2/nodeId: node 66 does not exist",
      '/ispcube/nodes/0/router: router "rb-nowhere" does not exist',
      `/routers/1/secrets/${router.secrets.length - 1}/name: duplicate user "gomez.lucia" (also on router rb-centro)`,
    ];
    assert.deepEqual([...problems].sort(), [...expected].sort());
  });

  it("keeps the cross-checks when the schema pass is skipped", () => {
    const s = healthy();
    (s.smartolt.onus[0] as Scenario["smartolt"]["onus"][0]).zoneId = 31;
    assert.deepEqual(problemsOf(s, { skipSchema: true }), ["/smartolt/onus/0/zoneId: zone 31 does not exist"]);
    assert.deepEqual(problemsOf([], { skipSchema: true }), ["/: must be object"]);
  });

  it("resolves relative instants against now", () => {
    assert.equal(parseDuration("-1d2h3m4s"), -(86_400_000 + 7_200_000 + 180_000 + 4000));
    assert.equal(parseDuration("+250ms"), 250);
    assert.equal(parseDuration("2 hours"), undefined);
    const now = Date.parse("2026-03-10T18:00:00Z");
    assert.equal(resolveInstant("-25m", now), "2026-03-10T17:35:00.000Z");
    assert.equal(resolveInstant("2026-01-01T00:00:00Z", now), "2026-01-01T00:00:00Z");
    const s = validateScenario(healthy());
    const perez = s.smartolt.onus.find((o) => o.username === "perez.maria");
    assert.equal(perez?.lastStatusChange, "2026-03-10T17:35:00.000Z");
  });

  it("loadScenario reports bad JSON and invalid content with the file name", async () => {
    const dir = await mkdtemp(join(tmpdir(), "scenario-"));
    try {
      await writeFile(join(dir, "broken.json"), "{ not json");
      await assert.rejects(loadScenario(join(dir, "broken.json")), /broken\.json is not valid JSON/);
      await writeFile(join(dir, "empty.json"), "{}");
      await assert.rejects(loadScenario(join(dir, "empty.json")), (err: unknown) => {
        assert.ok(err instanceof ScenarioError);
        assert.match(err.message, /^invalid scenario .*empty\.json: 5 problems/);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
