import { Migration } from "@mikro-orm/migrations";

const COLUMNS = "pppoe_user, customer_name, address, doc_digits, phones, onu_serial, mac_key";

/**
 * Prefix indexes for the subscriber search: an agent's query is matched by word prefix, and without
 * them a short prefix merges thousands of terms (every PPPoE user is a term of its own). With 3 to
 * 6 character prefixes indexed, `mar*` at 100,000 subscribers went from 1.3 ms to 0.09 ms
 * (docs/BENCHMARKS.md); the index costs about a second more per rebuild.
 */
export class Migration0005FtsPrefixes extends Migration {
  override async up(): Promise<void> {
    this.addSql("drop table if exists subscriber_fts;");
    this.addSql(`create virtual table subscriber_fts using fts5(${COLUMNS},
      content='subscriber', tokenize='unicode61 remove_diacritics 2', prefix='3 4 5 6');`);
    this.addSql("insert into subscriber_fts(subscriber_fts) values ('rebuild');");
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists subscriber_fts;");
    this.addSql(`create virtual table subscriber_fts using fts5(${COLUMNS},
      content='subscriber', tokenize='unicode61 remove_diacritics 2');`);
    this.addSql("insert into subscriber_fts(subscriber_fts) values ('rebuild');");
  }
}
