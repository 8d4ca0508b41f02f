import Database from "better-sqlite3";

export type Sqlite = Database.Database;

/**
 * Direct better-sqlite3 connections beside MikroORM's, for the two hot paths: the sync's bulk
 * writes (one transaction per source) and search (prepared FTS queries). With WAL, the reader
 * never waits for a sync's write transaction and sees the previous snapshot until it commits.
 */
export interface CacheDb {
  writer: Sqlite;
  reader: Sqlite;
  close(): void;
}

export function openCacheDb(path: string): CacheDb {
  if (path === ":memory:") throw new Error("DB_PATH must be a file: the cache is shared by several connections");
  const writer = new Database(path);
  writer.pragma("journal_mode = WAL");
  writer.pragma("synchronous = NORMAL");
  writer.pragma("busy_timeout = 5000");
  const reader = new Database(path, { readonly: true });
  reader.pragma("busy_timeout = 5000");
  return {
    writer,
    reader,
    close() {
      reader.close();
      writer.close();
    },
  };
}
