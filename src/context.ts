import type { Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { openOrm, type Orm } from "./cache/orm.js";
import { createKeyStore, type KeyStore } from "./auth/keys.js";
import { createRateLimits, type LimiterFactory, type RateLimits } from "./server/rate-limits.js";

/**
 * Everything a request may need, built once from config. Tests and the demo pass overrides (a
 * silent logger, another limiter store) instead of patching modules.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  orm: Orm;
  keys: KeyStore;
  limits: RateLimits;
  close(): Promise<void>;
}

export interface AppOverrides {
  logger?: Logger;
  limiterFactory?: LimiterFactory;
}

export async function createAppContext(config: Config, overrides: AppOverrides = {}): Promise<AppContext> {
  const logger = overrides.logger ?? createLogger(config.log);
  const orm = await openOrm(config.db.path, logger);
  return {
    config,
    logger,
    orm,
    keys: createKeyStore(orm, config.auth.legacyApiKey),
    limits: createRateLimits(config.rateLimit, overrides.limiterFactory),
    async close() {
      await orm.close();
    },
  };
}
