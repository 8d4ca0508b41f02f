import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isVendorError, type VendorErrorKind } from "../../src/vendors/errors.js";
import { failureFor, retryAfterS } from "../../src/vendors/smartolt/failures.js";
import {
  parseInventoryPage,
  parseOdbs,
  parseOlts,
  parseOnuDetails,
  parseOnuLiveSignal,
  parseOnuLiveStatus,
  parseOutagePons,
  parseSignalRows,
  parseSmartOltTime,
  parseStatusRows,
  parseZones,
} from "../../src/vendors/smartolt/parse.js";
import { formatLocal } from "../../src/time/zoned-time.js";
import { collectVlans, parseDbm, parseIntOrNull, parseOnuStatus } from "../../src/vendors/smartolt/values.js";

// Bodies from shared/vendors/smartolt.md (§2.1–§2.3, live captures of SmartOLT v3.53.0).
const OLTS = JSON.parse(
  '{"response":[{"id":"2","name":"HAWEI","olt_hardware_version":"Huawei-MA5608T","ip":"38.x.x.x","telnet_port":"2333","snmp_port":"2161"}],"response_code":"success","status":true}',
);
const ZONES = { status: true, response_code: "success", response: [{ id: "1", name: "Zone 1", imported_date: null, imported_from_olt: null }] };
const STATUSES = JSON.parse(
  '{"response":[{"unique_external_id":"TPLG********","sn":"TPLG********","olt_id":"2","board":"1","port":"0","onu":"2","zone_id":"1","name":"JEINERALVARADO","address":"","contact":"","odb_id":null,"status":"Online","last_status_change":"2026-07-08 11:36:33"}],"status":true,"response_code":"success"}',
);
const SIGNALS = JSON.parse(
  '{"status":true,"response":[{"unique_external_id":"TPLG********","signal_1310":"-30.46 dBm","signal":"Warning","signal_1490":"-24.95 dBm"}]}',
);
const ONU_STATUS = JSON.parse('{"status":true,"onu_status":"Online","last_status_change":"2026-08-15 18:00:25","response_code":"success"}');
const ONU_SIGNAL = JSON.parse(
  '{"status":true,"response_code":"success","onu_signal":"Very good","onu_signal_value":"-21.19 dBm / -23.10 dBm (1447m)","onu_signal_1310":"-23.10 dBm","onu_signal_1490":"-21.19 dBm"}',
);
const RECORD = {
  unique_external_id: "TPLG2A561D98",
  sn: "TPLG2A561D98",
  olt_id: "2",
  olt_name: "HAWEI",
  board: "1",
  port: "0",
  onu: "2",
  onu_type_name: "HG8546M",
  zone_id: "1",
  zone_name: "Zone 1",
  odb_name: "",
  name: "JEINERALVARADO",
  address: "",
  mode: "Routing",
  wan_mode: "PPPoE",
  vlan: "100",
  username: " Jeiner.Alvarado ",
  administrative_status: "Enabled",
  status: "Power fail",
  last_status_change: "2026-07-08 11:36:33",
  signal: "-",
  signal_1310: "-",
  signal_1490: "-",
  service_ports: [{ service_port: "4098", vlan: "100" }, { service_port: "4099", vlan: "200" }],
  ethernet_ports: [],
  wifi_ports: [],
};

const ba = "America/Argentina/Buenos_Aires";
const lima = "America/Lima";

function kindOf(fn: () => unknown): VendorErrorKind | "none" {
  try {
    fn();
    return "none";
  } catch (err) {
    assert.ok(isVendorError(err), String(err));
    return err.kind;
  }
}

