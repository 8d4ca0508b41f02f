import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RouterOSAPI } from "node-routeros";
import { startLab } from "../../lab/lab.js";
import type { Lab } from "../../lab/lab.js";
import { loadScenario } from "../../lab/scenario/load.js";
import { patchHoldPing } from "../../src/vendors/routeros/patches.js";

// A late hold-ping answer otherwise leaves a ping chain that outlives close() (patches.ts item 6).
patchHoldPing();

interface Reply {
  status: number;
  body: any;
}

describe("control API over a running lab", () => {
  let lab: Lab;
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${lab.control.url}${path}`, {
      method,
      ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
  const smartolt = async (endpoint: string): Promise<any> => {
    const res = await fetch(`${lab.smartolt.url}/${endpoint}`, { headers: { "X-Token": lab.smartolt.token } });
    assert.equal(res.status, 200);
    return res.json();
  };
  const statusRow = async (sn: string): Promise<{ status: string; last_status_change: string }> => {
    const rows = (await smartolt("onu/get_onus_statuses")).response as { sn: string; status: string; last_status_change: string }[];
    const row = rows.find((r) => r.sn === sn);
    assert.ok(row, `no status row for ${sn}`);
    return row;
  };

  before(async () => {
    const scenario = await loadScenario(new URL("../../scenarios/triage-cases.json", import.meta.url).pathname);
    lab = await startLab({ scenario });
  });
  after(() => lab?.close());

  it("points ISPCube nodes at the simulated routers", () => {
    for (const router of lab.routers) {
      const node = lab.scenario.ispcube.nodes.find((n) => n.router === router.name);
      assert.deepEqual([node?.ip, node?.port], [router.host, router.port]);
      assert.notEqual(router.port, 0);
    }
  });

  it("changes an ONU's status and SmartOLT serves it, stamped with the lab clock", async () => {
    assert.equal((await statusRow("HWTC2B3C4D03")).status, "LOS");
    const { status, body } = await call("POST", "/onus/perez.maria", { status: "Online", rxDbm: -20.1, oltRxDbm: -22.4 });
    assert.equal(status, 200);
    assert.equal(body.status, "Online");
    const row = await statusRow("HWTC2B3C4D03");
    assert.equal(row.status, "Online");
    // 18:00Z is 15:00 in the account's zone (America/Argentina/Cordoba, UTC-3), without offset.
    assert.match(row.last_status_change, /^2026-03-10 15:0\d:\d\d$/);
    const signals = (await smartolt("onu/get_onus_signals")).response as { unique_external_id: string; signal_1490: string }[];
    assert.equal(signals.find((s) => s.unique_external_id === "HWTC2B3C4D03")?.signal_1490, "-20.10 dBm");
  });

  it("starts and ends PPPoE sessions that the router then reports", async () => {
    const started = await call("POST", "/sessions/perez.maria/start", { callerId: "AA:BB:CC:00:11:22" });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const router = lab.routers.find((r) => r.name === "rb-centro");
    assert.ok(router);
    const api = new RouterOSAPI({ host: router.host, port: router.port, user: router.user, password: router.password, timeout: 5 });
    api.on("error", () => {});
    await api.connect();
    try {
      const rows = await api.write("/ppp/active/print", ["?name=perez.maria"]);
      assert.equal(rows.length, 1);
      assert.equal((rows[0] as Record<string, string>)["caller-id"], "AA:BB:CC:00:11:22");
      assert.equal((await call("POST", "/sessions/perez.maria/start", {})).status, 409);
      const ended = await call("POST", "/sessions/perez.maria/end", { reason: "hung-up" });
      assert.equal(ended.status, 200);
      assert.equal(ended.body.lastDisconnectReason, "hung-up");
      const secret = (await api.write("/ppp/secret/print", ["?name=perez.maria"]))[0] as Record<string, string>;
      assert.equal(secret["last-disconnect-reason"], "hung-up");
      assert.equal((await api.write("/ppp/active/print", ["?name=perez.maria"])).length, 0);
    } finally {
      await api.close();
    }
    const logs = lab.scenario.routers.find((r) => r.name === "rb-centro")?.logs.slice(-6).map((l) => l.message);
    assert.deepEqual(logs, [
      "<pppoe-perez.maria>: authenticated",
      "<pppoe-perez.maria>: connected",
      "perez.maria logged in, 100.64.10.18",
      "<pppoe-perez.maria>: terminating... - peer is not responding",
      logs?.[4],
      "<pppoe-perez.maria>: disconnected",
    ]);
    assert.equal((await call("POST", "/sessions/perez.maria/end", {})).status, 404);
    assert.equal((await call("POST", "/sessions/torres.walter/start", {})).status, 409, "disabled secret");
  });

  it("changes a customer's status and debt", async () => {
    const { status, body } = await call("POST", "/customers/000113", { status: "enabled", debt: 0, dueDebt: 0 });
    assert.equal(status, 200);
    assert.deepEqual([body.id, body.status, body.debt], [113, "enabled", 0]);
    assert.equal((await call("POST", "/customers/113", { status: "blocked" })).body.status, "blocked");
  });

  it("sets and clears faults", async () => {
    const set = await call("POST", "/faults", { sim: "smartolt", fault: { down: true } });
    assert.deepEqual(set.body.smartolt, { "*": { down: true } });
    await assert.rejects(fetch(`${lab.smartolt.url}/onu/get_onus_statuses`, { headers: { "X-Token": lab.smartolt.token } }));
    assert.equal((await call("DELETE", "/faults?sim=smartolt")).status, 200);
    assert.ok(await smartolt("onu/get_onus_statuses"));
    const router = await call("POST", "/faults", { sim: "routeros", router: "rb-sur", command: "/ppp/active/print", fault: { latencyMs: 5 } });
    assert.deepEqual(router.body.routeros["rb-sur"], { "/ppp/active/print": { latencyMs: 5 } });
    assert.equal((await call("POST", "/faults", { sim: "routeros", router: "rb-nada", fault: {} })).status, 404);
    const bad = await call("POST", "/faults", { sim: "ispcube", fault: { errorRate: 3 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /invalid fault: \/errorRate: must be <= 1/);
    await call("DELETE", "/faults");
    assert.deepEqual((await call("GET", "/faults")).body, {});
  });

  it("advances the clock", async () => {
    const wallBefore = Date.now();
    const before = Date.parse((await call("GET", "/clock")).body.now);
    const moved = await call("POST", "/clock/advance", { by: "2h" });
    // Two hours, plus however long the two calls took in real time.
    const extra = Date.parse(moved.body.now) - before - 7_200_000;
    assert.ok(extra >= 0 && extra <= Date.now() - wallBefore + 1000, `advanced 2h + ${extra} ms`);
    assert.equal((await call("POST", "/clock/advance", { by: "soon" })).status, 400);
  });

  it("reads and resets the call counters", async () => {
    await smartolt("onu/get_onus_statuses");
    const counters = (await call("GET", "/counters")).body;
    assert.ok(counters.smartolt["onu/get_onus_statuses"] >= 1);
    assert.deepEqual((await call("POST", "/counters/reset")).body, { smartolt: {}, ispcube: {}, routeros: {} });
  });

  it("answers bad input with 400 and unknown ids with 404", async () => {
    assert.deepEqual(await call("POST", "/onus/NOPE00000000", { status: "LOS" }), {
      status: 404,
      body: { error: 'no onu with external id, serial or username "NOPE00000000"' },
    });
    assert.equal((await call("POST", "/onus/gomez.lucia", { status: "Dead" })).status, 400);
    assert.equal((await call("POST", "/onus/gomez.lucia", { rxDbm: "low" })).status, 400);
    assert.deepEqual(await call("POST", "/onus/gomez.lucia", "{oops"), { status: 400, body: { error: "body must be a JSON object" } });
    assert.equal((await call("POST", "/customers/999999", { status: "enabled" })).status, 404);
    assert.equal((await call("POST", "/customers/101", { debt: "mucho" })).status, 400);
    assert.equal((await call("GET", "/nowhere")).status, 404);
    assert.equal((await call("DELETE", "/onus/gomez.lucia")).status, 405);
  });
});
