import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeOnu, makeScenario, startFixture, TOKEN, type Fixture } from "./smartolt-fixture.js";

// Generous limits: these tests are about payloads, smartolt-limits.test.ts is about the limiter.
const scenario = makeScenario();
scenario.smartolt.rateLimits = { hourly: 100_000, perSecond: 100_000, burst: 100_000 };

let f: Fixture;
before(async () => {
  f = await startFixture(scenario);
});
after(() => f.sim.close());

const ids = (rows: Array<{ unique_external_id: string }>): string[] => rows.map((r) => r.unique_external_id);

describe("bulk endpoints", () => {
  test("get_onus_statuses: list envelope, string numbers, local timestamp without offset", async () => {
    const { res, body } = await f.json("onu/get_onus_statuses");
    assert.equal(res.status, 200);
    assert.equal(body.status, true);
    assert.equal(body.response_code, "success");
    assert.equal(body.response.length, 6);
    assert.deepEqual(body.response[0], {
      unique_external_id: "TPLG2A561D98",
      sn: "TPLG2A561D98",
      olt_id: "1",
      board: "0",
      port: "0",
      onu: "1",
      zone_id: "1",
      name: "CLIENT TPLG2A561D98",
      address: "Calle 7 1234",
      contact: "",
      odb_id: "1",
      status: "Online",
      last_status_change: "2026-07-08 11:36:33",
    });
    assert.deepEqual(
      body.response.map((r: { status: string }) => r.status),
      ["Online", "LOS", "Power fail", "Online", "Offline", "Online"],
    );
    assert.equal(body.response[3].odb_id, null);
  });

  test("filters: olt_id/board/port as strings, zone by name, unknown and empty params ignored", async () => {
    const q = async (qs: string): Promise<string[]> => ids((await f.json(`onu/get_onus_statuses?${qs}`)).body.response);
    assert.deepEqual(await q("olt_id=2"), ["ZTEG00000001"]);
    assert.deepEqual(await q("olt_id=1&board=0&port=1"), ["HWTC0113B892", "HWTC0113B893"]);
    assert.deepEqual(await q("zone=Norte"), ["HWTC0113B892", "HWTC0113B893", "ZTEG00000001"]);
    assert.deepEqual(await q("zone=2"), [], "zone is matched by name, not id");
    assert.equal((await q("status=Offline")).length, 6, "unknown params are ignored (§5.5)");
    assert.equal((await q("olt_id=&board=&port=&zone=")).length, 6);
    assert.equal((await q("odb=NAP-02")).length, 6, "odb is a filter of get_all_onus_details only");
    assert.deepEqual(await q("zone=Centro&olt_id=1&port=0"), ["TPLG2A561D98", "TPLG00000005", "TPLG00000006"]);
  });

  test("get_onus_signals: dBm strings, '-' without a reading, category from thresholds", async () => {
    const { body } = await f.json("onu/get_onus_signals");
    assert.equal(body.status, true);
    const byId = new Map(body.response.map((r: { unique_external_id: string }) => [r.unique_external_id, r]));
    assert.deepEqual(byId.get("TPLG2A561D98"), {
      unique_external_id: "TPLG2A561D98",
      sn: "TPLG2A561D98",
      olt_id: "1",
      board: "0",
      port: "0",
      onu: "1",
      zone_id: "1",
      signal: "Warning",
      signal_1310: "-30.46 dBm",
      signal_1490: "-24.95 dBm",
    });
    const pick = (id: string): unknown => {
      const r = byId.get(id) as { signal: string; signal_1310: string; signal_1490: string };
      return [r.signal, r.signal_1310, r.signal_1490];
    };
    assert.deepEqual(pick("HWTC0113B892"), ["-", "-", "-"]);
    assert.deepEqual(pick("TPLG00000005"), ["-", "-", "-"], "an Offline ONU has no reading even if the world has one");
    assert.deepEqual(pick("ZTEG00000001"), ["Very good", "-22.50 dBm", "-20.00 dBm"]);
    assert.deepEqual(pick("TPLG00000006"), ["Critical", "-33.10 dBm", "-26.00 dBm"]);
    const zone = await f.json("onu/get_onus_signals?zone=Centro&board=0");
    assert.deepEqual(ids(zone.body.response), ["TPLG2A561D98", "TPLG00000005", "TPLG00000006"]);
  });

  test("get_all_onus_details unpaged: {status, onus} with the 81-field record", async () => {
    const { body } = await f.json("onu/get_all_onus_details");
    assert.deepEqual(Object.keys(body), ["status", "onus"]);
    assert.equal(body.onus.length, 6);
    const [a, b] = body.onus;
    assert.equal(Object.keys(a).length, 81);
    assert.equal(a.olt_name, "HAWEI");
    assert.equal(a.zone_name, "Centro");
    assert.equal(a.odb_name, "NAP-01");
    assert.equal(a.odb_port, "3");
    assert.equal(a.vlan, "100");
    assert.equal(a.username, "user.tplg2a561d98");
    assert.equal(a.wan_mode, "PPPoE");
    assert.equal(a.signal_1310, "-30.46 dBm");
    assert.equal(a.authorization_date, "2025-03-02 10:00:00");
    assert.deepEqual(a.service_ports[0].vlan, "100");
    assert.equal(b.username, null, "a bridged ONU has no PPPoE user");
    assert.equal(b.mode, "Bridging");
    const odb = await f.json("onu/get_all_onus_details?odb=NAP-02&zone=Norte");
    assert.deepEqual(ids(odb.body.onus), ["HWTC0113B892", "HWTC0113B893"]);
  });

  test("get_all_onus_details paged: totals, short last page, bounds, updated_since in local time", async () => {
    const p1 = await f.json("onu/get_all_onus_details?page=1&page_size=4");
    assert.deepEqual(Object.keys(p1.body), ["page", "page_size", "total_items", "total_pages", "onus"]);
    assert.deepEqual([p1.body.page, p1.body.page_size, p1.body.total_items, p1.body.total_pages], [1, 4, 6, 2]);
    assert.equal(p1.body.onus.length, 4);
    const p2 = await f.json("onu/get_all_onus_details?page=2&page_size=4");
    assert.deepEqual(ids(p2.body.onus), ["TPLG00000005", "TPLG00000006"]);
    const p3 = await f.json("onu/get_all_onus_details?page=3&page_size=4");
    assert.deepEqual([p3.res.status, p3.body.onus.length, p3.body.total_pages], [200, 0, 2]);
    const full = await f.json("onu/get_all_onus_details?page=1&page_size=100");
    assert.equal(full.body.onus.length, 6);
    assert.equal((await f.json("onu/get_all_onus_details?page_size=2")).body.page, 1);
    for (const bad of ["page_size=0", "page_size=101", "page=0", "page=x&page_size=10"]) {
      const r = await f.json(`onu/get_all_onus_details?${bad}`);
      assert.equal(r.res.status, 400, bad);
      assert.equal(r.body.status, false, bad);
      assert.equal(typeof r.body.error, "string", bad);
    }
    // 2026-07-09 12:30 in Buenos Aires is 15:30Z: after TPLG00000005 (15:00Z), before TPLG00000006 (16:00Z).
    const since = await f.json(`onu/get_all_onus_details?page=1&page_size=10&updated_since=${encodeURIComponent("2026-07-09 12:30:00")}`);
    assert.deepEqual(ids(since.body.onus), ["TPLG00000006"]);
    assert.equal(since.body.total_items, 1);
    const bad = await f.json("onu/get_all_onus_details?page=1&updated_since=yesterday");
    assert.equal(bad.res.status, 400);
  });
});

