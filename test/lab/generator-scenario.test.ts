import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateScenario } from "../../lab/scenario/generate.js";
import type { Scenario } from "../../lab/scenario/types.js";
import { validateScenario } from "../../lab/scenario/validate.js";

function groupCount<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const groups = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

describe("generateScenario", () => {
  const scenario: Scenario = generateScenario({ subscribers: 3000, seed: 42 });

  it("is deterministic for a seed and differs across seeds", () => {
    assert.deepEqual(generateScenario({ subscribers: 3000, seed: 42 }), scenario);
    const other = generateScenario({ subscribers: 3000, seed: 43 });
    assert.notDeepEqual(other.smartolt.onus, scenario.smartolt.onus);
    assert.notDeepEqual(other.ispcube.customers, scenario.ispcube.customers);
  });

  it("validates against the schema and the cross-checks", () => {
    validateScenario(structuredClone(scenario));
  });

  it("fills PON ports with 32–64 ONUs and ODBs with 8–16", () => {
    const ports = groupCount(scenario.smartolt.onus, (o) => `${o.oltId}/${o.board}/${o.port}`);
    assert.ok(ports.size > 10);
    for (const [port, onus] of ports) assert.ok(onus.length >= 32 && onus.length <= 64, `port ${port} has ${onus.length} ONUs`);
    const odbs = groupCount(scenario.smartolt.onus, (o) => o.odbId ?? -1);
    for (const [odb, onus] of odbs) assert.ok(onus.length >= 8 && onus.length <= 16, `odb ${odb} has ${onus.length} ONUs`);
    assert.ok(scenario.smartolt.olts.length >= 2 && scenario.smartolt.zones.length >= 2);
  });

  it("has exactly one feeder cut and one ODB in an area power cut", () => {
    const ports = groupCount(scenario.smartolt.onus, (o) => `${o.oltId}/${o.board}/${o.port}`);
    const cut = [...ports.values()].filter((onus) => onus.every((o) => o.status === "LOS"));
    assert.equal(cut.length, 1);
    const odbs = groupCount(scenario.smartolt.onus, (o) => o.odbId ?? -1);
    const power = [...odbs.values()].filter((onus) => onus.filter((o) => o.status === "Power fail").length / onus.length > 0.6);
    assert.equal(power.length, 1);
  });

  it("mixes fibre, wireless, faults, billing states, routers and unlinked records", () => {
    const { onus } = scenario.smartolt;
    const customers = scenario.ispcube.customers;
    const share = (n: number, of: number): number => n / of;
    const wireless = scenario.ispcube.connections.filter((c) => !onus.some((o) => o.username === c.user)).length;
    assert.ok(share(wireless, customers.length) > 0.07 && share(wireless, customers.length) < 0.15, `wireless ${wireless}`);
    const status = (s: string): number => onus.filter((o) => o.status === s).length;
    assert.ok(status("Power fail") > 0 && status("Offline") > 0 && status("Admin Disabled") > 0);
    assert.ok(share(status("LOS"), onus.length) < 0.1);
    assert.ok(onus.some((o) => o.rxDbm !== null && o.rxDbm < -25), "some low signal");
    const blocked = customers.filter((c) => c.status === "blocked").length;
    assert.ok(share(blocked, customers.length) > 0.01 && share(blocked, customers.length) < 0.06);
    assert.ok(customers.some((c) => /[ÁÉÍÓÚÑ]/.test(c.name)), "accented names");
    assert.ok(onus.every((o) => /^(HWTC|ZTEG|TPLG|FHTT)[0-9A-F]{8}$/.test(o.sn)));
    assert.ok(new Set(scenario.routers.map((r) => r.version)).size >= 2);

    const ispUsers = new Set(scenario.ispcube.connections.map((c) => c.user));
    const secretUsers = new Set(scenario.routers.flatMap((r) => r.secrets.map((s) => s.name)));
    const onuUsers = new Set(onus.map((o) => o.username));
    assert.ok(onus.some((o) => o.username && !ispUsers.has(o.username)), "ONU without ISPCube");
    assert.ok([...secretUsers].some((u) => !ispUsers.has(u) && !onuUsers.has(u)), "secret only");
    assert.ok([...ispUsers].some((u) => u && !secretUsers.has(u)), "ISPCube without secret");
  });

  it("scales to 100,000 subscribers", () => {
    const big = generateScenario({ subscribers: 100_000, seed: 1 });
    assert.ok(big.ispcube.customers.length > 98_000 && big.smartolt.onus.length > 80_000);
    validateScenario(big);
    assert.ok(big.routers.length >= 20 && big.routers.length <= 50);
  });

  it("routers keep local time unless zones are given, which go to the routers in turn", () => {
    assert.ok(scenario.routers.every((r) => r.timezone === undefined), "no zone named: the lab's local-time default");
    const mixed = generateScenario({ subscribers: 12, seed: 42, subscribersPerRouter: 3, routerTimezones: ["UTC", "Asia/Kathmandu"] });
    assert.deepEqual(mixed.routers.map((r) => r.timezone), ["UTC", "Asia/Kathmandu", "UTC", "Asia/Kathmandu"]);
  });

  it("rejects a bad subscriber count", () => {
    assert.throws(() => generateScenario({ subscribers: 0, seed: 1 }), /subscribers must be a positive integer/);
  });
});
