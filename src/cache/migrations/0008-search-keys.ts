import { Migration } from "@mikro-orm/migrations";

/**
 * What agents type (issue 10): phones in any Argentine form, a CUIT holding the DNI, a serial's hex
 * tail, an e-mail. `subscriber.phones` now holds each phone's 10 national digits (search-keys.ts)
 * instead of its digits as typed; `subscriber.connection_id` joins the plan and node; the exact keys
 * go to `subscriber_key`; `ppp_session` holds the sessions the status job saw up on each router. openOrm rebuilds the join after this migration (with the functions the
 * join calls, in whatever shape later migrations give the table), so a cache does not wait for the
 * next sync. `subscriber_key` is WITHOUT ROWID: its primary key is the whole row, and a rowid table
 * would write every key twice (table and key index).
 */
export class Migration0008SearchKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql("alter table `subscriber` add column `connection_id` integer null;");
    this.addSql(
      "create table `ppp_session` (`router_node_id` integer not null, `name` text not null, primary key (`router_node_id`, `name`));",
    );
    this.addSql(
      "create table `subscriber_key` (`key` text not null, `pppoe_user` text not null, `field` text not null, primary key (`key`, `pppoe_user`, `field`)) without rowid;",
    );
  }
}
