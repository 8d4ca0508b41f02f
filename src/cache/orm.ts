import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MikroORM } from "@mikro-orm/better-sqlite";
import { Migrator } from "@mikro-orm/migrations";
import type Database from "better-sqlite3";
import type { Logger } from "../logger.js";
import { ApiKeySchema } from "./entities/api-key.js";
import { OnuSignalSampleSchema, OnuStatusEventSchema } from "./entities/history.js";
import {
  ConnectionSchema,
  CustomerSchema,
  OnuSchema,
  PlanSchema,
  PppSecretSchema,
  RouterSchema,
  PppSessionSchema,
  SubscriberKeySchema,
  SubscriberSchema,
} from "./entities/inventory.js";
import { StageConnectionSchema, StageCustomerSchema, StageOnuSchema, StagePppSecretSchema } from "./entities/staging.js";
import type { OnuLinkMode } from "../domain/types.js";
import { createSqliteSubscriberIndex, registerSubscriberFunctions } from "./subscribers.js";
import { SourceStateSchema, SyncLockSchema, SyncRunSchema } from "./entities/sync.js";
import { Migration0001ApiKeys } from "./migrations/0001-api-keys.js";
import { Migration0002Inventory } from "./migrations/0002-inventory.js";
import { Migration0003Staging } from "./migrations/0003-staging.js";
import { Migration0004KeyNames } from "./migrations/0004-key-names.js";
import { Migration0005FtsPrefixes } from "./migrations/0005-fts-prefixes.js";
import { Migration0006EntitiesMatch } from "./migrations/0006-entities-match.js";
import { Migration0007OnuLink } from "./migrations/0007-onu-link.js";
import { Migration0008SearchKeys } from "./migrations/0008-search-keys.js";

export type Orm = MikroORM;

/** Each ORM's better-sqlite3 connection (knex's SQLite pool holds exactly one), set when it is created. */
const CONNECTIONS = new WeakMap<Orm, { db?: Database.Database }>();

/**
 * The better-sqlite3 connection under `orm`, for bulk statements prepared once and run per row
 * (batch.ts): MikroORM inlines every value into a new SQL text per statement, which SQLite then
 * parses. Use it only inside a transaction opened through that ORM (`em.transactional`): knex then
 * holds its one connection for the caller, so nothing else runs on it in between.
 */
export function sqliteOf(orm: Orm): Database.Database {
  const db = CONNECTIONS.get(orm)?.db;
  if (!db) throw new Error("this ORM has no open SQLite connection");
  return db;
}

/** Migrations in the order they apply; checked in, never generated at start-up. */
const MIGRATIONS = [
  { name: "0001-api-keys", class: Migration0001ApiKeys },
  { name: "0002-inventory", class: Migration0002Inventory },
  { name: "0003-staging", class: Migration0003Staging },
  { name: "0004-key-names", class: Migration0004KeyNames },
  { name: "0005-fts-prefixes", class: Migration0005FtsPrefixes },
  { name: "0006-entities-match", class: Migration0006EntitiesMatch },
  { name: "0007-onu-link", class: Migration0007OnuLink },
  { name: "0008-search-keys", class: Migration0008SearchKeys },
];

const ENTITIES = [
  ApiKeySchema,
  CustomerSchema,
  PlanSchema,
  ConnectionSchema,
  RouterSchema,
  OnuSchema,
  PppSecretSchema,
  SubscriberSchema,
  SubscriberKeySchema,
  PppSessionSchema,
  StageCustomerSchema,
  StageConnectionSchema,
  StageOnuSchema,
  StagePppSecretSchema,
  OnuStatusEventSchema,
  OnuSignalSampleSchema,
  SyncRunSchema,
  SourceStateSchema,
  SyncLockSchema,
];

/**
 * Opens the cache database (SQLite through MikroORM's better-sqlite3 driver), switches it to WAL so
 * readers never wait for a sync's writes, and applies pending migrations (unless `migrate` is false:
 * a second connection to a database another one has migrated).
 */
/** `onuLink`: the ONU link a rebuild right after migrating uses (SMARTOLT_ONU_LINK; default auto). */
export async function openOrm(path: string, logger: Logger, opts: { migrate?: boolean; onuLink?: OnuLinkMode } = {}): Promise<Orm> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const raw: { db?: Database.Database } = {};
  const orm = await MikroORM.init({
    dbName: path,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, snapshot: false, silent: true },
    discovery: { warnWhenNoEntities: false },
    // The FTS5 index and its shadow tables are SQLite's own (migrations 0002, 0005): no entity describes them.
    schemaGenerator: { skipTables: [/^subscriber_fts/] },
    allowGlobalContext: false,
    // The subscriber join calls search-key functions written in TypeScript (subscribers.ts).
    pool: { afterCreate: (db: Database.Database, done: (err: Error | null, db: Database.Database) => void) => {
      registerSubscriberFunctions(db);
      raw.db = db;
      done(null, db);
    } },
    debug: false,
  });
  CONNECTIONS.set(orm, raw);
  const connection = orm.em.getConnection();
  await connection.execute("pragma journal_mode = WAL");
  await connection.execute("pragma synchronous = NORMAL");
  await connection.execute("pragma busy_timeout = 5000");
  if (opts.migrate === false) return orm;
  let applied;
  try {
    applied = await orm.getMigrator().up();
  } catch (err) {
    await orm.close(); // a connection left open would keep the process alive
    throw err;
  }
  if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, "cache migrated");
  if (applied.some((m) => m.name === "0008-search-keys")) {
    // The search keys are computed by the join: fill them now rather than at the next inventory sync.
    const index = createSqliteSubscriberIndex(opts.onuLink ? { onuLink: opts.onuLink } : {});
    const counts = await orm.em.fork().transactional((em) => index.rebuild(em));
    logger.info({ subscribers: counts.subscribers }, "search keys rebuilt");
  }
  return orm;
}
