import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MikroORM } from "@mikro-orm/better-sqlite";
import { Migrator } from "@mikro-orm/migrations";
import type { Logger } from "../logger.js";
import { ApiKeySchema } from "./entities/api-key.js";
import { Migration0001ApiKeys } from "./migrations/0001-api-keys.js";

export type Orm = MikroORM;

/** Migrations in the order they apply; checked in, never generated at start-up. */
const MIGRATIONS = [{ name: "0001-api-keys", class: Migration0001ApiKeys }];

/**
 * Opens the cache database (SQLite through MikroORM's better-sqlite3 driver), switches it to WAL so
 * readers never wait for a sync's writes, and applies pending migrations.
 */
export async function openOrm(path: string, logger: Logger): Promise<Orm> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const orm = await MikroORM.init({
    dbName: path,
    entities: [ApiKeySchema],
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, snapshot: false, silent: true },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
  });
  const connection = orm.em.getConnection();
  await connection.execute("pragma journal_mode = WAL");
  await connection.execute("pragma synchronous = NORMAL");
  await connection.execute("pragma busy_timeout = 5000");
  const applied = await orm.getMigrator().up();
  if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, "cache migrated");
  return orm;
}
