import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { CacheHealth } from "../cache/cache.js";
import type { AppContext } from "../context.js";
import { HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import type { HealthState } from "./health.js";
import { healthReport } from "./health-report.js";

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

/** How often the cache is probed for grpc.health.v1 watchers when nobody asks. */
const PROBE_EVERY_MS = 5000;

export interface HealthProbe {
  /** Probes the cache now (one probe at a time; callers during a probe share it) and updates `health`. */
  refresh(): Promise<CacheHealth>;
  stop(): void;
}

/**
 * Keeps grpc.health.v1 true: NOT_SERVING while a cache connection does not answer (Beholder cannot
 * serve), SERVING again when it does. Vendor outages never change it: they are data, shown by /health.
 */
export function createHealthProbe(app: AppContext, health: HealthState): HealthProbe {
  let running: Promise<CacheHealth> | undefined;
  const refresh = (): Promise<CacheHealth> =>
    (running ??= app.cache
      .health()
      .then((cache) => {
        health.setAll(cache.status === "up" ? Status.SERVING : Status.NOT_SERVING);
        return cache;
      })
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void refresh().catch((err: unknown) => app.logger.warn({ err }, "health probe failed")), PROBE_EVERY_MS);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}

/**
 * GET /health: the old `{"ok": true, "service": "beholder", "status": "running"}` plus each component,
 * each sync job and each router (health-report.ts). 503 while draining or when a cache connection
 * (API, search, sync) does not answer, so a load balancer stops sending traffic.
 */
export async function handleHealth(app: AppContext, health: HealthState, probe: HealthProbe, _req: Req, res: Res): Promise<void> {
  const cache = await probe.refresh();
  const body = healthReport(app.config, cache, app.vendors.breakers(), health.draining);
  res.writeHead(body.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
