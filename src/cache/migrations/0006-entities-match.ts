import { Migration } from "@mikro-orm/migrations";

/**
 * The cache tables exactly as their entities describe them (src/cache/entities/), so MikroORM's schema
 * diff is empty after migrating (test/cache/schema.test.ts): primary keys NOT NULL, instants `datetime`
 * (still integer milliseconds: MikroORM stores a Date that way on SQLite), no SQL defaults the writer
 * never relies on, and `stage_*` tables with their table's columns and primary key. Each table is
 * rebuilt and its rows copied; the staging tables hold scratch data and are only recreated. The
 * statements are MikroORM's own `getCreateSchemaSQL()` output for the entities.
 */
export class Migration0006EntitiesMatch extends Migration {
  override async up(): Promise<void> {
    for (const [create = "", ...indexes] of TABLES) {
      const table = tableOf(create);
      for (const index of indexes.map(indexOf)) this.addSql(`drop index if exists \`${index}\`;`);
      if (table.startsWith("stage_")) {
        this.addSql(`drop table if exists \`${table}\`;`);
        this.addSql(create);
      } else {
        const columns = columnsOf(create);
        this.addSql(`alter table \`${table}\` rename to \`old_${table}\`;`);
        this.addSql(create);
        this.addSql(`insert into \`${table}\` (${columns}) select ${columns} from \`old_${table}\`;`);
        this.addSql(`drop table \`old_${table}\`;`);
      }
      for (const index of indexes) this.addSql(index);
    }
    // The FTS index is external content over subscriber's rowids, which the copy renumbered.
    this.addSql("insert into subscriber_fts(subscriber_fts) values ('rebuild');");
  }
}