describe("values", () => {
  test("dBm strings", () => {
    const cases: Array<[unknown, number | null]> = [
      ["-24.95 dBm", -24.95],
      ["-30.46 dBm", -30.46],
      ["-21.19dBm", -21.19],
      ["-23.10", -23.1],
      [-22.5, -22.5],
      ["-", null],
      ["", null],
      [null, null],
      [undefined, null],
      ["n/a", null],
    ];
    for (const [wire, want] of cases) assert.equal(parseDbm(wire), want, String(wire));
  });

  test("statuses → enum, nothing vendor-specific kept", () => {
    const cases: Array<[unknown, string]> = [
      ["Online", "online"],
      ["Offline", "offline"],
      ["Power fail", "power_fail"],
      ["Power Fail", "power_fail"],
      ["LOS", "los"],
      ["Admin Disabled", "admin_disabled"],
      ["Unknown", "unknown"],
      ["", "unknown"],
      [null, "unknown"],
    ];
    for (const [wire, want] of cases) assert.equal(parseOnuStatus(wire), want, String(wire));
  });

  test("integers and VLANs", () => {
    assert.deepEqual([parseIntOrNull("2"), parseIntOrNull(""), parseIntOrNull(null), parseIntOrNull("1a"), parseIntOrNull(3)], [2, null, null, null, 3]);
    assert.deepEqual(collectVlans("100", [{ vlan: "100" }, { vlan: "200" }, { vlan: "" }, "junk"]), [100, 200]);
    assert.deepEqual(collectVlans(null, undefined), []);
  });
});

describe("SmartOLT times (src/time/zoned-time.ts)", () => {
  test("account-local wall time → UTC in two zones without DST", () => {
    assert.deepEqual(parseSmartOltTime("2026-07-08 11:36:33", ba), new Date("2026-07-08T14:36:33Z"));
    assert.deepEqual(parseSmartOltTime("2026-07-08 11:36:33", lima), new Date("2026-07-08T16:36:33Z"));
    assert.deepEqual(parseSmartOltTime("2026-08-15 18:00:25", lima), new Date("2026-08-15T23:00:25Z"));
    assert.deepEqual(parseSmartOltTime("2026-12-31 22:30:00", ba), new Date("2027-01-01T01:30:00Z"), "crosses the year");
  });

  test("a zone with DST takes the offset of the instant, on both sides of the change", () => {
    const ny = "America/New_York";
    assert.deepEqual(parseSmartOltTime("2026-03-08 01:30:00", ny), new Date("2026-03-08T06:30:00Z"));
    assert.deepEqual(parseSmartOltTime("2026-03-08 03:30:00", ny), new Date("2026-03-08T07:30:00Z"));
    const santiago = "America/Santiago";
    assert.deepEqual(parseSmartOltTime("2026-01-15 12:00:00", santiago), new Date("2026-01-15T15:00:00Z"));
    assert.deepEqual(parseSmartOltTime("2026-07-15 12:00:00", santiago), new Date("2026-07-15T16:00:00Z"));
  });

  test("format is the inverse (for updated_since)", () => {
    assert.equal(formatLocal(new Date("2026-07-09T15:30:00Z"), ba), "2026-07-09 12:30:00");
    assert.equal(formatLocal(new Date("2026-01-01T04:59:59Z"), lima), "2025-12-31 23:59:59");
  });

  test("empty, zero and malformed values are null", () => {
    for (const wire of [null, undefined, "", "-", "0000-00-00 00:00:00", "2026-02-30 10:00:00", "2026-07-08 24:00:00", "08/07/2026 11:36"]) {
      assert.equal(parseSmartOltTime(wire, ba), null, String(wire));
    }
  });
});

