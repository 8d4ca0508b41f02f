import { Migration } from "@mikro-orm/migrations";

export const FTS_COLUMNS = "pppoe_user, customer_name, address, doc_digits, phones, onu_serial, mac_key, emails, search_keys";

/**
 * What agents type (issue 10): phones in any Argentine form, a CUIT holding the DNI, a serial's hex
 * tail, an e-mail. `subscriber.phones` now holds phone keys (search-keys.ts) instead of digits as
 * typed; `emails`, `search_keys` and the connection (plan, node) join it; the FTS index gains the
 * two text columns. openOrm rebuilds the join after this migration (with the functions the join
 * calls, in whatever shape later migrations give the table), so a cache does not wait for the next sync.
 */
export class Migration0008SearchKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql("alter table `subscriber` add column `emails` text null;");
    this.addSql("alter table `subscriber` add column `search_keys` text null;");
    this.addSql("alter table `subscriber` add column `connection_id` integer null;");
    this.addSql("drop table if exists subscriber_fts;");
    this.addSql(`create virtual table subscriber_fts using fts5(${FTS_COLUMNS},
      content='subscriber', tokenize='unicode61 remove_diacritics 2', prefix='3 4 5 6');`);
    this.addSql("insert into subscriber_fts(subscriber_fts) values ('rebuild');");
  }
}
