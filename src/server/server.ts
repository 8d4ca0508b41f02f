import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { readFileSync } from "node:fs";
import { once, setMaxListeners } from "node:events";
import cors from "cors";
import { cors as connectCors } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import { createConnectAdapter } from "./connect-adapter.js";
import { createConsoleHandler, defaultConsoleDir } from "./console.js";
import { createClientAddresses } from "./client-address.js";
import { HealthState } from "./health.js";
import { createHealthProbe, handleHealth } from "./http-health.js";
import { handleMetrics } from "./http-metrics.js";
import { codeLabel } from "./interceptors/metrics.js";
import { createPreAuth } from "./pre-auth.js";
import { createTransport } from "./transport.js";
import { fanOutAccepts, type AcceptFanout } from "./accept-fanout.js";
import { createLegacyPaths } from "./legacy-paths.js";
import { BEHOLDER_SERVICES, createInterceptors, createRoutes, createWatchHubFor } from "./routes.js";
import type { WatchStats } from "../diagnosis/watch/hub.js";

export interface BeholderServer {
  /** The request handler, for mounting elsewhere. */
  handler: (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;
  health: HealthState;
  /** The WatchDiagnosis hub's counts (subscribers watched, pollers, router streams), for tests and benchmarks. */
  watchStats(): WatchStats;
  /** Connections open and handles accepting them (accept-fanout.ts), for tests and benchmarks. */
  connectionStats(): { open: number; acceptHandles: number };
  /** Listens on config host/port (or the given ones); resolves with the bound address. */
  listen(port?: number, host?: string): Promise<{ host: string; port: number; url: string }>;
  /**
   * Graceful stop: report NOT_SERVING, stop accepting, let unary calls finish and streams end, then
   * cut what is left once the shutdown timeout passes.
   */
  close(): Promise<void>;
}

/** Responses smaller than this go uncompressed. */
const COMPRESS_MIN_BYTES = 16 * 1024;
/** Node's default listen backlog; the connection cap raises it. */
const LISTEN_BACKLOG_MIN = 511;

/**
 * Builds the server without listening (tests mount the very same one). One socket serves HTTP/1.1
 * and cleartext HTTP/2 (transport.ts), with caps and deadlines against clients that hold on.
 */
export function createServer(app: AppContext): BeholderServer {
  const { config } = app;
  const health = new HealthState(BEHOLDER_SERVICES.map((s) => s.typeName));
  const addresses = createClientAddresses(config.server.trustedProxies);
  const hardStop = new AbortController();
  // Connect adds one listener per call in flight; more than ten is normal load, not a leak.
  setMaxListeners(0, hardStop.signal);
  const watch = createWatchHubFor(app, health);
  app.metrics.bind({ watch: () => watch.stats() });
  const probe = createHealthProbe(app, health);
  const connect = createConnectAdapter({
    routes: createRoutes(app, health, watch, probe.refresh),
    interceptors: createInterceptors(app),
    readMaxBytes: config.server.maxBodyBytes,
    // A search page is about 5 KB: gzip on it cost more CPU than it saves (throughput +40% without,
    // docs/BENCHMARKS.md). Big answers (a diagnosis with history, a long stream) still compress.
    compressMinBytes: COMPRESS_MIN_BYTES,
    shutdownSignal: hardStop.signal,
    before: createPreAuth(app, addresses),
    requestTimeoutMs: config.server.requestTimeoutMs,
    // Refused before any handler ran: counted, but not timed (nothing was served).
    onRefused: (procedure, code) => app.metrics.observeRpc(procedure, codeLabel(code), 0, true),
  });
  const anyOrigin = config.server.corsOrigins.includes("*");
  const corsHandler = cors({
    origin: anyOrigin ? "*" : config.server.corsOrigins,
    methods: [...connectCors.allowedMethods],
    allowedHeaders: [...connectCors.allowedHeaders, "x-api-key", "authorization"],
    exposedHeaders: [...connectCors.exposedHeaders, "retry-after", "x-ratelimit-remaining"],
    maxAge: 7200,
  });

  const legacy = createLegacyPaths(app, addresses);
  const agentConsole = config.console.enabled
    ? createConsoleHandler(config.console.dir ?? defaultConsoleDir(), (err) => app.logger.warn({ err }, "console: could not serve a file"))
    : undefined;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const handler: BeholderServer["handler"] = (req, res) => {
    inFlight++;
    res.once("close", () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      void handleHealth(app, health, probe, req, res).catch((err: unknown) => {
        app.logger.warn({ err }, "health: could not answer");
        if (!res.headersSent) res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, service: "beholder", status: "degraded" }));
      });
      return;
    }
    if (path === "/metrics" && (req.method === "GET" || req.method === "HEAD")) {
      handleMetrics(app, addresses, req, res).catch((err: unknown) => {
        app.logger.error({ err }, "metrics failed");
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    // The console's own page and files: same origin, so no CORS; its own security headers.
    if (agentConsole?.matches(path ?? "/") && (path !== "/" || req.method === "GET" || req.method === "HEAD")) {
      void agentConsole.handle(req, res, path ?? "/");
      return;
    }
    // cors() is written for http.IncomingMessage; it only reads method and headers, which both have.
    corsHandler(req as http.IncomingMessage, res as http.ServerResponse, () => {
      if (legacy.matches(req.method, path ?? "/")) void legacy.handle(req, res);
      else connect(req, res);
    });
  };

  const secure = config.server.tls ? { cert: readFileSync(config.server.tls.certPath), key: readFileSync(config.server.tls.keyPath) } : undefined;
  const { server, sockets, sessions, gate } = createTransport(handler, config.server, addresses, app.logger, secure);
  let fanout: Promise<AcceptFanout> | undefined;
  let acceptHandles = 1;

  return {
    handler,
    health,
    watchStats: () => watch.stats(),
    connectionStats: () => ({ open: gate.open, acceptHandles: server.listening ? acceptHandles : 0 }),
    async listen(port = config.server.port, host = config.server.host) {
      if (!secure && !config.server.allowInsecureListen && !isLoopbackHost(host)) {
        throw new Error(
          `refusing to listen on ${host} without TLS: API keys would cross the network in clear text. Set TLS_CERT and TLS_KEY, ` +
            "or ALLOW_INSECURE_LISTEN=on behind a TLS-terminating proxy on a private network",
        );
      }
      // A burst of connections (a slowloris, a fleet reconnecting) queues in the kernel rather than being
      // dropped: past the backlog a handshake is lost and its client waits for TCP's retransmits (1, 3,
      // 7 s...). As HAProxy does, the backlog is the connection cap (the kernel bounds it by
      // net.core.somaxconn). The queue drains only as fast as connections are accepted, and libuv accepts
      // one per loop turn and handle: a busy server gets several handles on its socket (accept-fanout.ts).
      const backlog = Math.max(LISTEN_BACKLOG_MIN, config.server.maxConnections);
      server.listen({ port, host, backlog });
      await once(server, "listening");
      // Past listen, an error is a failed accept (ENFILE, ENOBUFS...): logged, never a crash, and at
      // most once a second, since every accepting handle may hit it in the same turn.
      let acceptErrors = 0;
      let lastLogged = 0;
      server.on("error", (err) => {
        acceptErrors++;
        if (Date.now() - lastLogged < 1000) return;
        lastLogged = Date.now();
        app.logger.error({ err, errors: acceptErrors }, "could not accept a connection");
        acceptErrors = 0;
      });
      fanout = fanOutAccepts(server, {
        handles: config.server.acceptHandles,
        backlog,
        onError: (err) => app.logger.warn({ err }, "accepting on fewer handles than SERVER_ACCEPT_HANDLES"),
      });
      acceptHandles = (await fanout).handles;
      const addr = server.address() as net.AddressInfo;
      const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      return { host: addr.address, port: addr.port, url: `${secure ? "https" : "http"}://${shown}:${addr.port}` };
    },
    async close() {
      probe.stop();
      health.drain();
      const closed = server.listening ? once(server, "close") : Promise.resolve();
      server.close();
      // A fan-out still under way stops at its next copy, seeing the server closed.
      const fanoutClosed = fanout?.then((f) => f.close());
      const sessionsClosed = Promise.all([...sessions].map((s) => (s.closed ? undefined : once(s, "close"))));
      // GOAWAY: each HTTP/2 session closes itself once its last stream's frames are out.
      for (const s of sessions) s.close();
      const drained = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve));
      const timer = setTimeout(() => hardStop.abort(), config.server.shutdownTimeoutMs);
      const cut = new Promise<void>((resolve) => hardStop.signal.addEventListener("abort", () => resolve(), { once: true }));
      await Promise.race([Promise.all([drained, sessionsClosed]), cut]);
      clearTimeout(timer);
      // What is left: idle HTTP/1.1 keep-alive connections (ended politely), or calls that outlived the timeout.
      for (const socket of sockets) {
        if (hardStop.signal.aborted) socket.destroy();
        else socket.end();
      }
      const linger = setTimeout(() => sockets.forEach((socket) => socket.destroy()), 1000);
      await Promise.all([closed, fanoutClosed]);
      clearTimeout(linger);
    },
  };
}

/** Loopback names and addresses: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}
