import { routerKey, type RouterLogEntry, type RouterTarget } from "../../domain/types.js";
import type { RouterPool } from "../../vendors/routeros/client.js";

/** The newest lines of the router's log: the user's own sessions and everyone's logouts (area events). */
const LOG_LIMIT = 1000;

export interface RouterLogs {
  /** The router's newest log lines, shared by the diagnoses on that router within `ttlMs`. */
  read(pool: RouterPool, router: RouterTarget): Promise<RouterLogEntry[]>;
}

/**
 * RouterOS sends its whole log over the API (no server-side filter, routeros.md §1.8): a burst of
 * diagnoses on one router reads it once per `ttlMs`, not once each.
 */
export function createRouterLogs(ttlMs: number, now: () => number = () => performance.now()): RouterLogs {
  const recent = new Map<string, { at: number; lines: Promise<RouterLogEntry[]> }>();
  return {
    read(pool, router) {
      const key = routerKey(router);
      const hit = recent.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.lines;
      const lines = pool.logs(router, undefined, { limit: LOG_LIMIT });
      const entry = { at: now(), lines };
      recent.set(key, entry);
      // A failed read is not remembered.
      lines.catch(() => {
        if (recent.get(key) === entry) recent.delete(key);
      });
      return lines;
    },
  };
}
