import { Migration } from "@mikro-orm/migrations";

/**
 * The inventory cache: one table per vendor entity, the joined `subscriber` view with its FTS5
 * index, status and signal history, and sync bookkeeping. Instants are integer milliseconds since
 * the epoch (what MikroORM's datetime maps to on SQLite); booleans are 0/1.
 */
export class Migration0002Inventory extends Migration {
  override async up(): Promise<void> {
    for (const sql of STATEMENTS) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of [
      "subscriber_fts",
      "subscriber",
      "sync_lock",
      "source_state",
      "sync_run",
      "onu_signal_sample",
      "onu_status_event",
      "ppp_secret",
      "onu",
      "router",
      "connection",
      "plan",
      "customer",
    ]) {
      this.addSql(`drop table if exists \`${table}\`;`);
    }
  }
}

const STATEMENTS = [
  `create table customer (
    id integer primary key, code text not null, name text not null, doc_number text, address text, city text,
    status text not null, status_raw text not null, debt text not null, due_debt text not null,
    phones text not null default '[]', emails text not null default '[]',
    blocked_at integer, created_at integer, deleted integer not null default 0)`,
  "create index customer_code on customer (code)",
  `create table plan (
    id integer primary key, name text not null, download_kbps integer not null, upload_kbps integer not null, price text not null)`,
  `create table connection (
    id integer primary key, customer_id integer not null, plan_id integer, node_id integer, kind text not null,
    pppoe_user text, address text, ip text, deleted integer not null default 0)`,
  "create index connection_pppoe_user on connection (pppoe_user)",
  "create index connection_customer on connection (customer_id)",
  `create table router (
    node_id integer primary key, name text not null, host text not null, port integer not null, type text not null)`,
  `create table onu (
    external_id text primary key, serial text not null, olt_id text not null, olt_name text not null,
    board integer, port integer, onu_index integer, zone_id text, zone_name text, odb_name text,
    name text not null, address text, pppoe_user text, status text not null, admin_enabled integer not null,
    last_status_change integer, rx_power_dbm real, olt_rx_power_dbm real, signal_category text not null,
    vlans text not null default '[]', onu_type text not null, mode text not null, distance_m integer,
    status_observed_at integer not null, signal_observed_at integer not null)`,
  "create index onu_pppoe_user on onu (pppoe_user)",
  "create index onu_serial on onu (serial)",
  "create index onu_pon on onu (olt_id, board, port)",
  "create index onu_odb on onu (odb_name)",
  `create table ppp_secret (
    router_node_id integer not null, name text not null, profile text not null, service text not null,
    disabled integer not null, remote_address text, caller_id text, last_logged_out integer,
    last_caller_id text, last_disconnect_reason text, comment text,
    primary key (router_node_id, name))`,
  "create index ppp_secret_name on ppp_secret (name)",
  // `at` is when a status refresh saw the change (retention runs on it); `changed_at` is SmartOLT's own time.
  `create table onu_status_event (
    id integer primary key autoincrement, external_id text not null, at integer not null, changed_at integer,
    status text not null, previous_status text)`,
  "create index onu_status_event_onu on onu_status_event (external_id, at)",
  "create index onu_status_event_at on onu_status_event (at)",
  `create table onu_signal_sample (
    id integer primary key autoincrement, external_id text not null, at integer not null,
    rx_power_dbm real, olt_rx_power_dbm real)`,
  "create index onu_signal_sample_onu on onu_signal_sample (external_id, at)",
  "create index onu_signal_sample_at on onu_signal_sample (at)",
  `create table sync_run (
    id text primary key, job text not null, started_at integer not null, finished_at integer,
    outcome text not null, sources text not null default '[]')`,
  "create index sync_run_job on sync_run (job, started_at)",
  `create table source_state (
    source text primary key, last_attempt_at integer, last_success_at integer, stale integer not null default 0,
    error text, counts text not null default '{}')`,
  "create table sync_lock (name text primary key, owner text not null, expires_at integer not null)",
  `create table subscriber (
    pppoe_user text primary key, customer_id integer, customer_code text, customer_name text, doc_number text,
    doc_digits text, address text, phones text, onu_external_id text, onu_serial text, mac text, mac_key text,
    router_node_id integer, in_ispcube integer not null, in_smartolt integer not null, in_routeros integer not null)`,
  "create index subscriber_doc_digits on subscriber (doc_digits)",
  "create index subscriber_onu_serial on subscriber (onu_serial)",
  "create index subscriber_mac_key on subscriber (mac_key)",
  "create index subscriber_customer_code on subscriber (customer_code)",
  // External-content FTS5 over subscriber: rebuilt in the same transaction as every inventory write.
  `create virtual table subscriber_fts using fts5(
    pppoe_user, customer_name, address, doc_digits, phones, onu_serial, mac_key,
    content='subscriber', tokenize='unicode61 remove_diacritics 2')`,
];
