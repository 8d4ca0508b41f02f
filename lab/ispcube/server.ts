/**
 * The ISPCube REST API simulator (shared/vendors/ispcube.md, blueprint in §6).
 *
 * Base URL: `url` is the origin only, e.g. `http://127.0.0.1:40123`, with no `/api`: the vendor's
 * Postman collection sets `{{baseUrl}}` to the bare host and writes every request as
 * `{{baseUrl}}/api/...` (§1). Only paths under `/api/` are answered; anything else is the web
 * app's 404, so a client that drops or doubles `/api` fails against the lab as it would in production.
 *
 * The world (`ctx.scenario.ispcube`) and the faults are read on every request, never copied, since
 * the control API mutates them in place. Tokens and the quota meter belong to this instance.
 */
import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { faultDelayMs, httpFault, type SimContext } from "../context.js";
import { listenTracked, urlHost } from "../listen.js";
import { createTokenStore, guard, login } from "./auth.js";
import { createCustomerOrder } from "./customer-order.js";
import { errorReply, faultOutcome } from "./faults.js";
import { json, readBody, replyBytes, sendReply, type Reply } from "./http-io.js";
import { createQuotaMeter, type QuotaReading } from "./quota-meter.js";
import { createRoutes, LOGIN_ENDPOINT } from "./routes.js";

export interface IspCubeSim {
  /** The ISPCUBE_BASEURL to configure: the origin, without `/api`. */
  url: string;
  host: string;
  port: number;
  /** Requests metered in the current billing period (closes on the 28th, §3.7). */
  quota(): QuotaReading;
  close(): Promise<void>;
}

export interface IspCubeSimOptions {
  host?: string;
  port?: number;
}

export async function startIspCubeSim(ctx: SimContext, opts: IspCubeSimOptions = {}): Promise<IspCubeSim> {
  const host = opts.host ?? "127.0.0.1";
  const tokens = createTokenStore(ctx.clock);
  const quota = createQuotaMeter(ctx.clock);
  const routes = createRoutes(createCustomerOrder());
  const stopping = new AbortController();
  // Every delayed answer waits on it: hundreds at once under load are expected, not a leak.
  setMaxListeners(0, stopping.signal);

  async function route(req: IncomingMessage, endpoint: string, query: URLSearchParams, rejectLogins: boolean): Promise<Reply> {
    const method = req.method ?? "GET";
    if (endpoint === LOGIN_ENDPOINT) {
      if (method !== "POST") return methodNotAllowed(method, endpoint, "POST");
      return login(ctx.scenario.ispcube, req.headers, await readBody(req), tokens, rejectLogins);
    }
    const handler = routes.get(endpoint);
    // Laravel matches the route before running the auth middleware.
    if (!handler) return json(404, { message: `The route api/${endpoint} could not be found.` });
    if (method !== "GET" && method !== "HEAD") return methodNotAllowed(method, endpoint, "GET, HEAD");
    return guard(ctx.scenario.ispcube, req.headers, tokens) ?? handler(ctx.scenario, query);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://ispcube.invalid");
    const path = url.pathname.replace(/\/+$/, "");
    // The API lives under /api only, as the real one does: a base URL that lost or doubled its /api
    // must fail here too, not only in production. The rest of the host is the web app (nginx 404).
    if (!path.startsWith("/api/")) {
      await sendReply(res, { status: 404, contentType: "text/html", text: "<!DOCTYPE html><html><head><title>Not Found</title></head><body>Not Found</body></html>\n" });
      return;
    }
    const endpoint = path.slice("/api/".length);
    const fault = httpFault(ctx.scenario.faults, "ispcube", endpoint);
    if (fault?.down) {
      req.socket.destroy();
      return;
    }
    // Every request that reaches ISPCube is metered, logins and failures included (§3.7).
    ctx.counters.count("ispcube", endpoint);
    quota.record();
    const delay = faultDelayMs(fault);
    if (delay > 0) await sleep(delay, undefined, { signal: stopping.signal });
    const injected = faultOutcome(fault);
    if (injected === "hang") return;
    const reply = injected ?? (await route(req, endpoint, url.searchParams, fault?.wrongCredentials === true));
    if (fault?.resetMidResponse) return resetMidway(res, reply);
    await sendReply(res, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (stopping.signal.aborted) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      void sendReply(res, errorReply(500));
    });
  });
  const listening = await listenTracked(server, host, opts.port ?? 0, () => !ctx.scenario.faults?.ispcube?.["*"]?.down);
  return {
    url: `http://${urlHost(host)}:${listening.port}`,
    host,
    port: listening.port,
    quota: () => quota.read(),
    close() {
      stopping.abort();
      return listening.close();
    },
  };
}

function methodNotAllowed(method: string, endpoint: string, allowed: string): Reply {
  return json(405, {
    message: `The ${method} method is not supported for route api/${endpoint}. Supported methods: ${allowed}.`,
  });
}

/** Announce the full length, send half of the body, then reset the TCP connection. */
function resetMidway(res: ServerResponse, reply: Reply): void {
  const { status, headers, body } = replyBytes(reply);
  res.writeHead(status, { ...headers, "content-length": String(body.length) });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    res.socket?.resetAndDestroy();
  });
}
