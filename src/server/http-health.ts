import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { AppContext } from "../context.js";
import type { HealthState } from "./health.js";

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

/**
 * GET /health: the old `{"ok": true, "service": "beholder", "status": "running"}` plus one entry per
 * component. 503 while draining or when the database does not answer, so a load balancer stops
 * sending traffic.
 */
export async function handleHealth(app: AppContext, health: HealthState, _req: Req, res: Res): Promise<void> {
  const database = await checkDatabase(app);
  const breakers = app.vendors.breakers();
  const vendors = Object.fromEntries(
    Object.entries(app.config.vendors).map(([name, cfg]) => {
      if (cfg === undefined) return [name, { status: "disabled" }];
      const mine = Object.entries(breakers).filter(([b]) => b === name || b.startsWith(`${name}:`));
      const open = mine.filter(([, state]) => state !== "closed").map(([b, state]) => `${b} ${state}`);
      const sync = app.cache.state.source(name);
      return [
        name,
        {
          status: open.length > 0 ? "degraded" : "configured",
          ...(open.length > 0 ? { breakers: open } : {}),
          ...(sync ? { lastSync: sync.lastSuccessAt?.toISOString() ?? null, stale: sync.stale } : {}),
        },
      ];
    }),
  );
  const ok = !health.draining && database.status === "up";
  const body = {
    ok,
    service: "beholder",
    status: health.draining ? "stopping" : ok ? "running" : "degraded",
    components: { database, ...vendors },
  };
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function checkDatabase(app: AppContext): Promise<{ status: "up" | "down"; error?: string }> {
  try {
    await app.orm.em.getConnection().execute("select 1");
    return { status: "up" };
  } catch (err) {
    app.logger.warn({ err }, "health: database check failed");
    return { status: "down", error: "database did not answer" };
  }
}
