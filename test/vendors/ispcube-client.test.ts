/** The ISPCube client against the lab simulator over real HTTP: data, paging and the token. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { normalizeUser, type Connection, type Customer, type Node, type Plan } from "../../src/domain/types.js";
import { isVendorError } from "../../src/vendors/errors.js";
import { ispCubeOrigin } from "../../src/vendors/ispcube/client.js";
import { API_KEY, makeScenario, PASSWORD } from "../lab/ispcube-fixture.js";
import { collect, startClientLab, type ClientLab } from "./ispcube-fixture.js";

const DAY_MS = 24 * 60 * 60 * 1000;

function byId<T extends { id: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.id - b.id);
}

async function expectKind(p: Promise<unknown>, kind: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => isVendorError(err) && err.kind === kind && (message === undefined || message.test(err.message)));
}

describe("ispcube client: data from the lab", () => {
  let t: ClientLab;
  const world = makeScenario().ispcube;
  before(async () => {
    t = await startClientLab();
  });
  after(() => t.close());

  it("pages customers_list until a short page, each customer exactly once", async () => {
    const before = t.calls("customers/customers_list");
    const done: number[] = [];
    const pages: number[] = [];
    for await (const page of t.client.customers({ pageSize: 3, includeDeleted: true, includeTemporary: true, onPage: (n) => done.push(n) })) {
      pages.push(page.length);
    }
    // 10 customers, limit 3: pages of 3, 3, 3 and a short 1, so ceil((10 + 1) / 3) = 4 requests.
    assert.deepEqual(pages, [3, 3, 3, 1]);
    assert.deepEqual(done, [3, 6, 9, 10]);
    assert.equal(t.calls("customers/customers_list") - before, 4);
  });

  it("asks for one empty page when the count is a multiple of the page size", async () => {
    const before = t.calls("customers/customers_list");
    const all = await collect(t.client.customers({ pageSize: 5, includeDeleted: true, includeTemporary: true }));
    assert.deepEqual(all.map((c) => c.id).sort((a, b) => a - b), world.customers.map((c) => c.id).sort((a, b) => a - b));
    assert.equal(t.calls("customers/customers_list") - before, 3, "5 + 5 + an empty page: ceil(11 / 5)");
  });

  it("leaves deleted and temporary customers out by default, like ISPCube", async () => {
    const all = await collect(t.client.customers());
    assert.deepEqual(all.map((c) => c.id).sort((a, b) => a - b), [1, 2, 10, 11, 12, 13, 14, 15]);
  });

  it("normalises customers as the scenario describes them", async () => {
    const all = byId(await collect(t.client.customers({ includeDeleted: true, includeTemporary: true })));
    const expected2: Customer = {
      id: 2,
      code: "000002",
      name: "GÓMEZ MARÍA",
      docNumber: "27301113334",
      address: "Diagonal 74 55",
      city: "Ensenada",
      status: "blocked",
      statusRaw: "blocked",
      debt: "52705.48",
      dueDebt: "30000.50",
      phones: ["2214440000"],
      emails: [],
      blockedAt: new Date("2025-05-11T02:30:00Z"),
      createdAt: new Date("2024-03-05T15:30:00Z"),
      deleted: false,
    };
    assert.deepEqual(all[1], expected2);
    assert.deepEqual(all[0]?.emails, ["jose@example.com", "jose2@example.com"]);
    assert.equal(all[0]?.debt, "14400.00");
    assert.equal(all[2]?.deleted, true);
    assert.equal(all[3]?.status, "no_service");
    for (const c of all) {
      const source = world.customers.find((s) => s.id === c.id);
      assert.equal(c.code, source?.code);
      assert.equal(c.createdAt?.toISOString(), new Date(source?.createdAt ?? "").toISOString());
    }
  });

  it("normalises connections", async () => {
    const expected: Connection[] = world.connections.map((c) => ({
      id: c.id,
      customerId: c.customerId,
      planId: c.planId,
      nodeId: c.nodeId,
      kind: c.conntype,
      pppoeUser: normalizeUser(c.user),
      address: c.address,
      ip: c.ip,
      deleted: Boolean(c.deleteDate),
    }));
    assert.deepEqual(byId(await t.client.connections()), byId(expected));
  });

  it("normalises plans", async () => {
    const expected: Plan[] = [{ id: 1, name: "FIBRA 300MB", downloadKbps: 307200, uploadKbps: 51200, price: "12523.00" }];
    assert.deepEqual(await t.client.plans(), expected);
  });

  it("normalises nodes and drops their router credentials", async () => {
    const expected: Node[] = [
      { id: 1, name: "Core Mikrotik", type: "Mikrotik", host: "127.0.0.1", port: 18728 },
      { id: 2, name: "Radius Principal", type: "FreeRadius", host: "127.0.0.2", port: 1812 },
    ];
    const nodes = await t.client.nodes();
    assert.deepEqual(nodes, expected);
    assert.doesNotMatch(JSON.stringify(nodes), /r0uter-pass|beholder/);
  });

  it("looks a customer up by code (padding significant) and by id", async () => {
    const c = await t.client.customerByCode("003566");
    assert.equal(c.id, 1);
    assert.deepEqual(c.phones, ["2215551234"]);
    assert.equal((await t.client.customerById(2)).code, "000002");
    assert.equal((await t.client.customerById(3)).deleted, true, "lookups include deleted customers");
    await expectKind(t.client.customerByCode("3566"), "not_found", /Cliente no encontrado/);
    await expectKind(t.client.customerById(999), "not_found");
    const sent = t.calls();
    await expectKind(t.client.customerByCode("  "), "not_found");
    assert.equal(t.calls(), sent, "an empty code is not sent");
  });

  it("logged in once for all of the above, and counts every request it sent", () => {
    assert.equal(t.calls("sanctum/token"), 1);
    assert.equal(t.client.requests(), t.calls());
    assert.equal(t.client.requests(), t.lab.sim.quota().used);
  });

  it("never logs a secret", () => {
    assert.ok(t.log.lines.some((l) => l.includes("logging in")), "the capture works");
    const logged = t.log.lines.join("\n");
    // A Sanctum token is "<id>|<secret>": no "|" at all means no token either.
    for (const secret of [API_KEY, PASSWORD, "r0uter-pass", "|"]) assert.ok(!logged.includes(secret), `log holds ${secret}`);
  });
});

describe("ispcube client: token lifecycle", () => {
  it("logs in again once the token is 23 h old, without wasting a 401", async () => {
    const t = await startClientLab();
    try {
      await t.client.plans();
      await t.client.nodes();
      assert.equal(t.calls("sanctum/token"), 1);
      t.lab.clock.advance(DAY_MS + 1000);
      await t.client.plans();
      await t.client.nodes();
      assert.equal(t.calls("sanctum/token"), 2);
      assert.equal(t.calls(), 6, "2 logins + 4 data calls, none refused");
    } finally {
      await t.close();
    }
  });

  it("on a 401 logs in once and retries the call once", async () => {
    // The client's clock stands still, so only the lab knows the token expired.
    const frozen = new Date(makeScenario().now);
    const t = await startClientLab({ now: () => frozen });
    try {
      await t.client.plans();
      t.lab.clock.advance(DAY_MS + 1000);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.client.customerById(i % 2 === 0 ? 1 : 2, {}).then((c) => c.id)));
      assert.equal(results.length, 20);
      assert.equal(t.calls("sanctum/token"), 2, "one re-login shared by every refused call");
      assert.ok(t.log.lines.some((l) => l.includes("logging in again")));
    } finally {
      await t.close();
    }
  });

  it("gives up with auth when a fresh token is refused too", async () => {
    const scenario = makeScenario();
    // Tokens that are born expired: every data call is refused.
    scenario.ispcube.tokenTtlSeconds = 0;
    const t = await startClientLab({ scenario });
    try {
      await expectKind(t.client.plans(), "auth", /refused right after a fresh login/);
      assert.equal(t.calls("sanctum/token"), 2);
      assert.equal(t.calls("plans/plans_list"), 2, "one retry, and the guard does not retry auth");
    } finally {
      await t.close();
    }
  });

  it("shares one login among 50 concurrent calls", async () => {
    const t = await startClientLab();
    try {
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => t.client.customerById(i + 1)));
      assert.ok(results.every((r) => r.status === "fulfilled" || isVendorError(r.reason, "not_found")));
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 10, "ids 1-4 and 10-15 exist");
      assert.equal(t.calls("sanctum/token"), 1);
      assert.equal(t.calls("customer"), 50);
    } finally {
      await t.close();
    }
  });

  it("reports wrong credentials as auth, without retrying", async () => {
    const t = await startClientLab();
    try {
      t.lab.ctx.scenario.faults = { ispcube: { "sanctum/token": { wrongCredentials: true } } };
      await expectKind(t.client.plans(), "auth", /login refused \(HTTP 401\)/);
      assert.equal(t.calls("sanctum/token"), 1);
      assert.equal(t.calls("plans/plans_list"), 0);
      const logged = t.log.lines.join("\n");
      assert.ok(!logged.includes(PASSWORD) && !logged.includes(API_KEY));
    } finally {
      await t.close();
    }
  });

  it("reads the legacy plain-text token", async () => {
    const scenario = makeScenario();
    scenario.ispcube.legacyTokenBody = true;
    const t = await startClientLab({ scenario });
    try {
      assert.equal((await t.client.plans()).length, 1);
    } finally {
      await t.close();
    }
  });

  it("tolerates a base URL ending in /api or a slash", async () => {
    assert.equal(ispCubeOrigin("https://online22.ispcube.com"), "https://online22.ispcube.com");
    assert.equal(ispCubeOrigin("https://online22.ispcube.com/"), "https://online22.ispcube.com");
    assert.equal(ispCubeOrigin("https://online22.ispcube.com/api/"), "https://online22.ispcube.com");
    assert.equal(ispCubeOrigin(" https://online22.ispcube.com/API "), "https://online22.ispcube.com");
    for (const form of [(url: string) => `${url}/api/`, (url: string) => `${url}/api`, (url: string) => `${url}/`]) {
      const t = await startClientLab({ baseUrl: form });
      try {
        assert.equal((await t.client.nodes()).length, 2);
      } finally {
        await t.close();
      }
    }
  });

  it("the lab answers ISPCube paths only under /api, as the real API does", async () => {
    const t = await startClientLab();
    try {
      const root = await fetch(`${t.lab.sim.url}/nodes/nodes_list`);
      assert.equal(root.status, 404);
      assert.match(root.headers.get("content-type") ?? "", /text\/html/);
      await root.body?.cancel();
      const doubled = await fetch(`${t.lab.sim.url}/api/api/nodes/nodes_list`);
      assert.equal(doubled.status, 404);
      await doubled.body?.cancel();
      assert.equal(t.calls("nodes/nodes_list"), 0);
    } finally {
      await t.close();
    }
  });
});
