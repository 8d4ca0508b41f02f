import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCustomerOrder } from "../../lab/ispcube/customer-order.js";
import { argentineLocal, laravelUtc, money, stableId } from "../../lab/ispcube/laravel.js";
import { periodOf } from "../../lab/ispcube/quota-meter.js";
import { renderConnectionScalars, renderCustomerScalars } from "../../lab/ispcube/render.js";
import { makeScenario } from "./ispcube-fixture.js";

describe("ispcube Laravel formats", () => {
  it("writes money as two-decimal strings", () => {
    const cases: [number, string][] = [
      [0, "0.00"],
      [14400, "14400.00"],
      [30000.5, "30000.50"],
      [52705.475, "52705.48"],
      [-1500.1, "-1500.10"],
      [-0.001, "0.00"],
    ];
    for (const [pesos, wire] of cases) assert.equal(money(pesos), wire, String(pesos));
  });

  it("writes model timestamps in UTC with zero microseconds", () => {
    assert.equal(laravelUtc("2014-04-01T03:00:00Z"), "2014-04-01T03:00:00.000000Z");
    assert.equal(laravelUtc("2024-03-05T15:30:00.999Z"), "2024-03-05T15:30:00.000000Z");
    assert.equal(laravelUtc("2024-03-05T12:30:00-03:00"), "2024-03-05T15:30:00.000000Z");
  });

  it("writes business dates in Argentine wall-clock time, crossing midnight and year ends", () => {
    const cases: [string, string][] = [
      ["2014-04-01T03:00:00Z", "2014-04-01 00:00:00"],
      ["2025-05-11T02:30:00Z", "2025-05-10 23:30:00"],
      ["2025-01-01T01:00:00Z", "2024-12-31 22:00:00"],
      // Southern winter and summer alike: no DST since 2009.
      ["2025-07-15T12:00:00Z", "2025-07-15 09:00:00"],
      ["2025-12-15T12:00:00Z", "2025-12-15 09:00:00"],
    ];
    for (const [iso, wire] of cases) assert.equal(argentineLocal(iso), wire, iso);
  });

  it("refuses an invalid instant instead of writing garbage", () => {
    assert.throws(() => laravelUtc("yesterday"), RangeError);
  });

  it("derives stable ids from names", () => {
    assert.equal(stableId("LA PLATA"), stableId("LA PLATA"));
    assert.notEqual(stableId("LA PLATA"), stableId("ENSENADA"));
  });

  it("renders flags, ids and numeric strings with their wire types", () => {
    const world = makeScenario().ispcube;
    const customer = renderCustomerScalars({ ...world.customers[0]!, temporary: true });
    assert.equal(customer["id"], 1);
    assert.equal(customer["temporary"], 1);
    assert.equal(customer["free"], 0);
    assert.equal(customer["code"], "003566");
    const connection = renderConnectionScalars(world.connections[0]!);
    assert.equal(connection["up"], "100");
    assert.equal(connection["oldcode"], "100");
    assert.deepEqual(connection["tags_ids"], ["[]"]);
    assert.equal(connection["deleted_in_provider"], 0);
  });
});

describe("ispcube quota period", () => {
  it("runs from the 28th to the 27th, in Argentine days", () => {
    const cases: [string, string][] = [
      ["2025-06-10T12:00:00Z", "2025-05-28"],
      ["2025-06-28T02:59:59Z", "2025-05-28"],
      ["2025-06-28T03:00:00Z", "2025-06-28"],
      ["2025-01-05T00:00:00Z", "2024-12-28"],
      ["2025-12-31T23:00:00Z", "2025-12-28"],
    ];
    for (const [iso, period] of cases) assert.equal(periodOf(new Date(iso)), period, iso);
  });
});

describe("ispcube customer order", () => {
  it("sorts newest first and notices in-place changes", () => {
    const customers = makeScenario().ispcube.customers;
    const order = createCustomerOrder();
    const first = order.newestFirst(customers);
    assert.deepEqual(first.slice(0, 3).map((c) => c.id), [4, 3, 14]);
    assert.equal(order.newestFirst(customers), first, "reused while nothing changed");
    customers[customers.length - 1]!.createdAt = "2030-01-01T00:00:00Z";
    assert.equal(order.newestFirst(customers)[0]!.id, 15);
    customers.splice(customers.length - 1, 1, { ...customers[0]!, id: 77, createdAt: "2031-01-01T00:00:00Z" });
    assert.equal(order.newestFirst(customers)[0]!.id, 77);
  });
});
