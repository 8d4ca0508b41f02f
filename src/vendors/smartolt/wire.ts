/**
 * SmartOLT wire shapes (shared/vendors/smartolt.md §1.3, §2, §4). Numbers travel as strings, optical
 * levels as `"-24.95 dBm"` or `"-"`, times as account-local `YYYY-MM-DD HH:MM:SS`. These types never
 * leave src/vendors/smartolt/: parse.ts reads them defensively and returns domain values.
 */

type Str = string;
type Maybe = string | null | undefined;

/** §1.3/§1.4: what every JSON answer may carry besides its payload. */
export interface Envelope {
  status?: boolean;
  response_code?: Str;
  error?: Str;
  message?: Str;
  /** §3: the 429 body seen in a production fixture. */
  retry_after?: number | Str;
}

/** `system/get_*`, `onu/get_onus_statuses`, `onu/get_onus_signals`: rows under `response`. */
export interface ListEnvelope<T> extends Envelope {
  response: T[];
}

/** Paged `onu/get_all_onus_details`: rows under `onus`, page counters beside them, maybe no `status`. */
export interface InventoryPageEnvelope extends Envelope {
  page: number | Str;
  page_size: number | Str;
  total_items: number | Str;
  total_pages: number | Str;
  onus: WireOnuRecord[];
}

export interface OnuDetailsEnvelope extends Envelope {
  onu_details: WireOnuRecord;
}

/** `onu/get_onu_status/{ext}`: flat beside `status`. */
export interface OnuStatusEnvelope extends Envelope {
  onu_status: Str;
  last_status_change?: Maybe;
}

/** `onu/get_onu_signal/{ext}`: flat beside `status`. */
export interface OnuSignalEnvelope extends Envelope {
  onu_signal: Str;
  onu_signal_value?: Maybe;
  onu_signal_1310: Str;
  onu_signal_1490: Str;
}

export interface WireOlt {
  id: Str;
  name: Str;
  olt_hardware_version?: Str;
  ip?: Str;
  telnet_port?: Str;
  snmp_port?: Str;
}

export interface WireZone {
  id: Str;
  name: Str;
  imported_date?: Maybe;
  imported_from_olt?: Maybe;
}

export interface WireOdb {
  id: Str;
  name: Str;
  ports?: Str;
  latitude?: Maybe;
  longitude?: Maybe;
  zone_id?: Maybe;
  zone_name?: Maybe;
}

export interface WireStatusRow {
  unique_external_id: Str;
  sn: Str;
  olt_id: Str;
  board: Str;
  port: Str;
  onu: Str;
  zone_id: Str;
  name?: Str;
  address?: Maybe;
  contact?: Maybe;
  odb_id?: Maybe;
  status: Str;
  last_status_change: Maybe;
}

export interface WireSignalRow {
  unique_external_id: Str;
  sn?: Str;
  olt_id?: Str;
  board?: Str;
  port?: Str;
  onu?: Str;
  zone_id?: Str;
  signal: Str;
  signal_1310: Str;
  signal_1490: Str;
}

export interface WireServicePort {
  service_port?: Str;
  vlan?: Maybe;
  cvlan?: Maybe;
  svlan?: Maybe;
  tag_transform_mode?: Maybe;
  upload_speed?: Maybe;
  download_speed?: Maybe;
}

/** The 81-field inventory record (§2.2); only the fields Beholder reads are listed. */
export interface WireOnuRecord {
  unique_external_id: Str;
  sn: Str;
  olt_id: Str;
  olt_name?: Str;
  board: Str;
  port: Str;
  onu: Str;
  onu_type_name?: Str;
  zone_id?: Maybe;
  zone_name?: Maybe;
  odb_name?: Maybe;
  name?: Str;
  address?: Maybe;
  mode?: Str;
  vlan?: Maybe;
  username?: Maybe;
  administrative_status?: Maybe;
  status: Str;
  last_status_change?: Maybe;
  signal?: Str;
  signal_1310?: Str;
  signal_1490?: Str;
  service_ports?: WireServicePort[];
  /** Only in `get_onu_details/{ext}`, metres. */
  distance?: number | Maybe;
}

/** `system/get_outage_pons/{olt_id}` rows. */
export interface WireOutagePon {
  olt_id: Str;
  olt_name?: Str;
  board: Str;
  port: Str;
  pon_description?: Maybe;
  total_onus?: number | Str;
  cause?: Maybe;
  los_count?: number | Str;
  power_count?: number | Str;
  latest_status_change?: Maybe;
}