describe("per-ONU endpoints", () => {
  test("get_onu_details: onu_details envelope with distance", async () => {
    const { body } = await f.json("onu/get_onu_details/TPLG2A561D98");
    assert.deepEqual(Object.keys(body), ["status", "onu_details"]);
    assert.equal(body.status, true);
    assert.equal(Object.keys(body.onu_details).length, 82);
    assert.equal(body.onu_details.distance, "1447");
    assert.equal(body.onu_details.unique_external_id, "TPLG2A561D98");
  });

  test("get_onu_status and get_onu_signal: flat fields", async () => {
    const status = await f.json("onu/get_onu_status/HWTC0113B892");
    assert.deepEqual(status.body, {
      status: true,
      onu_status: "LOS",
      last_status_change: "2026-07-10 08:00:00",
      response_code: "success",
    });
    const signal = await f.json("onu/get_onu_signal/TPLG2A561D98");
    assert.deepEqual(signal.body, {
      status: true,
      response_code: "success",
      onu_signal: "Warning",
      onu_signal_value: "-24.95 dBm / -30.46 dBm (1447m)",
      onu_signal_1310: "-30.46 dBm",
      onu_signal_1490: "-24.95 dBm",
    });
    const los = await f.json("onu/get_onu_signal/HWTC0113B892");
    assert.deepEqual([los.body.onu_signal, los.body.onu_signal_value, los.body.onu_signal_1490], ["-", "-", "-"]);
  });

  test("get_onus_details_by_sn: onus array", async () => {
    const { body } = await f.json("onu/get_onus_details_by_sn/ZTEG00000001");
    assert.equal(body.status, true);
    assert.equal(body.onus.length, 1);
    assert.equal(body.onus[0].olt_name, "NORTE-ZTE");
    assert.equal(Object.keys(body.onus[0]).length, 81);
  });

  test("unknown external id or SN or OLT: 4xx with {status:false, error}", async () => {
    const paths = [
      "onu/get_onu_details/NOPE",
      "onu/get_onu_status/NOPE",
      "onu/get_onu_signal/NOPE",
      "onu/get_onus_details_by_sn/NOPE",
      "system/get_olt_pon_ports_details/9",
    ];
    for (const path of paths) {
      const { res, body } = await f.json(path);
      assert.ok(res.status >= 400 && res.status < 500, path);
      assert.equal(body.status, false, path);
      assert.equal(typeof body.error, "string", path);
    }
  });

  test("reboot takes the ONU offline, then back online on the lab clock; resync answers", async () => {
    const world = f.ctx.scenario.smartolt;
    world.onus.push(makeOnu({ externalId: "REBOOTME0001", onu: 9 }));
    try {
      const form = { method: "POST", headers: { "X-Token": TOKEN, "Content-Type": "application/x-www-form-urlencoded" }, body: "" };
      const reboot = await f.json("onu/reboot/REBOOTME0001", form);
      assert.equal(reboot.res.status, 200);
      assert.equal(reboot.body.status, true);
      const down = await f.json("onu/get_onu_status/REBOOTME0001");
      assert.deepEqual([down.body.onu_status, down.body.last_status_change], ["Offline", "2026-07-10 09:00:00"]);
      assert.equal((await f.json("onu/reboot/REBOOTME0001", form)).res.status, 400, "an offline ONU cannot be rebooted");
      f.ctx.clock.advance(61_000);
      const up = await f.json("onu/get_onu_status/REBOOTME0001");
      assert.deepEqual([up.body.onu_status, up.body.last_status_change], ["Online", "2026-07-10 09:01:00"]);
      const multipart = new FormData();
      multipart.set("note", "x");
      const resync = await f.json("onu/resync_config/REBOOTME0001", { method: "POST", headers: { "X-Token": TOKEN }, body: multipart });
      assert.deepEqual([resync.res.status, resync.body.status], [200, true]);
    } finally {
      world.onus.pop();
    }
  });
});

