import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import type { ClientAddresses } from "./client-address.js";
import { authenticate } from "./interceptors/auth.js";

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

const HTTP_STATUS: Partial<Record<Code, number>> = {
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
};

/** 127.0.0.0/8 and ::1, as client-address.ts normalises them. */
export function isLoopback(address: string): boolean {
  return address === "::1" || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/**
 * GET /metrics in Prometheus' text format. METRICS_ACCESS decides who: `key` needs an admin-scope
 * key (Prometheus sends it with `authorization: Bearer`), counted against failed authentications
 * like any call; `loopback` serves clients on this machine only (the forwarded address when behind
 * TRUSTED_PROXIES); `off` answers 404 as if there were no such path.
 */
export async function handleMetrics(app: AppContext, addresses: ClientAddresses, req: Req, res: Res): Promise<void> {
  const access = app.config.server.metricsAccess;
  const ip = addresses.resolve(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
  const refuse = (status: number, message: string, retryAfter?: string | null): void => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...(retryAfter ? { "retry-after": retryAfter } : {}) });
    res.end(`${message}\n`);
  };
  if (access === "off") return refuse(404, "metrics are off (METRICS_ACCESS=off)");
  if (access === "loopback" && !isLoopback(ip)) return refuse(403, "metrics are served to loopback clients only (METRICS_ACCESS=loopback)");
  if (access === "key") {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && !k.startsWith(":")) headers.set(k, v);
    try {
      await authenticate(app.keys, app.limits, { headers, ip, scope: "admin", what: "GET /metrics" });
    } catch (err) {
      const e = err instanceof ConnectError ? err : undefined;
      if (!e || HTTP_STATUS[e.code] === undefined) throw err;
      return refuse(HTTP_STATUS[e.code] as number, e.rawMessage, e.metadata.get("retry-after"));
    }
  }
  const text = await app.metrics.render();
  res.writeHead(200, { "content-type": app.metrics.contentType, "cache-control": "no-store" });
  if (req.method === "HEAD") res.end();
  else res.end(text);
}
