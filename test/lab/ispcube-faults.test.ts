import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { HttpFault } from "../../lab/scenario/types.js";
import { startLab, type Lab } from "./ispcube-fixture.js";

describe("ispcube simulator: faults and metering", () => {
  let lab: Lab;
  let token: string;
  before(async () => {
    lab = await startLab();
    token = await lab.login();
  });
  afterEach(() => {
    delete lab.ctx.scenario.faults;
  });
  after(() => lab.close());

  function fault(endpoint: string, f: HttpFault): HttpFault {
    lab.ctx.scenario.faults = { ispcube: { [endpoint]: f } };
    return f;
  }

  it("answers HTTP 200 with a Spanish status:false body under status200Error", async () => {
    fault("customers/customers_list", { status200Error: true });
    const res = await lab.get("customers/customers_list?limit=5", token);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: unknown; message: unknown };
    assert.equal(body.status, false);
    assert.equal(typeof body.message, "string");
    assert.equal((await lab.get("plans/plans_list", token)).status, 200, "other endpoints unaffected");
  });

  it("answers a burst of errors, then recovers and records it in the scenario", async () => {
    const f = fault("*", { burst: { count: 2, status: 503 } });
    assert.equal((await lab.get("plans/plans_list", token)).status, 503);
    assert.equal((await lab.get("nodes/nodes_list", token)).status, 503);
    assert.equal((await lab.get("plans/plans_list", token)).status, 200);
    assert.deepEqual(f.burst, { count: 0, status: 503 });
  });

  it("answers a proxy's HTML page for a 502 error rate", async () => {
    fault("customer", { errorRate: 1, status: 502 });
    const res = await lab.get("customer?code=003566", token);
    assert.equal(res.status, 502);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await res.text(), /<h1>502 Bad Gateway<\/h1>/);
  });

  it("answers Laravel's 500 by default for an error rate", async () => {
    fault("customer", { errorRate: 1 });
    const res = await lab.get("customer?code=003566", token);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { message: "Server Error" });
  });

  it("resets the connection mid-response", async () => {
    fault("connections/connections_list", { resetMidResponse: true });
    await assert.rejects(async () => {
      const res = await lab.get("connections/connections_list", token);
      await res.text();
    });
    delete lab.ctx.scenario.faults;
    assert.equal((await lab.get("connections/connections_list", token)).status, 200);
  });

  it("adds latency", async () => {
    fault("plans/plans_list", { latencyMs: 150 });
    const started = performance.now();
    assert.equal((await lab.get("plans/plans_list", token)).status, 200);
    assert.ok(performance.now() - started >= 140);
  });

  it("hangs without answering, and close() still completes", async () => {
    const own = await startLab();
    const ownToken = await own.login();
    own.ctx.scenario.faults = { ispcube: { tickets: { hang: true } } };
    const pending = fetch(`${own.sim.url}/api/tickets?code=000002`, {
      headers: { username: "api", "login-type": "api", authorization: `Bearer ${ownToken}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    // No client timeout: if close() waited for the hung request, this test would never end.
    await own.close();
    await assert.rejects(pending);
  });

  it("refuses connections while down and comes back when lifted", async () => {
    fault("*", { down: true });
    await assert.rejects(lab.get("plans/plans_list", token));
    delete lab.ctx.scenario.faults;
    assert.equal((await lab.get("plans/plans_list", token)).status, 200);
  });

  it("counts every request per endpoint, logins included", async () => {
    const before = lab.ctx.counters.get("ispcube");
    const quotaBefore = lab.sim.quota().used;
    await lab.login();
    await lab.get("customers/customers_list?limit=1", token);
    await lab.get("customers/customers_list?limit=1", token, { username: undefined });
    await lab.get("no/such/route", token);
    assert.equal(lab.ctx.counters.get("ispcube") - before, 4);
    assert.equal(lab.sim.quota().used - quotaBefore, 4);
    assert.ok(lab.ctx.counters.get("ispcube", "sanctum/token") >= 2);
    assert.ok(lab.ctx.counters.get("ispcube", "customers/customers_list") >= 2);
  });

  it("closes the quota period on the 28th, Argentine time", async () => {
    const own = await startLab();
    try {
      own.clock.set(new Date("2025-06-28T02:59:00Z"));
      await own.login();
      assert.deepEqual(own.sim.quota(), { period: "2025-05-28", used: 1 });
      own.clock.set(new Date("2025-06-28T03:00:00Z"));
      assert.deepEqual(own.sim.quota(), { period: "2025-06-28", used: 0 });
      await own.login();
      await own.login();
      assert.deepEqual(own.sim.quota(), { period: "2025-06-28", used: 2 });
      own.clock.set(new Date("2026-01-05T12:00:00Z"));
      assert.deepEqual(own.sim.quota(), { period: "2025-12-28", used: 0 });
    } finally {
      await own.close();
    }
  });
});
