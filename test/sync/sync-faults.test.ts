import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { generateScenario } from "../../lab/scenario/generate.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";

const PAGED = "onu/get_all_onus_details?paged";

function rows(env: LabAndServer, sql: string): unknown[] {
  return env.srv.app.cache.db.reader.prepare(sql).all();
}

describe("a source that fails mid-run keeps its previous snapshot; the others refresh", () => {
  let env: LabAndServer;
  before(async () => {
    // About 900 ONUs: nine SmartOLT pages, paced at the documented 10 calls/s.
    env = await startLabAndServer(generateScenario({ subscribers: 1000, seed: 3 }));
  });
  after(() => env.close());

  test("the lab dropping the connection mid-pagination leaves the ONU snapshot intact", async () => {
    const { runner } = env.srv.app.sync;
    const first = await runner.start("inventory").handle.done;
    assert.equal(first.outcome, "done", JSON.stringify(first.sources));
    const onusBefore = rows(env, "select * from onu order by external_id");
    assert.ok(onusBefore.length > 200);

    // Upstream changes the second run should (ISPCube) or must not (SmartOLT, which fails) bring in.
    const world = env.lab.scenario;
    const gone = world.ispcube.connections.find((c) => c.user && world.ispcube.customers.some((cu) => cu.id === c.customerId));
    assert.ok(gone);
    world.ispcube.connections = world.ispcube.connections.filter((c) => c !== gone);
    world.ispcube.customers = world.ispcube.customers.filter((c) => c.id !== gone.customerId);
    for (const onu of world.smartolt.onus) onu.name = `${onu.name} (renamed)`;

    env.lab.counters.reset();
    const second = runner.start("inventory");
    // Let two pages through, then reset every connection mid-response (the retry fails too).
    while (env.lab.counters.get("smartolt", PAGED) < 2) await sleep(5);
    world.faults = { smartolt: { [PAGED]: { resetMidResponse: true } } };
    const record = await second.handle.done;
    world.faults = {};

    const bySource = Object.fromEntries(record.sources.map((s) => [s.source, s]));
    assert.equal(bySource.smartolt?.outcome, "failed");
    assert.equal(bySource.smartolt?.stale, true);
    assert.equal(bySource.ispcube?.outcome, "done");
    assert.equal(bySource.routeros?.outcome, "done");
    assert.deepEqual(rows(env, "select * from onu order by external_id"), onusBefore, "ONUs are exactly the previous snapshot");
    assert.equal(env.srv.app.cache.state.source("smartolt")?.stale, true);

    // Rows that disappeared upstream disappear at the next successful run of their source.
    assert.deepEqual(rows(env, `select id from customer where id = ${gone.customerId}`), []);
    assert.deepEqual(rows(env, `select id from connection where id = ${gone.id}`), []);
    const [subscriber] = rows(env, `select in_ispcube from subscriber where pppoe_user = '${gone.user?.toLowerCase()}'`) as { in_ispcube: number }[];
    assert.notEqual(subscriber?.in_ispcube, 1);

    // And the next good run brings SmartOLT's changes in.
    const third = await runner.start("inventory", ["smartolt"]).handle.done;
    assert.equal(third.outcome, "done");
    const [renamed] = rows(env, "select count(*) as n from onu where name like '% (renamed)'") as { n: number }[];
    assert.equal(renamed?.n, onusBefore.length);
  });

  test("a status refresh records status changes as events and signals as samples", async () => {
    const { runner } = env.srv.app.sync;
    const onu = env.lab.scenario.smartolt.onus.find((o) => o.status === "Online");
    assert.ok(onu);
    onu.status = "LOS";
    onu.lastStatusChange = env.lab.clock.now().toISOString();
    const record = await runner.start("status").handle.done;
    assert.equal(record.outcome, "done", JSON.stringify(record.sources));
    const counts = record.sources[0]?.counts ?? {};
    assert.ok((counts.changed ?? 0) >= 1);
    assert.ok((counts.signals ?? 0) > 0, "the first status run refreshes signals too");
    const [row] = rows(env, `select status from onu where external_id = '${onu.externalId}'`) as { status: string }[];
    assert.equal(row?.status, "los");
    const events = rows(env, `select status, previous_status from onu_status_event where external_id = '${onu.externalId}'`);
    assert.deepEqual(events, [{ status: "los", previous_status: "online" }]);
    // Signals are not refreshed again before SYNC_SIGNALS_EVERY_MIN.
    const again = await runner.start("status").handle.done;
    assert.equal(again.sources[0]?.counts.signals, undefined);
  });
});
