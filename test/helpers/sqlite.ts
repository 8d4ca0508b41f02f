import Database from "better-sqlite3";

/** Rows of `sql` on a read-only connection of its own to the cache file: what the tests check the cache with. */
export function queryCache(path: string, sql: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}
