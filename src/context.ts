import type { Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { openCache, type Cache } from "./cache/cache.js";
import type { Orm } from "./cache/orm.js";
import { createKeyStore, type KeyStore } from "./auth/keys.js";
import { createRateLimits, type LimiterFactory, type RateLimits } from "./auth/rate-limits.js";
import { createVendors, type Vendors } from "./vendors/index.js";
import { SyncRunner } from "./sync/runner.js";
import { scheduleSync, type SyncSchedule } from "./sync/schedule.js";
import { createDiagnosisForApp } from "./diagnosis/compose.js";
import { noLoopDelay, watchLoopDelay } from "./time/loop-delay.js";
import { liveBudgets } from "./diagnosis/index.js";
import type { DiagnosisEngine } from "./diagnosis/index.js";
import { cacheFileSizes } from "./cache/files.js";
import { createMetrics, type Metrics, type VendorCallSample } from "./metrics/metrics.js";

/**
 * Everything a request may need, built once from config. Tests and the demo pass overrides (a
 * silent logger, another limiter store) instead of patching modules.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  /** The cache's own ORM (`cache.orm`): API keys. */
  orm: Orm;
  cache: Cache;
  keys: KeyStore;
  limits: RateLimits;
  vendors: Vendors;
  sync: { runner: SyncRunner; schedule: SyncSchedule; onuLink: Config["sync"]["onuLink"] };
  diagnosis: DiagnosisEngine;
  /** Prometheus metrics of this app (GET /metrics). */
  metrics: Metrics;
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
  /** Migrated when opened: the schema is current before the sync writes. */
  cache: Cache;
  vendors: Vendors;
  runner: SyncRunner;
  close(): Promise<void>;
}

export async function createSyncContext(
  config: Config,
  overrides: AppOverrides = {},
  searchWorkers = 0,
  observe?: (call: VendorCallSample) => void,
): Promise<SyncContext> {
  const logger = overrides.logger ?? createLogger(config.log);
  const cache = await openCache(config.db.path, logger, { searchWorkers, onuLink: config.sync.onuLink });
  const vendors = createVendors(config, logger, { ...(overrides.now ? { now: overrides.now } : {}), ...(observe ? { observe } : {}) });
  const runner = new SyncRunner({
    vendors,
    writer: cache.writer,
    state: cache.state,
    reads: cache.readState,
    logger,
    signalsEveryMs: config.sync.signalsEveryMs,
    historyRetentionMs: config.sync.historyRetentionMs,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  await runner.recover();
  return {
    config,
    logger,
    cache,
    vendors,
    runner,
    async close() {
      await runner.close();
      await vendors.close();
      await cache.close();
    },
  };
}

export async function createAppContext(config: Config, overrides: AppOverrides = {}): Promise<AppContext> {
  const metrics = createMetrics();
  const sync = await createSyncContext(config, overrides, config.searchWorkers, metrics.observeVendorCall);
  const { logger, cache, vendors, runner } = sync;
  const schedule = scheduleSync(runner, config.sync, logger);
  // How late timers fire lately: the diagnosis cuts its live reads that much short (DIAG_BUDGET_BUSY_PERCENT).
  const loopDelay = config.diagnosis.busyPercent > 0 ? watchLoopDelay() : noLoopDelay;
  metrics.bind({
    breakers: () => vendors.breakers(),
    smartoltBudget: () => vendors.smartolt?.budget(),
    lastSyncRuns: async () => (await Promise.all([runner.lastRun("inventory"), runner.lastRun("status")])).filter((r) => r !== undefined),
    syncSources: async () => {
      const health = await cache.health();
      // router:<host>:<port> reads better with the router's name; the address keeps two routers behind
      // one public address apart.
      return health.sources.map((s) => {
        const address = s.source.startsWith("router:") ? s.source.slice("router:".length) : undefined;
        const name = address === undefined ? undefined : health.routerNames.get(address);
        return { source: name ? `router:${name}@${address}` : s.source, lastSuccessAt: s.lastSuccessAt, stale: s.stale };
      });
    },
    cacheFiles: () => cacheFileSizes(config.db.path),
    diagnosisBudgetCutMs: () => liveBudgets(config.diagnosis, loopDelay.recentMaxMs()).shortenedMs,
  });
  return {
    config,
    logger,
    orm: cache.orm,
    cache,
    keys: createKeyStore(cache.orm, config.auth.legacyApiKey, overrides.now),
    limits: createRateLimits(config.rateLimit, overrides.limiterFactory),
    vendors,
    sync: { runner, schedule, onuLink: config.sync.onuLink },
    diagnosis: createDiagnosisForApp({ config, orm: cache.orm, vendors, loopDelayMs: () => loopDelay.recentMaxMs(), ...(overrides.now ? { now: overrides.now } : {}) }),
    metrics,
    async close() {
      loopDelay.close();
      schedule.stop();
      await sync.close();
    },
  };
}
