import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { legacyDiagnosis, type LegacyZones } from "../api/legacy/diagnosis-json.js";
import { legacyLive } from "../api/legacy/live-json.js";
import { legacySearchRow } from "../api/legacy/search-json.js";
import { notFound } from "../api/not-found.js";
import { invalid, pppoeUser } from "../api/validate.js";
import { createDiagnosisReads } from "../cache/diagnosis-reads.js";
import type { AppContext } from "../context.js";
import { routerTimeZone } from "../config.js";
import type { RouterTarget } from "../domain/types.js";
import type { ClientAddresses } from "./client-address.js";
import { SubscriberNotFoundError } from "../diagnosis/index.js";
import { authenticate } from "./interceptors/auth.js";
import { consumeRate } from "./interceptors/rate-limit.js";

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

const PATHS = /^\/(diagnosis|live)\/([^/]+)$|^\/(search)$/;
/** The old search returned everything that matched; the new one stops here. */
const SEARCH_ROWS = 50;

const HTTP_STATUS: Partial<Record<Code, number>> = {
  [Code.InvalidArgument]: 400,
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.NotFound]: 404,
  [Code.ResourceExhausted]: 429,
};

export interface LegacyPaths {
  /** Whether this request is one of the old paths (then `handle` owns it). */
  matches(method: string | undefined, path: string): boolean;
  handle(req: Req, res: Res): Promise<void>;
}

/**
 * The old system's paths, kept as deprecated aliases so the current React front end works unchanged:
 * `GET /diagnosis/{pppoe_user}`, `GET /search?q=`, `GET /live/{pppoe_user}`, with `x-api-key`. Same
 * auth and rate limits as the read RPCs; bodies in the old JSON shapes, filled from the new engine.
 */
export function createLegacyPaths(app: AppContext, addresses: ClientAddresses): LegacyPaths {
  const reads = createDiagnosisReads(app.orm);
  const routeros = app.config.vendors.routeros;
  // The old strings are in the clock of whoever wrote them: SmartOLT's account, the diagnosed router.
  const zonesFor = (router: RouterTarget | null): LegacyZones => ({
    smartolt: app.config.vendors.smartolt?.timezone ?? "UTC",
    routeros: routeros ? (router ? routerTimeZone(routeros, router) : routeros.timezone) : "UTC",
  });

  async function route(kind: string, arg: string, url: URL, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
    if (kind === "search") {
      const q = (url.searchParams.get("q") ?? "").trim();
      // The old endpoint answered short queries with an empty list, not an error.
      if (q.length < 3) return { status: 200, body: [] };
      const hits = await app.cache.search(q.slice(0, 100), SEARCH_ROWS, 0);
      const extras = await reads.searchExtras(hits.map((h) => h.pppoeUser));
      return { status: 200, body: hits.map((h) => legacySearchRow(h, extras.get(h.pppoeUser))) };
    }
    const user = pppoeUser(decodeSegment(arg));
    const target = { kind: "pppoe_user", value: user } as const;
    try {
      if (kind === "live") return { status: 200, body: legacyLive(await app.diagnosis.liveTraffic(target, signal)) };
      const d = await app.diagnosis.diagnose(target, { signal });
      return { status: 200, body: legacyDiagnosis(d, zonesFor(d.router)) };
    } catch (err) {
      if (!(err instanceof SubscriberNotFoundError)) throw err;
      // The old /live answered an unknown user with 200 and status "error".
      if (kind === "live") return { status: 200, body: { status: "error", detail: "Cliente no vinculado o no encontrado en base de datos local." } };
      throw await notFound(target, app.cache.search);
    }
  }

  return {
    matches: (method, path) => (method === "GET" || method === "HEAD") && PATHS.test(path),

    async handle(req, res) {
      const started = performance.now();
      const url = new URL(req.url ?? "/", "http://localhost");
      const m = PATHS.exec(url.pathname);
      const kind = m?.[1] ?? m?.[3] ?? "";
      const abort = new AbortController();
      res.once("close", () => abort.abort());
      let status = 500;
      let body: unknown;
      let retryAfter: string | undefined;
      let key: string | undefined;
      try {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && !k.startsWith(":")) headers.set(k, v);
        const what = `GET /${kind}`;
        const principal = await authenticate(app.keys, app.limits, { headers, ip: addresses.resolve(req.socket.remoteAddress, req.headers["x-forwarded-for"]), scope: "read", what });
        key = principal.name;
        const { remaining } = await consumeRate(app.limits, principal.name, "read");
        res.setHeader("x-ratelimit-remaining", String(remaining));
        ({ status, body } = await route(kind, m?.[2] ?? "", url, abort.signal));
      } catch (err) {
        const e = err instanceof ConnectError ? err : undefined;
        status = (e && HTTP_STATUS[e.code]) ?? 500;
        retryAfter = e?.metadata.get("retry-after") ?? undefined;
        // FastAPI's error shape, which the old clients know.
        body = { detail: status === 500 ? "internal error" : (e?.rawMessage ?? "error") };
        if (status === 500) app.logger.error({ err, path: `/${kind}` }, "old path failed");
      }
      const text = JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json",
        "cache-control": "no-store",
        deprecation: "true",
        ...(retryAfter ? { "retry-after": retryAfter } : {}),
      });
      if (req.method === "HEAD") res.end();
      else res.end(text);
      app.logger.info({ path: `/${kind}`, key, status, ms: Math.round((performance.now() - started) * 10) / 10 }, "old path");
    },
  };
}

/** A path segment's text; an escape that is not UTF-8 (`%ED%A0%80`, `%zz`) is the caller's mistake, not a 500. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid("pppoe_user must be percent-encoded UTF-8");
  }
}
