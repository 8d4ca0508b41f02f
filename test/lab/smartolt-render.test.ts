import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Onu } from "../../lab/scenario/types.js";
import { renderOnuRecord } from "../../lab/smartolt/render-record.js";
import { createRenderContext, formatDbm, signalCategory } from "../../lab/smartolt/render.js";
import { createZonedTime } from "../../lab/smartolt/zoned-time.js";
import { makeOnu, makeWorld } from "./smartolt-fixture.js";

describe("signal rendering", () => {
  test("formatDbm", () => {
    const cases: Array<[number | null, string]> = [
      [-24.95, "-24.95 dBm"],
      [-30, "-30.00 dBm"],
      [-7.125, "-7.13 dBm"],
      [null, "-"],
      [Number.NaN, "-"],
    ];
    for (const [dbm, wire] of cases) assert.equal(formatDbm(dbm), wire, String(dbm));
  });

  test("signalCategory: default thresholds, worse side decides, no reading unless Online", () => {
    const cases: Array<[Partial<Onu>, string]> = [
      [{ rxDbm: -20, oltRxDbm: -29.99 }, "Very good"],
      [{ rxDbm: -20, oltRxDbm: -30 }, "Warning"],
      [{ rxDbm: -24.95, oltRxDbm: -30.46 }, "Warning"],
      [{ rxDbm: -20, oltRxDbm: -31.99 }, "Warning"],
      [{ rxDbm: -20, oltRxDbm: -32 }, "Critical"],
      [{ rxDbm: -31, oltRxDbm: -25 }, "Warning"],
      [{ rxDbm: -27, oltRxDbm: null }, "Very good"],
      [{ rxDbm: null, oltRxDbm: null }, "-"],
      [{ status: "LOS", rxDbm: -20, oltRxDbm: -20 }, "-"],
      [{ status: "Power fail", rxDbm: -20, oltRxDbm: -20 }, "-"],
      [{ status: "Admin Disabled", rxDbm: -20, oltRxDbm: -20 }, "-"],
    ];
    for (const [over, category] of cases) {
      assert.equal(signalCategory(makeOnu({ externalId: "X", ...over })), category, JSON.stringify(over));
    }
  });
});

describe("zoned time", () => {
  const time = createZonedTime();
  const intl = (ms: number, timeZone: string): string =>
    new Intl.DateTimeFormat("sv-SE", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    }).format(ms);

  test("formats wall time without offset, across DST changes", () => {
    const cases: Array<[string, string, string]> = [
      ["2026-07-08T14:36:33Z", "America/Argentina/Buenos_Aires", "2026-07-08 11:36:33"],
      ["2026-07-08T14:36:33Z", "America/Lima", "2026-07-08 09:36:33"],
      ["2026-03-29T00:59:59Z", "Europe/Madrid", "2026-03-29 01:59:59"],
      ["2026-03-29T01:00:00Z", "Europe/Madrid", "2026-03-29 03:00:00"],
      ["2026-10-25T00:30:00Z", "Europe/Madrid", "2026-10-25 02:30:00"],
      ["2026-10-25T01:30:00Z", "Europe/Madrid", "2026-10-25 02:30:00"],
      ["2026-01-01T00:00:00Z", "Asia/Kathmandu", "2026-01-01 05:45:00"],
      ["2026-01-01T03:00:00Z", "UTC", "2026-01-01 03:00:00"],
    ];
    for (const [iso, tz, wire] of cases) assert.equal(time.format(Date.parse(iso), tz), wire, `${iso} ${tz}`);
  });

  test("agrees with Intl over a year of instants in a DST zone", () => {
    const start = Date.UTC(2026, 0, 1);
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 3_917_000) {
      assert.equal(time.format(ms, "America/Santiago"), intl(ms, "America/Santiago"));
    }
  });

  test("parses account-local wall time back to the instant", () => {
    assert.equal(time.parse("2026-07-09 12:30:00", "America/Argentina/Buenos_Aires"), Date.parse("2026-07-09T15:30:00Z"));
    assert.equal(time.parse("2026-07-09 12:30:00", "Europe/Madrid"), Date.parse("2026-07-09T10:30:00Z"));
    assert.equal(time.parse("2026-01-09 12:30:00", "Europe/Madrid"), Date.parse("2026-01-09T11:30:00Z"));
    for (const bad of ["2026-02-30 10:00:00", "2026-07-09T12:30:00", "2026-07-09", "2026-07-09 24:00:00", ""]) {
      assert.equal(time.parse(bad, "UTC"), undefined, bad);
    }
  });
});

test("the detail record carries exactly the 81 documented fields (§2.2)", () => {
  const documented = `unique_external_id, pon_type, gpon_channel, sn, olt_id, olt_name, board, port, onu,
onu_type_id, onu_type_name, zone_id, zone_name, name, address, contact, odb_name, odb_port,
mode, wan_mode, vlan, ip_address, subnet_mask, default_gateway, dns1, dns2, username, password,
mgmt_ip_mode, mgmt_ip_address, mgmt_ip_subnet_mask, mgmt_ip_default_gateway, mgmt_ip_dns1, mgmt_ip_dns2,
mgmt_ip_vlan, mgmt_ip_cvlan, mgmt_ip_svlan, mgmt_ip_tag_transform_mode, mgmt_ip_service_port,
voip_service, voip_ip_mode, voip_ip_address, voip_ip_subnet_mask, voip_ip_default_gateway, voip_ip_dns1, voip_ip_dns2,
voip_ip_vlan, voip_ip_cvlan, voip_ip_svlan, voip_ip_tag_transform_mode, voip_ip_service_port,
iptv, iptv_vlan, iptv_cvlan, iptv_svlan, iptv_tag_transform_mode, iptv_service_port, iptv_upload_speed, iptv_download_speed,
iptv_allowed_macs, iptv_filtered_macs, custom_template_name, tr069, tr069_profile, tr069_device_id, catv,
administrative_status, authorization_date, is_synced_after_import, is_failed_resync_config,
status, last_status_change, signal, signal_1310, signal_1490, latitude, longitude,
service_ports, ethernet_ports, wifi_ports, voip_ports`
    .split(/[\s,]+/)
    .filter(Boolean);
  assert.equal(documented.length, 81);
  const world = makeWorld();
  const record = renderOnuRecord(world.onus[0]!, createRenderContext(world, createZonedTime()));
  assert.deepEqual(Object.keys(record), documented);
  for (const [key, value] of Object.entries(record)) {
    assert.ok(typeof value !== "number" && typeof value !== "boolean", `${key} must not be a bare number or boolean`);
  }
});