const tableOf = (create: string): string => /^create table `(\w+)`/.exec(create)?.[1] ?? "";
/** Migration 0002 created these indexes under the same names: they go before the table is renamed. */
const indexOf = (sql: string): string => /index `(\w+)`/.exec(sql)?.[1] ?? sql;
const columnsOf = (create: string): string =>
  [...create.matchAll(/[(,] ?`(\w+)` (?:integer|text|datetime|double)/g)].map((m) => `\`${m[1]}\``).join(", ");

const TABLES: string[][] = [
  [
    "create table `connection` (`id` integer not null, `customer_id` integer not null, `plan_id` integer null, `node_id` integer null, `kind` text not null, `pppoe_user` text null, `address` text null, `ip` text null, `deleted` integer not null, primary key (`id`));",
    "create index `connection_pppoe_user` on `connection` (`pppoe_user`);",
    "create index `connection_customer` on `connection` (`customer_id`);",
  ],
  [
    "create table `customer` (`id` integer not null, `code` text not null, `name` text not null, `doc_number` text null, `address` text null, `city` text null, `status` text not null, `status_raw` text not null, `debt` text not null, `due_debt` text not null, `phones` text not null, `emails` text not null, `blocked_at` datetime null, `created_at` datetime null, `deleted` integer not null, primary key (`id`));",
    "create index `customer_code` on `customer` (`code`);",
  ],
  [
    "create table `onu` (`external_id` text not null, `serial` text not null, `olt_id` text not null, `olt_name` text not null, `board` integer null, `port` integer null, `onu_index` integer null, `zone_id` text null, `zone_name` text null, `odb_name` text null, `name` text not null, `address` text null, `pppoe_user` text null, `status` text not null, `admin_enabled` integer not null, `last_status_change` datetime null, `rx_power_dbm` double null, `olt_rx_power_dbm` double null, `signal_category` text not null, `vlans` text not null, `onu_type` text not null, `mode` text not null, `distance_m` integer null, `status_observed_at` datetime not null, `signal_observed_at` datetime not null, primary key (`external_id`));",
    "create index `onu_pppoe_user` on `onu` (`pppoe_user`);",
    "create index `onu_serial` on `onu` (`serial`);",
    "create index `onu_pon` on `onu` (`olt_id`, `board`, `port`);",
    "create index `onu_odb` on `onu` (`odb_name`);",
  ],
  [
    "create table `onu_signal_sample` (`id` integer not null primary key autoincrement, `external_id` text not null, `at` datetime not null, `rx_power_dbm` double null, `olt_rx_power_dbm` double null);",
    "create index `onu_signal_sample_onu` on `onu_signal_sample` (`external_id`, `at`);",
    "create index `onu_signal_sample_at` on `onu_signal_sample` (`at`);",
  ],
  [
    "create table `onu_status_event` (`id` integer not null primary key autoincrement, `external_id` text not null, `at` datetime not null, `changed_at` datetime null, `status` text not null, `previous_status` text null);",
    "create index `onu_status_event_onu` on `onu_status_event` (`external_id`, `at`);",
    "create index `onu_status_event_at` on `onu_status_event` (`at`);",
  ],
  [
    "create table `plan` (`id` integer not null, `name` text not null, `download_kbps` integer not null, `upload_kbps` integer not null, `price` text not null, primary key (`id`));",
  ],
  [
    "create table `ppp_secret` (`router_node_id` integer not null, `name` text not null, `profile` text not null, `service` text not null, `disabled` integer not null, `remote_address` text null, `caller_id` text null, `last_logged_out` datetime null, `last_caller_id` text null, `last_disconnect_reason` text null, `comment` text null, primary key (`router_node_id`, `name`));",
    "create index `ppp_secret_name` on `ppp_secret` (`name`);",
  ],
  [
    "create table `router` (`node_id` integer not null, `name` text not null, `host` text not null, `port` integer not null, `type` text not null, primary key (`node_id`));",
  ],
  [
    "create table `source_state` (`source` text not null, `last_attempt_at` datetime null, `last_success_at` datetime null, `stale` integer not null, `error` text null, `counts` text not null, primary key (`source`));",
  ],
  [
    "create table `stage_connection` (`id` integer not null, `customer_id` integer not null, `plan_id` integer null, `node_id` integer null, `kind` text not null, `pppoe_user` text null, `address` text null, `ip` text null, `deleted` integer not null, primary key (`id`));",
  ],
  [
    "create table `stage_customer` (`id` integer not null, `code` text not null, `name` text not null, `doc_number` text null, `address` text null, `city` text null, `status` text not null, `status_raw` text not null, `debt` text not null, `due_debt` text not null, `phones` text not null, `emails` text not null, `blocked_at` datetime null, `created_at` datetime null, `deleted` integer not null, primary key (`id`));",
  ],
  [
    "create table `stage_onu` (`external_id` text not null, `serial` text not null, `olt_id` text not null, `olt_name` text not null, `board` integer null, `port` integer null, `onu_index` integer null, `zone_id` text null, `zone_name` text null, `odb_name` text null, `name` text not null, `address` text null, `pppoe_user` text null, `status` text not null, `admin_enabled` integer not null, `last_status_change` datetime null, `rx_power_dbm` double null, `olt_rx_power_dbm` double null, `signal_category` text not null, `vlans` text not null, `onu_type` text not null, `mode` text not null, `distance_m` integer null, `status_observed_at` datetime not null, `signal_observed_at` datetime not null, primary key (`external_id`));",
  ],
  [
    "create table `stage_ppp_secret` (`router_node_id` integer not null, `name` text not null, `profile` text not null, `service` text not null, `disabled` integer not null, `remote_address` text null, `caller_id` text null, `last_logged_out` datetime null, `last_caller_id` text null, `last_disconnect_reason` text null, `comment` text null, primary key (`router_node_id`, `name`));",
  ],
  [
    "create table `subscriber` (`pppoe_user` text not null, `customer_id` integer null, `customer_code` text null, `customer_name` text null, `doc_number` text null, `doc_digits` text null, `address` text null, `phones` text null, `onu_external_id` text null, `onu_serial` text null, `mac` text null, `mac_key` text null, `router_node_id` integer null, `in_ispcube` integer not null, `in_smartolt` integer not null, `in_routeros` integer not null, primary key (`pppoe_user`));",
    "create index `subscriber_doc_digits` on `subscriber` (`doc_digits`);",
    "create index `subscriber_onu_serial` on `subscriber` (`onu_serial`);",
    "create index `subscriber_mac_key` on `subscriber` (`mac_key`);",
    "create index `subscriber_customer_code` on `subscriber` (`customer_code`);",
  ],
  [
    "create table `sync_lock` (`name` text not null, `owner` text not null, `expires_at` datetime not null, primary key (`name`));",
  ],
  [
    "create table `sync_run` (`id` text not null, `job` text not null, `started_at` datetime not null, `finished_at` datetime null, `outcome` text not null, `sources` text not null, primary key (`id`));",
    "create index `sync_run_job` on `sync_run` (`job`, `started_at`);",
  ],
];
