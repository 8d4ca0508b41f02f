import type { Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { openOrm, type Orm } from "./cache/orm.js";
import { openCacheDb, type CacheDb } from "./cache/db.js";
import { createCacheWriter, type CacheWriter } from "./cache/writes.js";
import { createSearcher, type SearchHit, type Searcher } from "./cache/search.js";
import { createSearchPool } from "./cache/search-pool.js";
import { createSyncState, type SyncState } from "./cache/sync-state.js";
import { createKeyStore, type KeyStore } from "./auth/keys.js";
import { createRateLimits, type LimiterFactory, type RateLimits } from "./auth/rate-limits.js";
import { createVendors, type Vendors } from "./vendors/index.js";
import { SyncRunner } from "./sync/runner.js";
import { scheduleSync, type SyncSchedule } from "./sync/schedule.js";
import { createDiagnosisForApp } from "./diagnosis/compose.js";
import type { DiagnosisEngine } from "./diagnosis/index.js";

/**
 * Everything a request may need, built once from config. Tests and the demo pass overrides (a
 * silent logger, another limiter store) instead of patching modules.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  orm: Orm;
  cache: {
    db: CacheDb;
    writer: CacheWriter;
    /** On this thread's read-only connection. */
    searcher: Searcher;
    /** What the API uses: on worker threads when SEARCH_WORKERS > 0, else `searcher`. */
    search(query: string, limit: number, offset: number): Promise<SearchHit[]>;
    state: SyncState;
  };
  keys: KeyStore;
  limits: RateLimits;
  vendors: Vendors;
  sync: { runner: SyncRunner; schedule: SyncSchedule };
  diagnosis: DiagnosisEngine;
  close(): Promise<void>;
}

export interface AppOverrides {
  logger?: Logger;
  limiterFactory?: LimiterFactory;
  now?: () => Date;
}

/** What running a sync needs, and nothing else: `npm run sync` builds only this. */
export interface SyncContext {
  config: Config;
  logger: Logger;
  /** Opened for its migrations: the schema must be current before the sync writes. */
  orm: Orm;
  db: CacheDb;
  writer: CacheWriter;
  state: SyncState;
  vendors: Vendors;
  runner: SyncRunner;
  close(): Promise<void>;
}

export async function createSyncContext(config: Config, overrides: AppOverrides = {}): Promise<SyncContext> {
  const logger = overrides.logger ?? createLogger(config.log);
  const orm = await openOrm(config.db.path, logger);
  const db = openCacheDb(config.db.path);
  const writer = createCacheWriter(db.writer);
  const state = createSyncState(db.writer);
  const vendors = createVendors(config, logger, overrides.now ? { now: overrides.now } : {});
  const runner = new SyncRunner({
    vendors,
    writer,
    state,
    logger,
    signalsEveryMs: config.sync.signalsEveryMs,
    historyRetentionMs: config.sync.historyRetentionMs,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  return {
    config,
    logger,
    orm,
    db,
    writer,
    state,
    vendors,
    runner,
    async close() {
      await runner.close();
      await vendors.close();
      db.close();
      await orm.close();
    },
  };
}

export async function createAppContext(config: Config, overrides: AppOverrides = {}): Promise<AppContext> {
  const sync = await createSyncContext(config, overrides);
  const { logger, orm, db, writer, state, vendors, runner } = sync;
  const schedule = scheduleSync(runner, config.sync, logger);
  const searcher = createSearcher(db.reader);
  const pool = config.searchWorkers > 0 ? createSearchPool(config.db.path, config.searchWorkers) : undefined;
  return {
    config,
    logger,
    orm,
    cache: {
      db,
      writer,
      searcher,
      search: pool ? (q, limit, offset) => pool.search(q, limit, offset) : async (q, limit, offset) => searcher.search(q, limit, offset),
      state,
    },
    keys: createKeyStore(orm, config.auth.legacyApiKey),
    limits: createRateLimits(config.rateLimit, overrides.limiterFactory),
    vendors,
    sync: { runner, schedule },
    diagnosis: createDiagnosisForApp({ config, orm, vendors, ...(overrides.now ? { now: overrides.now } : {}) }),
    async close() {
      schedule.stop();
      await pool?.close();
      await sync.close();
    },
  };
}
