import { Migration } from "@mikro-orm/migrations";

export class Migration0001ApiKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table \`api_key\` (
      \`id\` integer not null primary key autoincrement,
      \`key_id\` text not null,
      \`name\` text not null,
      \`scopes\` text not null,
      \`secret_hash\` text not null,
      \`created_at\` datetime not null,
      \`revoked_at\` datetime null
    );`);
    this.addSql("create unique index `api_key_key_id_unique` on `api_key` (`key_id`);");
    this.addSql("create unique index `api_key_name_unique` on `api_key` (`name`);");
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `api_key`;");
  }
}
