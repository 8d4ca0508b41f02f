/** Pure ISPCube parsers on the vendor doc's own example payloads (shared/vendors/ispcube.md §2.2, §4). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Connection, Customer, Node, Plan } from "../../src/domain/types.js";
import { isVendorError } from "../../src/vendors/errors.js";
import {
  normalizeMoney,
  parseArgentineLocal,
  parseConnection,
  parseCustomer,
  parseCustomerLookup,
  parseFlag,
  parseLaravelUtc,
  parseList,
  parseNode,
  parsePlan,
  parseToken,
  statusErrorMessage,
} from "../../src/vendors/ispcube/parse.js";

/** `GET /api/customer` [DOC] §4.2, every key as in the doc. */
const DOC_CUSTOMER = {
  id: 2236, code: "003365", name: "RIOS ANA",
  tax_residence: "Calle Amenabar 123", type: "no_fiscal_invoice",
  tax_situation_id: 4, identification_type_id: 7, doc_number: "12123456",
  auto_bill_sending: 1, auto_payment_recipe_sending: 1, nickname: null,
  comercial_activity: null, address: "Calle Amenabar 123",
  between_address1: null, between_address2: null, city_id: 3,
  lat: "-33.6931047", lng: null, extra1: "", extra2: "",
  entity_id: 79, collector_id: 1, seller_id: null,
  block: 1, free: 0, apply_late_payment_due: 0, apply_reconnection: 0,
  contract: 0, contract_type_id: null, contract_expiration_date: null,
  paycomm: null, expiration_type_id: null, business_id: 1,
  first_expiration_date: 0, second_expiration_date: 0, next_month_corresponding_date: 0,
  start_date: "2014-04-01 00:00:00", perception_id: null, phonekey: null,
  debt: "0.00", duedebt: "0.00", speed_limited: 0,
  status: "no_service", enable_date: null, block_date: null,
  created_at: "2014-04-01T03:00:00.000000Z", updated_at: "2014-04-01T03:00:00.000000Z",
  deleted_at: null, temporary: 1, paycomm_request_date: null, uuid: "",
  phones: [{ id: 2137, customer_id: 2236, detail: null, number: "1234567890", sms: 0,
    created_at: "2018-05-14T03:00:00.000000Z", updated_at: null }],
  connections: [], contact_emails: [], electronic_payment_codes: [],
  city: { id: 3, name: "Vicente Lopez", province: "Buenos Aires", postal_code: 1605,
    created_at: "2022-11-03T13:55:38.000000Z", updated_at: null },
  customer_cbu: [],
};

/** A `customers_list` row [DOC] §4.2: embedded objects, `{customer_id, number}` phones, no connections. */
const DOC_CUSTOMER_ROW = {
  ...DOC_CUSTOMER,
  status: "blocked",
  debt: "52705.48",
  duedebt: 14400.5,
  block_date: "2026-05-11 00:00:00",
  deleted_at: "2026-06-01 12:00:00",
  tax_situation: { id: 4, name: "Consumidor Final", selected: "" },
  identification_type: { id: 7, name: "DNI" },
  city: { id: 3, name: "Vicente Lopez" },
  entity: { id: 2, name: "Caja", tags_ids: ["[]"], selected_default: true, tags: [] },
  contact_emails: [{ customer_id: 2236, email: "ana@example.com" }, { customer_id: 2236, email: " " }],
  phones: [{ customer_id: 2236, number: "1234567890" }, { customer_id: 2236, number: 2915048080 }],
  business: { id: 1, name: "Empresa SRL" },
  connections: undefined,
};