describe("system endpoints", () => {
  test("get_olts, get_zones, get_odbs: list envelopes with string ids", async () => {
    const olts = await f.json("system/get_olts");
    assert.deepEqual(olts.body.response[0], {
      id: "1",
      name: "HAWEI",
      olt_hardware_version: "Huawei-MA5608T",
      ip: "10.0.0.2",
      telnet_port: "23",
      snmp_port: "161",
    });
    assert.equal(olts.body.response_code, "success");
    const zones = await f.json("system/get_zones");
    assert.deepEqual(zones.body.response[1], { id: "2", name: "Norte", imported_date: null, imported_from_olt: null });
    const odbs = await f.json("system/get_odbs");
    assert.deepEqual(odbs.body.response[0], {
      id: "1",
      name: "NAP-01",
      ports: "8",
      latitude: null,
      longitude: null,
      zone_id: "1",
      zone_name: "Centro",
    });
    assert.deepEqual((await f.json("system/get_odbs/2")).body.response.map((o: { name: string }) => o.name), ["NAP-02"]);
  });

  test("get_olt_pon_ports_details and get_outage_pons are derived from the ONUs", async () => {
    const ports = await f.json("system/get_olt_pon_ports_details/1");
    assert.equal(ports.body.status, true);
    assert.deepEqual(
      ports.body.response.map((p: Record<string, unknown>) => [p.board, p.pon_port, p.onus_count, p.online_onus_count, p.average_signal]),
      [
        ["0", "0", 3, 2, -31.78],
        ["0", "1", 2, 0, null],
      ],
    );
    const outages = await f.json("system/get_outage_pons/1");
    assert.deepEqual(outages.body.response, [
      {
        olt_id: "1",
        olt_name: "HAWEI",
        board: "0",
        port: "1",
        pon_description: "",
        total_onus: "2",
        cause: "LOS",
        los_count: "1",
        power_count: "1",
        latest_status_change: "2026-07-10 08:05:00",
      },
    ]);
    assert.deepEqual((await f.json("system/get_outage_pons/2")).body.response, []);
  });
});

