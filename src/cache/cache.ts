import type { Logger } from "../logger.js";
import type { SearchHit } from "../domain/search.js";
import { routerKey, type OnuLinkMode, type RouterTarget } from "../domain/types.js";
import type { SourceState, SyncJobName, SyncRunRecord, SyncStore } from "../sync/types.js";
import { startCheckpointer, type CheckpointResult } from "./checkpointer.js";
import { openOrm, sqliteOf, type Orm } from "./orm.js";
import { createSearchPool } from "./search-pool.js";
import { openSearchConnection, type Searcher } from "./search.js";
import { createSqliteSubscriberIndex } from "./subscribers.js";
import { createSyncState } from "./sync-state.js";
import { createCacheWriter, type CacheWriter } from "./writes.js";

export interface CacheHealth {
  status: "up" | "down";
  /** Each connection that serves requests or the sync: "up", or why not. */
  connections: Record<"api" | "search" | "sync", string>;
  /** Every sync source's freshness, as last recorded. */
  sources: SourceState[];
  /** Router names by address ("host:port", `routerKey`), as the last inventory knew them. */
  routerNames: Map<string, string>;
  /** The routers of the last inventory (host:port is a router's identity). */
  routers: RouterTarget[];
  /** The latest run of each job, if any. */
  runs: Partial<Record<SyncJobName, SyncRunRecord>>;
}

/** The cache as the rest of Beholder sees it. */
export interface Cache {
  /** API keys and ordinary reads. */
  orm: Orm;
  /** On the sync's own connection, so a long commit never holds the one requests use. */
  writer: CacheWriter;
  /** That connection (MikroORM's pool of one), which a commit's transaction holds for its whole length. */
  syncOrm: Orm;
  state: SyncStore;
  /** The same store on the API's connection, for reads that must not wait for a commit (GetSyncStatus). */
  readState: SyncStore;
  /** On this thread's read-only connection. */
  searcher: Searcher;
  /** What the API uses: on worker threads when `searchWorkers` > 0, else `searcher`. */
  search(query: string, limit: number, offset: number): Promise<SearchHit[]>;
  health(): Promise<CacheHealth>;
  /** Resolves once a WAL checkpoint started after the call has finished (checkpointer.ts). */
  checkpointed(): Promise<CheckpointResult | undefined>;
  close(): Promise<void>;
}

/** A health probe slower than this is logged with what it waited for. */
const SLOW_HEALTH_MS = 1000;

/**
 * Opens the cache at `path`: migrates it, then opens the sync's connection and search's. Every
 * connection is MikroORM's except search's, which runs prepared FTS5 statements (search.ts).
 */
export async function openCache(path: string, logger: Logger, opts: { searchWorkers?: number; onuLink?: OnuLinkMode } = {}): Promise<Cache> {
  if (path === ":memory:") throw new Error("DB_PATH must be a file: the cache is shared by several connections");
  const orm = await openOrm(path, logger, opts.onuLink ? { onuLink: opts.onuLink } : {});
  const syncOrm = await openOrm(path, logger, { migrate: false });
  // The sync's big commits are checkpointed on a worker thread, not at their COMMIT on the loop (checkpointer.ts).
  const syncSql = syncOrm.em.getConnection();
  await syncSql.execute("pragma wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(path, logger, () => void syncSql.execute("pragma wal_autocheckpoint = 1000").catch(() => undefined));
  const reader = openSearchConnection(path);
  const pool = (opts.searchWorkers ?? 0) > 0 ? createSearchPool(path, opts.searchWorkers ?? 0) : undefined;
  const state = createSyncState(syncOrm);
  const readState = createSyncState(orm);
  /**
   * Whether a connection is open and answers, asked of its own handle rather than queued through
   * MikroORM's pool: the sync's one connection is held by its transaction for a whole commit (seconds
   * at 100,000 subscribers, the ranged rebuild yielding inside it), and a ping waiting behind that made
   * /health and grpc.health.v1 wait as long (the faults bench's normal client timed out after 10 s).
   * A statement inside the transaction's connection is fine: JavaScript runs it between two of the
   * transaction's own statements.
   */
  const ping = (o: Orm): void => void sqliteOf(o).prepare("select 1").get();
  const check = async (ping: () => unknown): Promise<string> => {
    try {
      await ping();
      return "up";
    } catch (err) {
      logger.warn({ err }, "health: a cache connection did not answer");
      return "did not answer";
    }
  };
  return {
    orm,
    writer: createCacheWriter(syncOrm, createSqliteSubscriberIndex(opts.onuLink ? { onuLink: opts.onuLink } : {}), { afterWrite: () => checkpointer.request() }),
    syncOrm,
    readState,
    checkpointed: () => checkpointer.settled(),
    state,
    searcher: reader,
    search: pool ? (q, limit, offset) => pool.search(q, limit, offset) : async (q, limit, offset) => reader.search(q, limit, offset),
    async health() {
      const started = performance.now();
      /** Each step's ms, logged when the whole probe is slow: what /health waited for. */
      const steps: Record<string, number> = {};
      const timed = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
        const t = performance.now();
        try {
          return await f();
        } finally {
          steps[step] = Math.round(performance.now() - t);
        }
      };
      const connections = {
        api: await timed("api", () => check(() => ping(orm))),
        search: await timed("search", () => check(() => (pool ? pool.ping() : reader.ping()))),
        sync: await timed("sync", () => check(() => ping(syncOrm))),
      };
      const up = Object.values(connections).every((c) => c === "up");
      const reads = readState;
      const sources = connections.api === "up" ? await timed("sources", () => reads.sources()) : [];
      const routers = connections.api === "up" ? await timed("routers", () => reads.routers()) : [];
      // The first node of an address names it, as the sync reads each address once (jobs.ts).
      const routerNames = new Map<string, string>();
      for (const r of routers) if (!routerNames.has(routerKey(r))) routerNames.set(routerKey(r), r.name);
      const runs: CacheHealth["runs"] = {};
      if (connections.api === "up") {
        for (const job of ["inventory", "status"] as const) {
          const run = await timed(`lastRun ${job}`, () => reads.lastRun(job));
          if (run) runs[job] = run;
        }
      }
      const ms = Math.round(performance.now() - started);
      if (ms >= SLOW_HEALTH_MS) logger.warn({ ms, steps }, "health: the cache took long to answer");
      return { status: up ? "up" : "down", connections, sources, routerNames, routers, runs };
    },
    async close() {
      await checkpointer.close();
      await pool?.close();
      reader.close();
      await syncOrm.close();
      await orm.close();
    },
  };
}
