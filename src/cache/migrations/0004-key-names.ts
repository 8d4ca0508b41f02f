import { Migration } from "@mikro-orm/migrations";

/** A key's name is unique among active keys only: a revoked key's name can be issued again (rotation). */
export class Migration0004KeyNames extends Migration {
  override async up(): Promise<void> {
    this.addSql("drop index if exists `api_key_name_unique`;");
    this.addSql("create unique index `api_key_active_name_unique` on `api_key` (`name`) where `revoked_at` is null;");
  }

  override async down(): Promise<void> {
    this.addSql("drop index if exists `api_key_active_name_unique`;");
    this.addSql("create unique index `api_key_name_unique` on `api_key` (`name`);");
  }
}