describe("bodies", () => {
  test("get_olts, get_zones, get_odbs", () => {
    assert.deepEqual(parseOlts("get_olts", OLTS), [{ id: "2", name: "HAWEI" }]);
    assert.deepEqual(parseZones("get_zones", ZONES), [{ id: "1", name: "Zone 1" }]);
    const odbs = { status: true, response: [{ id: "4", name: "NAP-4", ports: "8", latitude: null, longitude: null, zone_id: "1", zone_name: "Zone 1" }, { id: "5", name: "NAP-5", zone_id: "" }] };
    assert.deepEqual(parseOdbs("get_odbs", odbs), [
      { id: "4", name: "NAP-4", zoneId: "1" },
      { id: "5", name: "NAP-5", zoneId: null },
    ]);
  });

  test("get_onus_statuses sample", async () => {
    assert.deepEqual(await parseStatusRows("get_onus_statuses", STATUSES, lima), [
      {
        externalId: "TPLG********",
        serial: "TPLG********",
        oltId: "2",
        board: 1,
        port: 0,
        onuIndex: 2,
        zoneId: "1",
        odbId: null,
        status: "online",
        lastStatusChange: new Date("2026-07-08T16:36:33Z"),
      },
    ]);
  });

  test("get_onus_signals sample", async () => {
    assert.deepEqual(await parseSignalRows("get_onus_signals", SIGNALS), [
      { externalId: "TPLG********", rxPowerDbm: -24.95, oltRxPowerDbm: -30.46, signalCategory: "Warning" },
    ]);
  });

  test("get_onu_status and get_onu_signal: flat fields", () => {
    assert.deepEqual(parseOnuLiveStatus("get_onu_status", ONU_STATUS, lima), {
      status: "online",
      lastStatusChange: new Date("2026-08-15T23:00:25Z"),
    });
    assert.deepEqual(parseOnuLiveSignal("get_onu_signal", "X1", ONU_SIGNAL), {
      externalId: "X1",
      rxPowerDbm: -21.19,
      oltRxPowerDbm: -23.1,
      signalCategory: "Very good",
      distanceM: 1447,
    });
  });

  test("paged get_all_onus_details and get_onu_details: one record, normalised", () => {
    const page = parseInventoryPage("get_all_onus_details", { page: 1, page_size: 1, total_items: 758, total_pages: 758, onus: [RECORD] }, ba);
    assert.deepEqual([page.page, page.totalPages, page.totalItems], [1, 758, 758]);
    const expected = {
      externalId: "TPLG2A561D98",
      serial: "TPLG2A561D98",
      oltId: "2",
      oltName: "HAWEI",
      board: 1,
      port: 0,
      onuIndex: 2,
      zoneId: "1",
      zoneName: "Zone 1",
      odbName: null,
      name: "JEINERALVARADO",
      address: null,
      pppoeUser: "jeiner.alvarado",
      status: "power_fail",
      adminEnabled: true,
      lastStatusChange: new Date("2026-07-08T14:36:33Z"),
      rxPowerDbm: null,
      oltRxPowerDbm: null,
      signalCategory: "-",
      vlans: [100, 200],
      onuType: "HG8546M",
      mode: "Routing",
      distanceM: null,
    };
    assert.deepEqual(page.records, [expected]);
    const details = { status: true, onu_details: { ...RECORD, board: "", port: "", administrative_status: "Disabled", distance: "1447" } };
    assert.deepEqual(parseOnuDetails("get_onu_details", details, ba), { ...expected, board: null, port: null, adminEnabled: false, distanceM: 1447 });
  });

  test("get_outage_pons", () => {
    const body = {
      status: true,
      response: [{ olt_id: "2", olt_name: "HAWEI", board: "0", port: "3", pon_description: "", total_onus: "25", cause: "Power fail", los_count: "1", power_count: "20", latest_status_change: "2026-07-10 08:00:00" }],
    };
    assert.deepEqual(parseOutagePons("get_outage_pons", body, ba), [
      { oltId: "2", oltName: "HAWEI", board: 0, port: 3, description: null, totalOnus: 25, losCount: 1, powerFailCount: 20, cause: "power_fail", latestStatusChange: new Date("2026-07-10T11:00:00Z") },
    ]);
  });

  test("wrong shapes are bad_response", () => {
    const cases: Array<[string, () => unknown]> = [
      ["not an object", () => parseOlts("get_olts", [])],
      ["no response key", () => parseOlts("get_olts", { status: true, onus: [] })],
      ["status false", () => parseZones("get_zones", { status: false, error: "x" })],
      ["unpaged export", () => parseInventoryPage("get_all_onus_details", { status: true, onus: [] }, ba)],
      ["details under response", () => parseOnuDetails("get_onu_details", { status: true, response: RECORD }, ba)],
      ["no onu_status", () => parseOnuLiveStatus("get_onu_status", { status: true, response_code: "success" }, ba)],
      ["no signal fields", () => parseOnuLiveSignal("get_onu_signal", "X", { status: true })],
    ];
    for (const [name, fn] of cases) assert.equal(kindOf(fn), "bad_response", name);
  });

  test("bulk exports: read in slices, the same rows in order; a bad row far into the list is bad_response", async () => {
    const row = (i: number) => ({ unique_external_id: `HWTC${String(i).padStart(8, "0")}`, signal: "Very good", signal_1310: "-20.5", signal_1490: `-${(i % 30) + 0.25}` });
    const big = { status: true, response: Array.from({ length: 12_345 }, (_, i) => row(i)) };
    const rows = await parseSignalRows("get_onus_signals", big);
    assert.equal(rows.length, 12_345);
    assert.deepEqual(rows[0], { externalId: "HWTC00000000", rxPowerDbm: -0.25, oltRxPowerDbm: -20.5, signalCategory: "Very good" });
    assert.deepEqual(rows[10_007], { externalId: "HWTC00010007", rxPowerDbm: -17.25, oltRxPowerDbm: -20.5, signalCategory: "Very good" });
    assert.deepEqual(rows.map((r) => r.externalId), big.response.map((r) => r.unique_external_id));
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["row not an object", () => parseStatusRows("get_onus_statuses", { status: true, response: ["x"] }, ba)],
      ["row without id", () => parseSignalRows("get_onus_signals", { status: true, response: [{ signal: "-" }] })],
      ["no response list", () => parseStatusRows("get_onus_statuses", { status: true, onus: [] }, ba)],
      ["status false", () => parseSignalRows("get_onus_signals", { status: false, error: "x" })],
      ["bad row after two slices", () => parseSignalRows("get_onus_signals", { status: true, response: [...big.response.slice(0, 11_000), 7, ...big.response.slice(11_000)] })],
    ];
    for (const [name, fn] of cases) {
      await assert.rejects(fn, (err: unknown) => (err as { kind?: string }).kind === "bad_response", name);
    }
  });
});

