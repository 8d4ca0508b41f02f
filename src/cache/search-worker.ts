import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { createSearcher } from "./search.js";

/** One search worker: its own read-only connection, answering { id, query, limit, offset }. */
interface Request {
  id: number;
  query: string;
  limit: number;
  offset: number;
}

const db = new Database((workerData as { path: string }).path, { readonly: true });
db.pragma("busy_timeout = 5000");
const searcher = createSearcher(db);

parentPort?.on("message", (req: Request) => {
  try {
    parentPort?.postMessage({ id: req.id, hits: searcher.search(req.query, req.limit, req.offset) });
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort?.postMessage({ ready: true });
