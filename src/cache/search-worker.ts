import { parentPort, workerData } from "node:worker_threads";
import { openSearchConnection } from "./search.js";

/** One search worker: its own read-only connection, answering { id, query, limit, offset } or { id, ping }. */
interface Request {
  id: number;
  query: string;
  limit: number;
  offset: number;
  ping?: boolean;
}

const searcher = openSearchConnection((workerData as { path: string }).path);

parentPort?.on("message", (req: Request) => {
  try {
    if (req.ping) searcher.ping();
    parentPort?.postMessage({ id: req.id, hits: req.ping ? [] : searcher.search(req.query, req.limit, req.offset) });
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort?.postMessage({ ready: true });