/** `connections_list` element [DOC] §4.3. */
const DOC_CONNECTION = {
  id: 1, ip: "", local_ip: null, conntype: "radius",
  customer_id: 2, plan_id: 6, node_id: 3, accessrouter_id: null, olt_id: null,
  mkinterface_id: null, dhcpserver_id: null, dhcppool_id: null, iprange_id: null,
  city_id: null, ftthbox_id: null, ftth_port_id: null, equipment_id: null,
  home_equipment_id: null, addlist_id: null, up: "1673", down: null,
  start_date: "2000-01-01 00:00:00", address: "Calle 123 ",
  lat: "0.000000000000", lng: "0.000000000000",
  user: "test123", password: "asdads112",
  created_at: "2000-01-01T03:00:00.000000Z", updated_at: "2022-08-23T18:08:00.000000Z",
  frequency: null, ssid: null,
  ochoquince_conexion_id: null, ochoquince_nodo_red_id: null, ochoquince_nodo_subred_id: null,
  ochoquince_ip_id: null, ochoquince_tipo_acceso: null, ochoquince_servicio_pk: null,
  oldcode: "1673", tags_ids: ["[]"],
  customer: { id: 2, code: "000002", name: "Cliente X SA " },
  plan: { id: 6, name: "INTERNET PYME 8MB", price: "1234.00", tags_ids: ["[]"], tags: [] },
  node: { id: 3, code: "R1", ip: "2.3.4.5", type: "FreeRadius", comment: "Radius Principal", tags_ids: [], tags: [] },
  equipment: null, tags: [],
};

/** `plans_list` element [DOC] §4.4 (the Huawei/ZTE keys trimmed). */
const DOC_PLAN = {
  id: 1, code: "000003", name: "INTERNET PYME 30MB", price: "12345.00", currency_id: 1, addlist_id: null,
  tax_id: 7, cycle: 1, speeddown: 30720, speedup: 30720, burstlimit: 0, burstthreshold: 0, bursttime: 0,
  limit_at: 0, priority: 8, profile: null, parent: null, pppoe: 1, radius: 1, hotspot: 0,
  total_traffic_limit: "0.0000", post_limit_plan_id: null, prepaid: 0,
  created_at: "2022-04-11T03:00:00.000000Z", updated_at: null, tags_ids: ["[]"], tags: [],
};

/** `nodes_list` element [DOC] §4.5, router credentials included. */
const DOC_NODE = {
  id: 1, code: "Node1", ip: "1.2.3.4", local_ip: null, remote_ip: null, port: "8728", dns: null,
  user: "ispcube", pass: "pass123wd", pppoe: 1, hostspot: 0, integration: 1, ap: 1, status: 1,
  next_check: null, addlist_id: null, addlist_id2: null, type: "Mikrotik", ver: "v6.43",
  comment: "Main Router", address: null, lat: null, lng: null, mk_queue_target_type: "target",
  mk_validation_type: "1", smart_olt_apikey: null, created_at: "2022-08-23T18:04:33.000000Z",
  updated_at: "2022-09-08T22:38:54.000000Z", shapes: null, shapes_color: null, tags_ids: [], tags: [],
};

function badResponse(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => isVendorError(err, "bad_response") && message.test(err.message));
}

describe("ispcube parseToken", () => {
  const token = "5|UdaQdRYxaOQfVSinqLbZIlUtuDinqt60WwWUGfGZ";
  const cases: [string, string, string | undefined][] = [
    ["production {token}", JSON.stringify({ token }), token],
    ["{data: {token}}", JSON.stringify({ data: { token } }), token],
    ["{access_token}", JSON.stringify({ access_token: token }), token],
    ["plain text", `${token}\n`, token],
    ["a JSON string", JSON.stringify(token), token],
    ["the Postman example's braces", "{ 5|UdaQdRYxaOQfVSinqLbZIlUtuDinqt60WwWUGfGZ }", token],
    ["empty body", "  ", undefined],
    ["JSON without a token", JSON.stringify({ message: "Unauthenticated." }), undefined],
    ["an HTML page", "<html><body>login</body></html>", undefined],
    ["a status:false error", JSON.stringify({ status: false, message: "error" }), undefined],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => assert.equal(parseToken(body), expected));
  }
});

