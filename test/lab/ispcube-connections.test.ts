import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startLab, type Lab } from "./ispcube-fixture.js";

type Row = Record<string, unknown>;

describe("ispcube simulator: connections, catalogs and tickets", () => {
  let lab: Lab;
  let token: string;
  before(async () => {
    lab = await startLab();
    token = await lab.login();
  });
  after(() => lab.close());

  async function getJson(path: string): Promise<{ status: number; body: unknown }> {
    const res = await lab.get(path, token);
    return { status: res.status, body: await res.json() };
  }

  it("lists every connection with nested customer, plan and node", async () => {
    const { status, body } = await getJson("connections/connections_list");
    assert.equal(status, 200);
    const rows = body as Row[];
    assert.deepEqual(rows.map((r) => r["id"]), [100, 101, 102, 103]);
    const first = rows[0]!;
    assert.equal(first["user"], "jperez");
    assert.equal(first["conntype"], "pppoe");
    assert.equal(first["up"], "100");
    assert.equal(first["lat"], "0.000000000000");
    assert.deepEqual(first["customer"], { id: 1, code: "003566", name: "PÉREZ JOSÉ" });
    assert.deepEqual(first["plan"], { id: 1, name: "FIBRA 300MB", price: "12523.00", tags_ids: ["[]"], tags: [] });
    assert.deepEqual(first["node"], {
      id: 1,
      code: "NODO1",
      ip: "127.0.0.1",
      type: "Mikrotik",
      comment: "Core Mikrotik",
      tags_ids: [],
      tags: [],
    });
    assert.equal(rows[1]!["ip"], "", "a missing ip is an empty string");
    assert.equal(rows[2]!["node"], null);
    assert.equal(rows[3]!["delete_date"], "2025-04-01 09:00:00");
  });

  it("looks connections up by each key, always as an array", async () => {
    const cases: [string, number[]][] = [
      ["connection_id=100", [100]],
      ["customer_id=1", [100, 102]],
      ["code=000002", [101]],
      ["doc_number=30111222", [100, 102, 103]],
      ["ip_address=10.0.0.2", [100]],
      ["mac_address=aa:bb:cc:00:11:22", [100]],
      ["connection_id=999", []],
    ];
    for (const [query, ids] of cases) {
      const { status, body } = await getJson(`connection?${query}`);
      assert.equal(status, 200, query);
      assert.deepEqual((body as Row[]).map((r) => r["id"]), ids, query);
    }
    assert.equal((await getJson("connection")).status, 500);
  });

  it("lists plans with money strings and kbps speeds", async () => {
    const { body } = await getJson("plans/plans_list");
    const plan = (body as Row[])[0]!;
    assert.equal(plan["price"], "12523.00");
    assert.equal(plan["speeddown"], 307200);
    assert.equal(plan["total_traffic_limit"], "0.0000");
    assert.deepEqual(plan["tags_ids"], ["[]"]);
  });

  it("lists nodes with the lab router's address, string port and credentials", async () => {
    const { body } = await getJson("nodes/nodes_list");
    const [mikrotik, radius] = body as Row[];
    assert.equal(mikrotik!["ip"], "127.0.0.1");
    assert.equal(mikrotik!["port"], "18728");
    assert.equal(mikrotik!["user"], "beholder");
    assert.equal(mikrotik!["pass"], "r0uter-pass");
    assert.equal(mikrotik!["ver"], "v7.15");
    assert.equal(mikrotik!["hostspot"], 0);
    assert.equal(radius!["port"], "1812");
    assert.equal(radius!["user"], null);
    assert.equal(radius!["pass"], null);
  });

  it("follows a router password changed in the live scenario", async () => {
    const router = lab.ctx.scenario.routers[0]!;
    router.password = "rotated";
    try {
      const { body } = await getJson("nodes/nodes_list");
      assert.equal((body as Row[])[0]!["pass"], "rotated");
    } finally {
      router.password = "r0uter-pass";
    }
  });

  it("returns a customer's tickets and 404 when there are none", async () => {
    const { status, body } = await getJson("tickets?code=000002");
    assert.equal(status, 200);
    const [ticket] = body as Row[];
    assert.equal(ticket!["id"], 500);
    assert.deepEqual(ticket!["ticket_status"], { id: 1, name: "Abierto" });
    assert.equal(ticket!["created_at"], "2025-06-09T13:00:00.000000Z");
    assert.equal(ticket!["closed_date"], null);
    assert.equal((ticket!["customer"] as Row)["code"], "000002");
    assert.equal(((ticket!["items"] as Row[])[0]!)["content"], "No navega desde ayer");
    assert.equal((await getJson("tickets?code=003566")).status, 404);
    assert.equal((await getJson("tickets?customer_id=2&status=3")).status, 404);
    assert.equal((await getJson("tickets?customer_id=2&status=Abierto")).status, 200);
  });
});
