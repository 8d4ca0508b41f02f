import type { Onu } from "../scenario/types.js";
import { formatDbm, formatInstant, readings, signalCategory, type RenderContext } from "./render.js";

/**
 * The 81-field ONU record of `get_all_onus_details` and `get_onus_details_by_sn`
 * (shared/vendors/smartolt.md §2.2 field list). The scenario models the fields a diagnosis needs; the
 * rest are constants for a plain GPON PPPoE install: no management IP, no VoIP, no IPTV, no TR-069.
 */
export function renderOnuRecord(onu: Onu, rc: RenderContext): Record<string, unknown> {
  const { rx, oltRx } = readings(onu);
  const odb = onu.odbId === null ? undefined : rc.odbs.get(onu.odbId);
  const vlan = String(onu.vlan);
  const routing = onu.mode === "Routing";
  return {
    unique_external_id: onu.externalId,
    pon_type: "gpon",
    gpon_channel: "gpon",
    sn: onu.sn,
    olt_id: String(onu.oltId),
    olt_name: rc.olts.get(onu.oltId)?.name ?? "",
    board: String(onu.board),
    port: String(onu.port),
    onu: String(onu.onu),
    onu_type_id: onuTypeId(onu.onuType),
    onu_type_name: onu.onuType,
    zone_id: String(onu.zoneId),
    zone_name: rc.zones.get(onu.zoneId)?.name ?? "",
    name: onu.name,
    address: onu.address,
    contact: "",
    odb_name: odb?.name ?? "",
    odb_port: onu.odbPort === undefined || onu.odbPort === null ? null : String(onu.odbPort),
    mode: onu.mode,
    wan_mode: onu.username ? "PPPoE" : "DHCP",
    vlan,
    ip_address: null,
    subnet_mask: null,
    default_gateway: null,
    dns1: null,
    dns2: null,
    // §2.3: integrators index ONUs by this field; null for bridged ONUs (the router dials PPPoE).
    username: onu.username,
    // The scenario keeps PPPoE passwords on ISPCube and the router only; SmartOLT's copy is masked here.
    password: onu.username ? "********" : null,
    mgmt_ip_mode: "Inactive",
    mgmt_ip_address: null,
    mgmt_ip_subnet_mask: null,
    mgmt_ip_default_gateway: null,
    mgmt_ip_dns1: null,
    mgmt_ip_dns2: null,
    mgmt_ip_vlan: null,
    mgmt_ip_cvlan: null,
    mgmt_ip_svlan: null,
    mgmt_ip_tag_transform_mode: null,
    mgmt_ip_service_port: null,
    voip_service: "Disabled",
    voip_ip_mode: null,
    voip_ip_address: null,
    voip_ip_subnet_mask: null,
    voip_ip_default_gateway: null,
    voip_ip_dns1: null,
    voip_ip_dns2: null,
    voip_ip_vlan: null,
    voip_ip_cvlan: null,
    voip_ip_svlan: null,
    voip_ip_tag_transform_mode: null,
    voip_ip_service_port: null,
    iptv: "Disabled",
    iptv_vlan: null,
    iptv_cvlan: null,
    iptv_svlan: null,
    iptv_tag_transform_mode: null,
    iptv_service_port: null,
    iptv_upload_speed: null,
    iptv_download_speed: null,
    iptv_allowed_macs: null,
    iptv_filtered_macs: null,
    custom_template_name: null,
    tr069: "Disabled",
    tr069_profile: null,
    tr069_device_id: null,
    catv: "Disabled",
    administrative_status: onu.administrativeStatus,
    authorization_date: formatInstant(onu.authorizationDate, rc),
    is_synced_after_import: "1",
    is_failed_resync_config: "0",
    status: onu.status,
    last_status_change: formatInstant(onu.lastStatusChange, rc),
    signal: signalCategory(onu),
    signal_1310: formatDbm(oltRx),
    signal_1490: formatDbm(rx),
    latitude: null,
    longitude: null,
    service_ports: [
      {
        service_port: String(servicePortId(onu)),
        vlan,
        cvlan: "",
        svlan: "",
        tag_transform_mode: "translate",
        upload_speed: "1G",
        download_speed: "1G",
      },
    ],
    ethernet_ports: [
      {
        port: "eth_0/1",
        admin_state: "Enabled",
        mode: routing ? "LAN" : "Access",
        dhcp: routing ? "From ONU" : "No control",
        vlan: routing ? null : vlan,
        allowed_vlans: null,
      },
    ],
    wifi_ports: [],
    voip_ports: [],
  };
}

/** `get_onu_details/{ext}`: the record plus `distance` in metres (§2.3; string like every number [I]). */
export function renderOnuDetails(onu: Onu, rc: RenderContext): Record<string, unknown> {
  const record = renderOnuRecord(onu, rc);
  record.distance = onu.distanceM === undefined ? null : String(Math.round(onu.distanceM));
  return record;
}

/** A stable id per ONU type name: the scenario names types but does not number them. */
function onuTypeId(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return String(1 + (h % 500));
}

/** OLTs number service ports per PON; this keeps them unique per OLT and stable. */
function servicePortId(onu: Onu): number {
  return onu.board * 4096 + onu.port * 128 + onu.onu;
}