describe("auth and unknown methods", () => {
  test("missing or wrong X-Token: 403 {status:false,error}", async () => {
    const attempts: Array<Record<string, string>> = [{}, { "X-Token": "wrong" }, { Authorization: `Bearer ${TOKEN}` }];
    for (const headers of attempts) {
      const { res, body } = await f.json("onu/get_onus_statuses", { headers });
      assert.equal(res.status, 403);
      assert.equal(body.status, false);
      assert.equal(typeof body.error, "string");
    }
  });

  test("unknown path or wrong verb: 405 Unknown method", async () => {
    const cases: Array<[string, RequestInit | undefined]> = [
      ["onu/get_onus", undefined],
      ["signals/get_signal_levels", undefined],
      ["onu/get_onu_statuses?olt_id=1", undefined], // §5.14: a real client's typo
      ["onu/get_onu_details", undefined],
      ["onu/get_onus_statuses/extra", undefined],
      ["onu/reboot/TPLG2A561D98", undefined],
      ["onu/get_onus_statuses", { method: "POST", headers: { "X-Token": TOKEN }, body: "a=1" }],
      ["onu/delete/TPLG2A561D98", { method: "DELETE", headers: { "X-Token": TOKEN } }],
    ];
    for (const [path, init] of cases) {
      const { res, body } = await f.json(path, init);
      assert.equal(res.status, 405, path);
      assert.deepEqual(body, { status: false, error: "Unknown method" }, path);
    }
    const outside = await fetch(f.sim.url.replace(/\/api$/, "/onu/get_onus_statuses"), { headers: { "X-Token": TOKEN } });
    assert.equal(outside.status, 405);
    await outside.body?.cancel();
  });
});

test("100,000 ONUs: every status in one answer, and a deep details page (its speed: npm run bench -- timing)", async () => {
  const big = makeScenario();
  big.smartolt.rateLimits = { hourly: 1000, perSecond: 100, burst: 100 };
  const template = big.smartolt.onus[0]!;
  big.smartolt.onus = Array.from({ length: 100_000 }, (_, i) => ({
    ...template,
    externalId: `BIG${String(i).padStart(9, "0")}`,
    onu: i % 128,
    lastStatusChange: new Date(Date.UTC(2026, 0, 1) + i * 97_000).toISOString(),
  }));
  const g = await startFixture(big);
  try {
    const statuses = await g.json("onu/get_onus_statuses");
    assert.equal(statuses.body.response.length, 100_000);
    const page = await g.json("onu/get_all_onus_details?page=900&page_size=100");
    assert.deepEqual([page.body.onus.length, page.body.total_pages], [100, 1000]);
    assert.equal(page.body.onus[0].unique_external_id, "BIG000089900");
  } finally {
    await g.sim.close();
  }
});