describe("failures", () => {
  const NOW = Date.parse("2026-07-10T12:00:00Z");
  const fail = (httpStatus: number, body: unknown, o: { retryAfter?: string; perOnu?: boolean } = {}) =>
    failureFor("op", { httpStatus, body, retryAfterHeader: o.retryAfter ?? null, perOnu: o.perOnu ?? false, nowMs: NOW }, (s) => s.split("s3cret").join("[redacted]"));

  test("status codes and bodies → kinds", () => {
    const cases: Array<[string, ReturnType<typeof fail>, VendorErrorKind, number | undefined]> = [
      ["403", fail(403, { status: false, error: "Invalid API key" }), "auth", undefined],
      ["429 header", fail(429, { status: false, response_code: "rate_limit_exceeded", retry_after: 120 }, { retryAfter: "30" }), "rate_limited", 30],
      ["429 body only", fail(429, { status: false, response_code: "rate_limit_exceeded", retry_after: 120 }), "rate_limited", 120],
      ["429 nothing", fail(429, undefined), "rate_limited", 60],
      ["405", fail(405, { status: false, error: "Unknown method" }), "bad_response", undefined],
      ["400 per-ONU", fail(400, { status: false, error: "Invalid ONU external ID" }, { perOnu: true }), "not_found", undefined],
      ["400 other", fail(400, { status: false, error: "Invalid parameters: No such Download speed profile exists" }), "bad_response", undefined],
      ["500", fail(500, { status: false, error: "Internal Server Error" }), "unavailable", undefined],
      ["502 html", fail(502, undefined), "unavailable", undefined],
      ["200 status false", fail(200, { status: false, message: "something failed" }), "bad_response", undefined],
      ["200 not found", fail(200, { status: false, error: "ONU not found" }, { perOnu: true }), "not_found", undefined],
    ];
    for (const [name, err, kind, wait] of cases) {
      assert.equal(err.kind, kind, name);
      assert.equal(err.retryAfterS, wait, name);
    }
    assert.equal(fail(200, { status: false, message: "something failed" }).message, "smartolt op: answer has status false: something failed");
    assert.equal(fail(403, {}).status, 403);
  });

  test("vendor text is scrubbed of secrets", () => {
    assert.equal(fail(400, { status: false, error: "bad token s3cret" }).message, "smartolt op: HTTP 400: bad token [redacted]");
  });

  test("Retry-After as an HTTP date", () => {
    assert.equal(retryAfterS("Fri, 10 Jul 2026 12:01:30 GMT", undefined, NOW), 90);
    assert.equal(retryAfterS(null, "45", NOW), 45);
  });
});
