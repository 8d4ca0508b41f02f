import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { demoScenario } from "../../lab/scenario/demo.js";
import { ALL_EXAMPLE_SUBSCRIBERS, exampleScenarios } from "../../lab/scenario/examples.js";
import { exampleReadme } from "../../lab/scenario/examples-readme.js";
import { formatScenarioJson } from "../../lab/scenario/format-scenario.js";
import { SCENARIO_SCHEMA_FILE, scenarioJsonSchemaText } from "../../lab/scenario/json-schema.js";
import { loadScenario } from "../../lab/scenario/load.js";
import { validateScenario } from "../../lab/scenario/validate.js";

const dir = new URL("../../scenarios/", import.meta.url);
const TRIAGE_CASES = [
  "healthy-fibre", "healthy-wireless", "los-single", "power-fail-single", "optical-warning", "optical-critical",
  "below-odb-peers", "feeder-cut", "odb-power-cut", "billing-blocked", "onu-admin-disabled", "secret-disabled",
  "no-pppoe-session", "pppoe-flapping", "queue-saturated", "blocked-with-session", "unlinked-onu-no-ispcube",
  "unlinked-secret-only", "unlinked-ispcube-no-secret", "router-refusing",
];

describe("scenario files", () => {
  it("every file in scenarios/ loads and validates against the schema", async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith(".json"));
    assert.ok(files.length >= 8, `only ${files.length} scenario files`);
    for (const file of files) {
      const scenario = await loadScenario(new URL(file, dir).pathname);
      assert.ok(scenario.description, `${file} has no description`);
      assert.ok(scenario.routers.length >= 1, `${file} has no router`);
      // Relative instants are resolved against `now`.
      for (const onu of scenario.smartolt.onus) assert.match(onu.lastStatusChange, /^\d{4}-\d{2}-\d{2}T/);
    }
  });

  it("the files match what examples.ts builds (run `node --import tsx lab/scenario/examples.ts`)", async () => {
    for (const [file, scenario] of Object.entries(exampleScenarios())) {
      const text = await readFile(new URL(file, dir), "utf8");
      assert.equal(text, formatScenarioJson({ $schema: "../lab/scenario/scenario.schema.json", ...scenario }), `${file} is stale`);
    }
    assert.equal(await readFile(new URL("README.md", dir), "utf8"), exampleReadme(), "README.md is stale");
  });

  it("triage-cases.json has a subscriber for every triage case, on routers of two versions", async () => {
    const scenario = await loadScenario(new URL("triage-cases.json", dir).pathname);
    const cases = new Set(ALL_EXAMPLE_SUBSCRIBERS.map((s) => s.case));
    for (const c of TRIAGE_CASES) assert.ok(cases.has(c as never), `no subscriber for ${c}`);
    assert.ok(new Set(scenario.routers.map((r) => r.version)).size >= 2);
    const flapping = scenario.routers.flatMap((r) => r.logs).filter((l) => l.message === "vega.matias logged in, 100.64.10.27");
    assert.ok(flapping.length >= 3, "flapping user logs in at least 3 times within the hour");
    const feeder = scenario.smartolt.onus.filter((o) => o.oltId === 2 && o.board === 0 && o.port === 2);
    assert.ok(feeder.length >= 4 && feeder.every((o) => o.status === "LOS"));
    const powerOdb = scenario.smartolt.onus.filter((o) => o.odbId === 3);
    assert.ok(powerOdb.filter((o) => o.status === "Power fail").length / powerOdb.length > 0.6);
  });

  it("the focused vendor-down files carry their faults", async () => {
    const load = (f: string) => loadScenario(new URL(f, dir).pathname);
    assert.deepEqual((await load("smartolt-down.json")).faults, { smartolt: { "*": { down: true } } });
    assert.deepEqual((await load("ispcube-down.json")).faults, { ispcube: { "*": { down: true } } });
    assert.deepEqual((await load("router-refusing.json")).faults, { routeros: { "rb-norte": { "*": { refuse: true } } } });
  });

  it("the demo ISP is mid-size, valid, and holds every example subscriber", () => {
    const demo = demoScenario();
    validateScenario(structuredClone(demo));
    assert.ok(demo.ispcube.customers.length > 2500);
    const users = new Set([
      ...demo.smartolt.onus.map((o) => o.username),
      ...demo.ispcube.connections.map((c) => c.user),
      ...demo.routers.flatMap((r) => r.secrets.map((s) => s.name)),
    ]);
    for (const s of ALL_EXAMPLE_SUBSCRIBERS) assert.ok(users.has(s.user) || s.case === "bridged-onu-no-user", `demo lacks ${s.user}`);
    assert.ok(demo.routers.length >= 2 && new Set(demo.routers.map((r) => r.version)).size >= 2);
  });

  it("scenario.schema.json is what types.ts generates (run `node --import tsx lab/scenario/json-schema.ts`)", async () => {
    assert.equal(await readFile(SCENARIO_SCHEMA_FILE, "utf8"), scenarioJsonSchemaText(), "scenario.schema.json is stale");
  });

  it("scenario.schema.json describes every part of the model, closed to unknown properties", () => {
    const schema = JSON.parse(scenarioJsonSchemaText()) as { definitions: Record<string, { type?: string; additionalProperties?: unknown }> };
    for (const name of ["Onu", "IspCustomer", "IspConnection", "RouterWorld", "RouterSecret", "HttpFault", "RouterFault", "Instant"]) {
      assert.ok(schema.definitions[name], `no definition ${name}`);
    }
    for (const [name, def] of Object.entries(schema.definitions)) {
      if (def.type === "object") assert.equal(def.additionalProperties, false, `${name} accepts unknown properties`);
    }
  });
});