describe("ispcube normalizeMoney", () => {
  const cases: [unknown, string | undefined][] = [
    ["0.00", "0.00"], ["0", "0.00"], [0, "0.00"], ["14400.5", "14400.50"], ["14400.00", "14400.00"],
    [null, "0.00"], [undefined, "0.00"], ["", "0.00"], ["1", "1.00"], [1234.5, "1234.50"],
    ["0.0000", "0.00"], ["10.005", "10.01"], ["-52705.484", "-52705.48"], ["-0.001", "0.00"], [".5", "0.50"],
    ["abc", undefined], ["1,5", undefined], [{}, undefined], [Number.NaN, undefined], [".", undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input) ?? "undefined"} → ${expected ?? "invalid"}`, () => assert.equal(normalizeMoney(input), expected));
  }
});

describe("ispcube dates", () => {
  it("reads Laravel UTC timestamps, with T or a space", () => {
    assert.deepEqual(parseLaravelUtc("2014-04-01T03:00:00.000000Z"), new Date("2014-04-01T03:00:00Z"));
    assert.deepEqual(parseLaravelUtc("2022-09-13 16:29:17"), new Date("2022-09-13T16:29:17Z"));
    assert.deepEqual(parseLaravelUtc("2022-09-13T16:29:17-03:00"), new Date("2022-09-13T19:29:17Z"));
    assert.equal(parseLaravelUtc(null), null);
    assert.equal(parseLaravelUtc(""), null);
    assert.equal(parseLaravelUtc("0000-00-00 00:00:00"), null);
    assert.equal(parseLaravelUtc("2024-02-31T00:00:00Z"), undefined);
    assert.equal(parseLaravelUtc("yesterday"), undefined);
    assert.equal(parseLaravelUtc(1700000000), undefined);
  });

  it("reads business dates as Argentine local time (UTC-3)", () => {
    assert.deepEqual(parseArgentineLocal("2014-04-01 00:00:00"), new Date("2014-04-01T03:00:00Z"));
    assert.deepEqual(parseArgentineLocal("2026-10-31 23:59:59"), new Date("2026-11-01T02:59:59Z"));
    assert.deepEqual(parseArgentineLocal("2024-03-19"), new Date("2024-03-19T03:00:00Z"));
    assert.equal(parseArgentineLocal(null), null);
    assert.equal(parseArgentineLocal("31/12/2024"), undefined);
  });

  it("reads a business date from Argentina's last DST summer (2007–2009) in its UTC-2", () => {
    // Customers since 2008 exist: their start_date is Argentine time of the day, not a fixed UTC-3.
    assert.deepEqual(parseArgentineLocal("2008-01-15 00:00:00"), new Date("2008-01-15T02:00:00Z"));
  });

  it("reads 0/1 flags", () => {
    assert.deepEqual([1, 0, "1", "0", true, false, null, undefined].map(parseFlag), [true, false, true, false, true, false, false, false]);
  });
});

describe("ispcube parseCustomer", () => {
  it("reads the doc's /api/customer example", () => {
    const expected: Customer = {
      id: 2236,
      code: "003365",
      name: "RIOS ANA",
      docNumber: "12123456",
      address: "Calle Amenabar 123",
      city: "Vicente Lopez",
      status: "no_service",
      statusRaw: "no_service",
      debt: "0.00",
      dueDebt: "0.00",
      phones: ["1234567890"],
      emails: [],
      blockedAt: null,
      createdAt: new Date("2014-04-01T03:00:00Z"),
      deleted: false,
    };
    assert.deepEqual(parseCustomer(DOC_CUSTOMER), expected);
    assert.deepEqual(parseCustomerLookup(DOC_CUSTOMER), expected);
    assert.deepEqual(parseCustomerLookup([DOC_CUSTOMER]), expected, "an array is taken defensively");
    assert.equal(parseCustomerLookup([]), undefined);
  });

  it("reads a customers_list row: money, local block date, phones and e-mails, deleted", () => {
    const c = parseCustomer(DOC_CUSTOMER_ROW);
    assert.equal(c.status, "blocked");
    assert.equal(c.debt, "52705.48");
    assert.equal(c.dueDebt, "14400.50");
    assert.deepEqual(c.blockedAt, new Date("2026-05-11T03:00:00Z"));
    assert.deepEqual(c.phones, ["1234567890", "2915048080"]);
    assert.deepEqual(c.emails, ["ana@example.com"]);
    assert.equal(c.deleted, true);
  });

  it("keeps an unknown status as other, with the raw value", () => {
    const c = parseCustomer({ ...DOC_CUSTOMER, status: "disabled" });
    assert.equal(c.status, "other");
    assert.equal(c.statusRaw, "disabled");
  });

  it("accepts a string id and falls back to tax_residence for the address", () => {
    const c = parseCustomer({ ...DOC_CUSTOMER, id: "2236", address: "", doc_number: "" });
    assert.equal(c.id, 2236);
    assert.equal(c.address, "Calle Amenabar 123");
    assert.equal(c.docNumber, null);
  });

  it("rejects wrong shapes naming the field", () => {
    badResponse(() => parseCustomer("nope"), /customer is not an object/);
    badResponse(() => parseCustomer({ ...DOC_CUSTOMER, id: "x" }), /id is not an id/);
    badResponse(() => parseCustomer({ ...DOC_CUSTOMER, code: null }), /without a code/);
    badResponse(() => parseCustomer({ ...DOC_CUSTOMER, debt: "mucho" }), /debt is not a decimal/);
    badResponse(() => parseCustomer({ ...DOC_CUSTOMER, created_at: "ayer" }), /created_at is not a timestamp/);
  });
});

describe("ispcube parseConnection", () => {
  it("reads the doc's connections_list element", () => {
    const expected: Connection = {
      id: 1,
      customerId: 2,
      planId: 6,
      nodeId: 3,
      kind: "radius",
      pppoeUser: "test123",
      address: "Calle 123",
      ip: null,
      deleted: false,
    };
    assert.deepEqual(parseConnection(DOC_CONNECTION), expected);
  });

  it("normalises the PPPoE user and reads deletion from delete_date or deleted_in_provider", () => {
    assert.equal(parseConnection({ ...DOC_CONNECTION, user: "  JPerez " }).pppoeUser, "jperez");
    assert.equal(parseConnection({ ...DOC_CONNECTION, user: null }).pppoeUser, null);
    assert.equal(parseConnection({ ...DOC_CONNECTION, delete_date: "2026-01-01 00:00:00" }).deleted, true);
    assert.equal(parseConnection({ ...DOC_CONNECTION, deleted_in_provider: 1 }).deleted, true);
    assert.equal(parseConnection({ ...DOC_CONNECTION, plan_id: null, node_id: "" }).planId, null);
  });

  it("rejects a connection without a customer", () => {
    badResponse(() => parseConnection({ ...DOC_CONNECTION, customer_id: null }), /customer_id is not an id/);
  });
});

describe("ispcube parsePlan and parseNode", () => {
  it("reads the doc's plan", () => {
    const expected: Plan = { id: 1, name: "INTERNET PYME 30MB", downloadKbps: 30720, uploadKbps: 30720, price: "12345.00" };
    assert.deepEqual(parsePlan(DOC_PLAN), expected);
  });

  it("reads the doc's node and drops its router credentials", () => {
    const expected: Node = { id: 1, name: "Main Router", type: "Mikrotik", host: "1.2.3.4", port: 8728 };
    const node = parseNode(DOC_NODE);
    assert.deepEqual(node, expected);
    assert.doesNotMatch(JSON.stringify(node), /pass123wd|ispcube/);
  });

  it("names a node by its code when it has no comment, and rejects a bad port", () => {
    assert.equal(parseNode({ ...DOC_NODE, comment: null }).name, "Node1");
    assert.equal(parseNode({ ...DOC_NODE, port: null }).port, 0);
    badResponse(() => parseNode({ ...DOC_NODE, port: "http" }), /port is not a number/);
    badResponse(() => parseNode({ ...DOC_NODE, port: "70000" }), /port is not a TCP port/);
  });
});

describe("ispcube envelopes", () => {
  it("reads a bare array or a defensive {data: [...]}", () => {
    assert.equal(parseList([DOC_PLAN], "plans_list", parsePlan).length, 1);
    assert.equal(parseList({ data: [DOC_PLAN] }, "plans_list", parsePlan).length, 1);
    badResponse(() => parseList({ count: 1 }, "plans_list", parsePlan), /expected a JSON array/);
  });

  it("recognises the status:false error object, which may come with HTTP 200", () => {
    assert.equal(statusErrorMessage({ status: false, message: "username header requerido" }), "username header requerido");
    assert.equal(statusErrorMessage({ status: "enabled" }), undefined);
    assert.equal(statusErrorMessage([]), undefined);
    assert.equal(statusErrorMessage({ result: true, message: "Cliente no encontrado" }), undefined);
  });
});
