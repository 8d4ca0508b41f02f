import { statSync } from "node:fs";

/** The cache database's files and their sizes in bytes (the WAL and its index when present). */
export function cacheFileSizes(dbPath: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [file, path] of [["db", dbPath], ["wal", `${dbPath}-wal`], ["shm", `${dbPath}-shm`]] as const) {
    try {
      sizes[file] = statSync(path).size;
    } catch {
      // Absent (no WAL yet, or an in-memory database): not reported.
    }
  }
  return sizes;
}
