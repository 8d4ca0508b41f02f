import { Migration } from "@mikro-orm/migrations";

/**
 * The ONU ↔ PPPoE link becomes a decision (SMARTOLT_ONU_LINK): `onu.username` keeps what SmartOLT
 * says the ONU carries, `onu.pppoe_user` what the join linked it to, `onu.link_via` by which field.
 * Rows cached before this were linked by username only, which is what they keep until the next rebuild.
 * Also: routers are told apart by host and port, so their freshness rows are keyed that way.
 */
export class Migration0007OnuLink extends Migration {
  override async up(): Promise<void> {
    for (const table of ["onu", "stage_onu"]) {
      this.addSql(`alter table \`${table}\` add column \`username\` text null;`);
      this.addSql(`alter table \`${table}\` add column \`link_via\` text null;`);
    }
    this.addSql("update `onu` set `username` = `pppoe_user`, `link_via` = case when `pppoe_user` is null then null else 'username' end;");
    // Per-router freshness is kept by address now ("router:host:port", not "router:<node id>"); the
    // old rows would otherwise stay stale forever. The next inventory records every router again.
    this.addSql("delete from `source_state` where `source` like 'router:%';");
  }
}
