import type { CacheHealth } from "../cache/cache.js";
import type { Config } from "../config.js";
import { routerKey, routerStateKey } from "../domain/types.js";
import type { SourceState, SyncJobName } from "../sync/types.js";

/** One sync source's freshness as /health shows it. */
export interface SourceReport {
  lastSync: string | null;
  lastAttempt: string | null;
  stale: boolean;
  error?: string;
}

export interface RouterReport extends SourceReport {
  name: string;
  /** host:port, a router's identity (several routers may share one public address). */
  address: string;
  breaker: string;
}

export interface JobReport {
  lastRun: { id: string; startedAt: string; finishedAt: string | null; outcome: string } | null;
  /** A source of the job keeps older data than its last run tried to bring. */
  stale: boolean;
  /** The last error of each stale source of the job. */
  errors?: Record<string, string>;
}

export interface HealthReport {
  ok: boolean;
  service: "beholder";
  status: "running" | "degraded" | "stopping";
  components: Record<string, Record<string, unknown>>;
  jobs: Record<SyncJobName, JobReport>;
}

/** The sources each job writes (router:<host>:<port> entries belong to inventory, sessions:router:… to status). */
const JOB_SOURCES: Record<SyncJobName, string[]> = {
  inventory: ["ispcube", "smartolt", "routeros"],
  status: ["smartolt.status", "smartolt.signals", "routeros.sessions"],
};

/**
 * What GET /health answers, from the cache's view of itself and the sync, and the breakers. Pure: a
 * vendor outage shows as a stale or degraded component, never as `ok: false` (that is for Beholder
 * itself: a cache it cannot use, or a server that is stopping).
 */
export function healthReport(
  config: Pick<Config, "vendors">,
  cache: CacheHealth,
  breakers: Record<string, string>,
  draining: boolean,
): HealthReport {
  const byName = new Map(cache.sources.map((s) => [s.source, s]));
  const routers = routerReports(cache, breakers, byName);
  const vendors = Object.fromEntries(
    Object.entries(config.vendors).map(([name, cfg]) => {
      if (cfg === undefined) return [name, { status: "disabled" }];
      const mine = Object.entries(breakers).filter(([b]) => b === name || b.startsWith(`${name}:`));
      const open = mine.filter(([, state]) => state !== "closed").map(([b, state]) => `${b} ${state}`);
      const parts = [...byName.values()].filter((s) => s.source === name || s.source.startsWith(`${name}.`));
      const mineRouters = name === "routeros" ? routers : [];
      const stale = parts.some((s) => s.stale) || mineRouters.some((r) => r.stale);
      const main = byName.get(name);
      const failed = mineRouters.filter((r) => r.stale);
      return [
        name,
        {
          status: open.length > 0 || stale ? "degraded" : "configured",
          ...(open.length > 0 ? { breakers: open } : {}),
          ...(parts.length > 0 || mineRouters.length > 0 ? { lastSync: main?.lastSuccessAt?.toISOString() ?? null, stale } : {}),
          ...(parts.length > 0 ? { syncs: Object.fromEntries(parts.map((s) => [s.source, sourceReport(s)])) } : {}),
          ...(mineRouters.length > 0 ? { routers: mineRouters } : {}),
          ...(failed.length > 0 ? { failedRouters: failed.map((r) => ({ router: r.name, address: r.address, error: r.error ?? "", lastSync: r.lastSync })) } : {}),
        },
      ];
    }),
  );
  const database = cache.status === "up" ? { status: "up" } : { status: "down", error: "database did not answer", connections: cache.connections };
  const ok = !draining && cache.status === "up";
  return {
    ok,
    service: "beholder",
    status: draining ? "stopping" : ok ? "running" : "degraded",
    components: { database, ...vendors },
    jobs: {
      inventory: jobReport(cache, "inventory", [...JOB_SOURCES.inventory, ...cache.sources.map((s) => s.source).filter((s) => s.startsWith("router:"))], byName),
      status: jobReport(cache, "status", [...JOB_SOURCES.status, ...cache.sources.map((s) => s.source).filter((s) => s.startsWith("sessions:router:"))], byName),
    },
  };
}

function sourceReport(s: SourceState): SourceReport {
  return {
    lastSync: s.lastSuccessAt?.toISOString() ?? null,
    lastAttempt: s.lastAttemptAt?.toISOString() ?? null,
    stale: s.stale,
    ...(s.stale && s.error ? { error: s.error } : {}),
  };
}

function routerReports(cache: CacheHealth, breakers: Record<string, string>, byName: Map<string, SourceState>): RouterReport[] {
  // A router is its host and port: nodes naming one address are one router, named by its first node.
  const seen = new Set<string>();
  return cache.routers.flatMap((r) => {
    const address = routerKey(r);
    if (seen.has(address)) return [];
    seen.add(address);
    const state = byName.get(routerStateKey(r));
    return {
      name: cache.routerNames.get(address) ?? r.name,
      address,
      breaker: breakers[`routeros:${address}`] ?? "closed",
      ...(state ? sourceReport(state) : { lastSync: null, lastAttempt: null, stale: false }),
    };
  });
}

function jobReport(cache: CacheHealth, job: SyncJobName, sources: string[], byName: Map<string, SourceState>): JobReport {
  const run = cache.runs[job];
  const stale = sources.map((s) => byName.get(s)).filter((s): s is SourceState => s !== undefined && s.stale);
  const errors = Object.fromEntries(stale.map((s) => [s.source, s.error ?? ""]));
  return {
    lastRun: run
      ? { id: run.id, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null, outcome: run.outcome }
      : null,
    stale: stale.length > 0 || run?.outcome === "failed",
    ...(stale.length > 0 ? { errors } : {}),
  };
}
