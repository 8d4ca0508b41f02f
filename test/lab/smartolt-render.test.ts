import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Onu } from "../../lab/scenario/types.js";
import { renderOnuRecord } from "../../lab/smartolt/render-record.js";
import { createRenderContext, formatDbm, signalCategory } from "../../lab/smartolt/render.js";
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
  const record = renderOnuRecord(world.onus[0]!, createRenderContext(world));
  assert.deepEqual(Object.keys(record), documented);
  for (const [key, value] of Object.entries(record)) {
    assert.ok(typeof value !== "number" && typeof value !== "boolean", `${key} must not be a bare number or boolean`);
  }
});
