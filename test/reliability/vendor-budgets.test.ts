import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { generateScenario } from "../../lab/scenario/generate.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";
import { control } from "../helpers/watch.js";

/**
 * Every vendor call of the sync obeys its configured timeout and retries: the lab counts the
 * attempts, and the error names the configured per-attempt budget.
 */
// Small enough that a silent router costs the test little, large enough for a loaded 2-core machine.
const TIMEOUT_MS = 1500;
const RETRIES = 2;

async function counters(env: LabAndServer): Promise<Record<string, Record<string, number>>> {
  return (await (await fetch(`${env.lab.control.url}/counters`)).json()) as Record<string, Record<string, number>>;
}

describe("vendor time budgets in the sync", () => {
  let env: LabAndServer;
  before(async () => {
    env = await startLabAndServer(generateScenario({ subscribers: 300, seed: 5 }), {
      MK_TIMEOUT_MS: String(TIMEOUT_MS),
      SMARTOLT_TIMEOUT_MS: String(TIMEOUT_MS * 2),
      ISPCUBE_TIMEOUT_MS: String(TIMEOUT_MS * 2),
      VENDOR_RETRIES: String(RETRIES),
      // Keep the breakers closed, so each attempt reaches the lab and can be counted.
      BREAKER_VOLUME: "1000",
    });
    const first = await (await env.srv.app.sync.runner.start("inventory")).handle.done;
    assert.equal(first.outcome, "done", JSON.stringify(first.sources));
    assert.ok(env.lab.routers.length >= 2, "the scenario has several routers");
  });
  after(() => env.close());

  for (const command of ["*", "/ppp/secret/print"]) {
    test(`a silent router (${command === "*" ? "not even its login" : "its secrets print"}) costs MK_TIMEOUT_MS × (retries + 1), then is reported failed`, async () => {
      const silent = env.lab.routers[1];
      assert.ok(silent);
      await control(env.lab.control.url, "/faults", { sim: "routeros", router: silent.name, command, fault: { silent: true } });
      await control(env.lab.control.url, "/counters/reset");
      try {
        const record = await (await env.srv.app.sync.runner.start("inventory", ["routeros"])).handle.done;
        const routeros = record.sources.find((s) => s.source === "routeros");
        assert.equal(routeros?.outcome, "done", "the other routers refresh");
        // Failures name the router as the inventory knows it (ISPCube's node), found by address.
        const known = (await env.srv.app.cache.state.routers()).find((r) => r.host === silent.host && r.port === silent.port);
        assert.deepEqual(routeros?.failures?.map((f) => f.target), [known?.name]);
        assert.match(routeros?.failures?.[0]?.error ?? "", new RegExp(`no answer within ${TIMEOUT_MS} ms`));
        const seen = (await counters(env)).routeros ?? {};
        // Each attempt sends one command that gets no answer: the print on a logged-in link, the
        // login on the fresh link that follows a timeout (a timed-out link is dropped).
        const print = seen[`${silent.name} /ppp/secret/print`] ?? 0;
        const tried = command === "*" ? print + (seen[`${silent.name} /login`] ?? 0) : print;
        assert.equal(tried, RETRIES + 1, JSON.stringify(seen));
        assert.equal((await env.srv.app.cache.state.source("routeros"))?.stale, false);
      } finally {
        await control(env.lab.control.url, "/faults", {}, "DELETE");
      }
    });
  }

  test("a hanging SmartOLT status export: the status job fails on its timeout after retries + 1 attempts", async () => {
    await control(env.lab.control.url, "/faults", { sim: "smartolt", endpoint: "onu/get_onus_statuses", fault: { hang: true } });
    await control(env.lab.control.url, "/counters/reset");
    try {
      const record = await (await env.srv.app.sync.runner.start("status")).handle.done;
      assert.equal(record.outcome, "failed");
      assert.match(record.sources[0]?.error ?? "", /no answer within \d+ ms/);
      assert.equal((await counters(env)).smartolt?.["onu/get_onus_statuses"], RETRIES + 1);
    } finally {
      await control(env.lab.control.url, "/faults", {}, "DELETE");
    }
  });

  test("a hanging ISPCube endpoint: the inventory's ISPCube part fails on its timeout, SmartOLT still refreshes", async () => {
    await control(env.lab.control.url, "/faults", { sim: "ispcube", endpoint: "plans/plans_list", fault: { hang: true } });
    await control(env.lab.control.url, "/counters/reset");
    try {
      const record = await (await env.srv.app.sync.runner.start("inventory", ["ispcube", "smartolt"])).handle.done;
      const by = Object.fromEntries(record.sources.map((s) => [s.source, s]));
      assert.equal(by.ispcube?.outcome, "failed");
      assert.match(by.ispcube?.error ?? "", /no answer within \d+ ms/);
      assert.equal(by.smartolt?.outcome, "done");
      assert.equal((await counters(env)).ispcube?.["plans/plans_list"], RETRIES + 1);
    } finally {
      await control(env.lab.control.url, "/faults", {}, "DELETE");
    }
  });
});
