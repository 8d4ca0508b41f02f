import type { EntityManager } from "@mikro-orm/better-sqlite";
import type { EntityName, EntitySchema, RequiredEntityData } from "@mikro-orm/core";
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

/**
 * Updates rows by key, many per statement: `update t set c = case k when ? then ? ... end where k in (...)`,
 * what MikroORM's own flush emits for batched updates. Every row must carry the same properties.
 */
export async function updateBatched<T extends object>(em: EntityManager, entity: EntitySchema<T>, key: keyof T & string, rows: Partial<T>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const meta = em.getMetadata().get(entity.meta.className);
  const platform = em.getPlatform();
  const q = (id: string): string => platform.quoteIdentifier(id);
  const field = (prop: string): string => meta.properties[prop as keyof typeof meta.properties]?.fieldNames[0] ?? prop;
  // What MikroORM binds for a Date on this platform (integer milliseconds on SQLite).
  const value = (v: unknown): unknown => (v instanceof Date ? platform.processDateProperty(v) : v);
  const props = Object.keys(rows[0] as object).filter((p) => p !== key);
  const size = rowsPerStatement(props.length * 2 + 1);
  let changed = 0;
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const params: unknown[] = [];
    const sets = props.map((p) => {
      const whens = chunk.map((r) => {
        params.push(r[key], value(r[p as keyof T]));
        return "when ? then ?";
      });
      return `${q(field(p))} = case ${q(field(key))} ${whens.join(" ")} end`;
    });
    params.push(...chunk.map((r) => r[key]));
    const sql = `update ${q(meta.tableName)} set ${sets.join(", ")} where ${q(field(key))} in (${chunk.map(() => "?").join(", ")})`;
    const res = (await em.execute(sql, params, "run")) as { affectedRows?: number };
    changed += res.affectedRows ?? 0;
  }
  return changed;
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
