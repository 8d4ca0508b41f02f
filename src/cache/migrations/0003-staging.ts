import { Migration } from "@mikro-orm/migrations";

/**
 * Staging tables for the sync: a source's pages are written here as they arrive (so a 100,000-row
 * inventory never sits in memory), then swapped into the real table in one transaction. Same
 * columns as their tables, no constraints: they only ever hold one run's scratch data.
 */
export class Migration0003Staging extends Migration {
  override async up(): Promise<void> {
    for (const table of STAGED) this.addSql(`create table stage_${table} as select * from ${table} where 0;`);
  }

  override async down(): Promise<void> {
    for (const table of STAGED) this.addSql(`drop table if exists stage_${table};`);
  }
}

export const STAGED = ["customer", "connection", "onu", "ppp_secret"] as const;
