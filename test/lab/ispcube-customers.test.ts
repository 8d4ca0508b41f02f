import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startLab, type Lab } from "./ispcube-fixture.js";

type Row = Record<string, unknown>;

describe("ispcube simulator: customers", () => {
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

  async function ids(path: string): Promise<number[]> {
    const { status, body } = await getJson(path);
    assert.equal(status, 200);
    assert.ok(Array.isArray(body), "customers_list answers a bare array");
    return (body as Row[]).map((row) => row["id"] as number);
  }

  const NEWEST_FIRST = [14, 2, 1, 12, 11, 10, 13, 15];

  it("lists newest first, ties broken by the higher id, without deleted or temporary customers", async () => {
    assert.deepEqual(await ids("customers/customers_list"), NEWEST_FIRST);
  });

  it("pages with limit and offset until a short page", async () => {
    const seen: number[] = [];
    const pageSizes: number[] = [];
    for (let offset = 0; ; offset += 3) {
      const page = await ids(`customers/customers_list?limit=3&offset=${offset}`);
      pageSizes.push(page.length);
      seen.push(...page);
      if (page.length < 3) break;
    }
    assert.deepEqual(pageSizes, [3, 3, 2]);
    assert.deepEqual(seen, NEWEST_FIRST);
  });

  it("sees a customer added to the live world on the next request", async () => {
    const world = lab.ctx.scenario.ispcube;
    const first = world.customers[0]!;
    world.customers.push({ ...first, id: 99, code: "000099", createdAt: "2025-06-01T00:00:00Z" });
    try {
      assert.deepEqual(await ids("customers/customers_list?limit=2"), [99, 14]);
    } finally {
      world.customers.pop();
    }
    assert.deepEqual(await ids("customers/customers_list?limit=2"), [14, 2]);
  });

  it("filters by doc_number and ignores unknown filters", async () => {
    assert.deepEqual(await ids("customers/customers_list?doc_number=30111222"), [1]);
    assert.deepEqual(await ids("customers/customers_list?doc_number=30111222&deleted=1"), [3, 1]);
    assert.deepEqual(await ids("customers/customers_list?seller_id=7&name=PEREZ&limit=3"), [14, 2, 1]);
    assert.deepEqual(await ids("customers/customers_list?deleted=1&temporary=1&limit=3"), [4, 3, 14]);
  });

  it("renders list rows with Laravel types", async () => {
    const { body } = await getJson("customers/customers_list?doc_number=27301113334");
    const row = (body as Row[])[0]!;
    assert.equal(row["code"], "000002");
    assert.equal(row["debt"], "52705.48");
    assert.equal(row["duedebt"], "30000.50");
    assert.equal(row["block"], 1);
    assert.equal(row["temporary"], 0);
    assert.equal(row["status"], "blocked");
    assert.equal(row["created_at"], "2024-03-05T15:30:00.000000Z");
    assert.equal(row["start_date"], "2024-03-05 12:30:00");
    // 02:30 UTC on the 11th is 23:30 on the 10th in Argentina.
    assert.equal(row["block_date"], "2025-05-10 23:30:00");
    assert.equal(row["updated_at"], "2025-05-11T02:30:00.000000Z");
    assert.equal(row["deleted_at"], null);
    assert.equal(row["type"], "invoice");
    assert.deepEqual(row["identification_type"], { id: 1, name: "CUIT" });
    assert.deepEqual(row["phones"], [{ customer_id: 2, number: "2214440000" }]);
    assert.equal("connections" in row, false);
  });

  it("finds one customer by each search key", async () => {
    const cases: [string, number][] = [
      ["customer_id=1", 1],
      ["customer_id=02", 2],
      ["code=003566", 1],
      ["doc_number=27301113334", 2],
      ["phone_number=2214440000", 2],
      ["code=003566&doc_number=30111222", 1],
    ];
    for (const [query, id] of cases) {
      const { status, body } = await getJson(`customer?${query}`);
      assert.equal(status, 200, query);
      assert.equal((body as Row)["id"], id, query);
    }
  });

  it("keeps code zero padding significant and answers 404 with result true", async () => {
    const res = await lab.get("customer?code=3566", token);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { result: true, message: "Cliente no encontrado" });
    assert.equal((await lab.get("customer?code=003566", token)).status, 200);
  });

  it("includes deleted and temporary customers unless told not to", async () => {
    const deleted = await getJson("customer?code=000003");
    assert.equal(deleted.status, 200);
    assert.equal((deleted.body as Row)["deleted_at"], "2025-04-01T12:00:00.000000Z");
    assert.deepEqual((deleted.body as Row)["connections"], []);
    assert.equal((await getJson("customer?code=000003&deleted=false")).status, 404);
    const temporary = await getJson("customer?code=000004");
    assert.equal((temporary.body as Row)["temporary"], 1);
    assert.equal((await getJson("customer?code=000004&temporary=false")).status, 404);
  });

  it("answers 500 without a search key and 422 for customer_code", async () => {
    for (const query of ["", "?client_code=1", "?nro_cliente=3566&id=1", "?code="]) {
      const { status, body } = await getJson(`customer${query}`);
      assert.equal(status, 500, query);
      assert.deepEqual(body, { message: "Indicar al menos un dato de busqueda" }, query);
    }
    assert.equal((await getJson("customer?customer_code=003566")).status, 422);
  });

  it("renders the full customer with phones, e-mails, city and connections", async () => {
    const res = await lab.get("customer?customer_id=1", token);
    const raw = await res.text();
    // UTF-8 JSON, accents as they are.
    assert.ok(raw.includes('"name":"PÉREZ JOSÉ"'));
    const c = JSON.parse(raw) as Row;
    assert.equal(c["debt"], "14400.00");
    assert.equal(c["duedebt"], "0.00");
    assert.equal(c["start_date"], "2024-01-10 00:00:00");
    assert.equal(c["created_at"], "2024-01-10T03:00:00.000000Z");
    assert.equal(c["block_date"], null);
    assert.equal(c["extra1"], "");
    assert.equal(c["nickname"], null);
    assert.deepEqual(c["phones"], [
      { id: 101, customer_id: 1, detail: null, number: "2215551234", sms: 0, created_at: "2024-01-10T03:00:00.000000Z", updated_at: null },
    ]);
    assert.deepEqual(
      (c["contact_emails"] as Row[]).map((e) => [e["email"], e["principal"]]),
      [["jose@example.com", 1], ["jose2@example.com", 0]],
    );
    const city = c["city"] as Row;
    assert.equal(city["name"], "La Plata");
    assert.equal(typeof city["id"], "number");
    assert.equal(c["city_id"], city["id"]);
    assert.equal(typeof city["postal_code"], "number");
    const connections = c["connections"] as Row[];
    assert.deepEqual(connections.map((conn) => conn["id"]), [100, 102]);
    assert.deepEqual(connections[0]!["plan"], { id: 1, name: "FIBRA 300MB" });
    assert.equal("plan" in connections[1]!, false, "resold nc connections carry no plan object");
    assert.equal(connections[0]!["start_date"], "2024-01-10 12:00:00");
    assert.deepEqual(connections[0]!["tags_ids"], ["[]"]);
  });

  it("summarises customers and counts live connections", async () => {
    assert.deepEqual((await getJson("customer/summary")).body, {
      customers: 8,
      customers_with_active_connection: 2,
      connections: 3,
    });
    assert.deepEqual((await getJson("connections/count")).body, { count: 3 });
  });
});
