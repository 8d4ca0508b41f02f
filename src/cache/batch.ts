import type { EntityManager } from "@mikro-orm/better-sqlite";
import type { EntityName, EntitySchema, RequiredEntityData } from "@mikro-orm/core";
import type Database from "better-sqlite3";
import { STAGED, type StagedTable } from "./entities/staging.js";

/**
 * Bulk writes through MikroORM without a unit of work: multi-row statements of at most this many
 * bound values (SQLite allows 32,766 per statement; PostgreSQL 65,535), no entities in memory.
 */
const MAX_PARAMS = 30_000;
/** Rows per statement at most, whatever the width: MikroORM builds each statement's SQL text anew. */
const MAX_ROWS = 1_000;

const rowsPerStatement = (paramsPerRow: number): number => Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / Math.max(1, paramsPerRow))));

/** `em.insertMany` in statements of bounded size. */
export async function insertBatched<T extends object>(em: EntityManager, entity: EntityName<T>, rows: RequiredEntityData<T>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = rowsPerStatement(Object.keys(rows[0] as object).length);
  for (let i = 0; i < rows.length; i += size) await em.insertMany<T>(entity, rows.slice(i, i + size));
}

/** Moves a staged table's rows (or the routers' `routerNodeId` names) into the real table and empties the stage. */
export async function moveStaged(em: EntityManager, table: StagedTable, only?: { routerNodeId: number[] }): Promise<void> {
  const stage = em.getMetadata().get(STAGED[table].meta.className);
  const q = (id: string): string => em.getPlatform().quoteIdentifier(id);
  const columns = stage.props.flatMap((p) => p.fieldNames).map(q).join(", ");
  const ids = only?.routerNodeId ?? [];
  const where = only ? `where ${q("router_node_id")} in (${ids.map(() => "?").join(", ") || "null"})` : "";
  // In ranges of MOVE_ROWS staged rows (by rowid, which may be sparse: ISPCube's ids), so no single
  // statement holds the event loop for the whole source (better-sqlite3 runs on it).
  const rowids = ((await em.execute(`select rowid as r from ${q(stage.tableName)} ${where} order by rowid`, ids, "all")) as { r: number }[]).map((x) => x.r);
  for (let i = 0; i < rowids.length; i += MOVE_ROWS) {
    const range = [rowids[i], rowids[Math.min(i + MOVE_ROWS, rowids.length) - 1]];
    await em.execute(`insert into ${q(table)} (${columns}) select ${columns} from ${q(stage.tableName)} ${where ? `${where} and` : "where"} rowid between ? and ?`, [...ids, ...range], "run");
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await em.nativeDelete(STAGED[table] as EntityName<object>, {});
}

/** Staged rows moved per statement. */
const MOVE_ROWS = 5_000;

/** Statements prepared once per connection and SQL text (a handful: one per table written in bulk). */
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** `db.prepare(sql)`, kept for the connection's life. */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let byText = prepared.get(db);
  if (!byText) prepared.set(db, (byText = new Map()));
  let st = byText.get(sql);
  if (!st) byText.set(sql, (st = db.prepare(sql)));
  return st;
}

/** A value as MikroORM stores it on SQLite: instants as integer milliseconds, booleans as 0/1, undefined as null. */
export function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "boolean") return v ? 1 : 0;
  return v === undefined ? null : v;
}

/**
 * `em.insertMany` without MikroORM's SQL building: one `insert` prepared once, run per row with bound
 * values. Same columns (the entity's properties present in the first row, by their field names) and
 * the same stored values as `insertBatched`; about a tenth of its CPU (MikroORM writes every value
 * into a new SQL text that SQLite parses again). `db` is `em`'s connection (orm.ts `sqliteOf`), and
 * the caller holds a transaction on `em`.
 */
export function insertPrepared<T extends object>(db: Database.Database, em: EntityManager, entity: EntitySchema<T>, rows: RequiredEntityData<T>[]): void {
  if (rows.length === 0) return;
  const meta = em.getMetadata().get(entity.meta.className);
  const q = (id: string): string => em.getPlatform().quoteIdentifier(id);
  const present = new Set(Object.keys(rows[0] as object));
  const props = meta.props.filter((p) => present.has(p.name) && p.fieldNames.length === 1);
  const names = props.map((p) => p.name as string);
  const sql = `insert into ${q(meta.tableName)} (${props.map((p) => q(p.fieldNames[0] as string)).join(", ")}) values (${props.map(() => "?").join(", ")})`;
  const insert = statement(db, sql);
  const values: unknown[] = new Array(names.length);
  for (const row of rows) {
    for (let i = 0; i < names.length; i++) values[i] = sqliteValue((row as Record<string, unknown>)[names[i] as string]);
    insert.run(values);
  }
}
