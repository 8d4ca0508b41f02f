import { setMaxListeners } from "node:events";
import { randomBytes } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { faultDelayMs, httpFault, type SimContext } from "../context.js";
import { listenTracked, urlHost } from "../listen.js";
import type { Faults, HttpFault } from "../scenario/types.js";
import { createSmartOltRateLimiter, rateLimitHeaders } from "./rate-limiter.js";
import { createRebootTracker } from "./reboots.js";
import { createRenderContext } from "./render.js";
import { createRouteTable, resolveRoute } from "./routes.js";

export interface SmartOltSimOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0 (any free port). */
  port?: number;
}

export interface SmartOltSim {
  /**
   * The API base with its `/api` path, e.g. `http://127.0.0.1:40123/api`: SmartOLT's documented base
   * URL is `https://{subdomain}.smartolt.com/api` (§1.1), and clients append `/onu/…`, `/system/…`.
   */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The SmartOLT REST API as shared/vendors/smartolt.md describes it, serving `ctx.scenario.smartolt`
 * (read live on every request) with its auth, envelopes, rate limits and the scenario's faults.
 */
export async function startSmartOltSim(ctx: SimContext, opts: SmartOltSimOptions = {}): Promise<SmartOltSim> {
  const host = opts.host ?? "127.0.0.1";
  const shutdown = new AbortController();
  // Every delayed answer waits on it: hundreds at once under load are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  const table = createRouteTable();
  const limiter = createSmartOltRateLimiter();
  const reboots = createRebootTracker();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // POST bodies (form or multipart, §1.2) carry nothing the lab needs
    reboots.settle(ctx.clock.now().getTime());
    const url = new URL(req.url ?? "/", "http://smartolt.invalid");
    const resolved = resolveRoute(table, url.pathname);
    const endpoint = resolved ? (resolved.route.key?.(url.searchParams) ?? resolved.path) : undefined;
    const fault = faultFor(ctx.scenario.faults, endpoint);

    if (fault?.down) {
      req.socket.destroy();
      return;
    }
    const delay = faultDelayMs(fault);
    if (delay > 0) await sleep(delay, undefined, { signal: shutdown.signal });

    const world = ctx.scenario.smartolt;
    // §1.4/§8: the bad-key body is not captured; 403 with the documented error shape [I].
    if (fault?.wrongCredentials || req.headers["x-token"] !== world.token) {
      return send(res, 403, { status: false, error: "Invalid API key" }, fault);
    }
    // §1.4: unknown paths and wrong verbs get the same 405.
    if (!resolved || !endpoint || resolved.route.method !== req.method) {
      return send(res, 405, { status: false, error: "Unknown method" }, fault);
    }

    const nowMs = ctx.clock.now().getTime();
    const decision = limiter.take(endpoint, resolved.arg, nowMs, world.rateLimits);
    for (const [name, value] of rateLimitHeaders(decision)) res.setHeader(name, value);
    if (!decision.allowed) return sendRateLimited(res, decision.retryAfterS, fault);

    // Counted like the budget counts: authenticated calls to a real endpoint that the limiter let
    // through. 403s, 405s and 429s cost nothing; an injected 5xx or hang does, since SmartOLT took it.
    ctx.counters.count("smartolt", endpoint);

    if (fault?.hang) return;
    if (fault?.burst && fault.burst.count > 0) {
      fault.burst.count--; // in place, so the fault recovers after `count` calls
      return sendStatus(res, fault.burst.status, fault);
    }
    if (fault?.errorRate && Math.random() < fault.errorRate) return sendStatus(res, fault.status ?? 500, fault);

    const reply = resolved.route.handle({
      world,
      nowMs,
      arg: resolved.arg,
      query: url.searchParams,
      rc: createRenderContext(world),
      reboots,
    });
    send(res, reply.status, reply.body, fault);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (shutdown.signal.aborted || res.headersSent || res.destroyed) return;
      send(res, 500, { status: false, error: `Internal server error: ${String(err)}` }, undefined);
    });
  });
  const listening = await listenTracked(server, host, opts.port ?? 0, () => !httpFault(ctx.scenario.faults, "smartolt", "*")?.down);
  return {
    url: `http://${urlHost(host)}:${listening.port}/api`,
    host,
    port: listening.port,
    close: () => {
      shutdown.abort();
      return listening.close();
    },
  };
}

/** The endpoint's own fault, then (for paged details) the base endpoint's, then `*`. */
function faultFor(faults: Faults | undefined, endpoint: string | undefined): HttpFault | undefined {
  if (endpoint === undefined) return httpFault(faults, "smartolt", "*");
  const own = faults?.smartolt?.[endpoint];
  return own ?? httpFault(faults, "smartolt", endpoint.split("?")[0] ?? endpoint);
}

function sendRateLimited(res: ServerResponse, retryAfterS: number, fault: HttpFault | undefined): void {
  // §1.4/§3: the body seen in a fixture written after a production incident [TZ-test].
  res.setHeader("Retry-After", String(retryAfterS));
  send(res, 429, { status: false, response_code: "rate_limit_exceeded", retry_after: retryAfterS }, fault);
}

/** An injected failure status, in the body SmartOLT uses for that status. */
function sendStatus(res: ServerResponse, status: number, fault: HttpFault): void {
  if (status === 429) return sendRateLimited(res, 60, fault);
  if (status === 403) return send(res, 403, { status: false, error: "Invalid API key" }, fault);
  send(res, status, { status: false, error: STATUS_CODES[status] ?? "Error" }, fault);
}

function send(res: ServerResponse, status: number, body: unknown, fault: HttpFault | undefined): void {
  if (res.destroyed) return;
  const payload = Buffer.from(JSON.stringify(body));
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", payload.length);
  // §1.1: every response sets a session cookie that API clients must ignore.
  res.setHeader("Set-Cookie", `lab_session=${randomBytes(16).toString("hex")}; Max-Age=7200; path=/; HttpOnly`);
  if (fault?.resetMidResponse) {
    const cut = Math.max(1, Math.floor(payload.length / 2));
    res.write(payload.subarray(0, cut), () => res.socket?.destroy());
    return;
  }
  res.end(payload);
}
