import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { CacheHealth } from "../cache/cache.js";
import type { AppContext } from "../context.js";
import type { HealthState } from "./health.js";

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

/**
 * GET /health: the old `{"ok": true, "service": "beholder", "status": "running"}` plus one entry per
 * component. 503 while draining or when a cache connection (API, search, sync) does not answer, so a
 * load balancer stops sending traffic.
 */
export async function handleHealth(app: AppContext, health: HealthState, _req: Req, res: Res): Promise<void> {
  const cache = await app.cache.health();
  const breakers = app.vendors.breakers();
  const byName = new Map(cache.sources.map((s) => [s.source, s]));
  const vendors = Object.fromEntries(
    Object.entries(app.config.vendors).map(([name, cfg]) => {
      if (cfg === undefined) return [name, { status: "disabled" }];
      const mine = Object.entries(breakers).filter(([b]) => b === name || b.startsWith(`${name}:`));
      const open = mine.filter(([, state]) => state !== "closed").map(([b, state]) => `${b} ${state}`);
      const sync = byName.get(name);
      const failed = name === "routeros" ? failedRouters(cache) : [];
      return [
        name,
        {
          status: open.length > 0 || failed.length > 0 ? "degraded" : "configured",
          ...(open.length > 0 ? { breakers: open } : {}),
          ...(sync ? { lastSync: sync.lastSuccessAt?.toISOString() ?? null, stale: sync.stale } : {}),
          ...(failed.length > 0 ? { failedRouters: failed } : {}),
        },
      ];
    }),
  );
  const database = cache.status === "up" ? { status: "up" } : { status: "down", error: "database did not answer", connections: cache.connections };
  const ok = !health.draining && cache.status === "up";
  const body = {
    ok,
    service: "beholder",
    status: health.draining ? "stopping" : ok ? "running" : "degraded",
    components: { database, ...vendors },
  };
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** Routers whose secrets the last sync could not refresh: they keep the previous ones. */
function failedRouters(cache: CacheHealth): { router: string; address: string; error: string; lastSync: string | null }[] {
  return cache.sources
    .filter((s) => s.source.startsWith("router:") && s.stale)
    .map((s) => {
      // Kept by address ("router:host:port"): routers behind one public address differ by port.
      const address = s.source.slice("router:".length);
      return { router: cache.routerNames.get(address) ?? address, address, error: s.error ?? "", lastSync: s.lastSuccessAt?.toISOString() ?? null };
    });
}
