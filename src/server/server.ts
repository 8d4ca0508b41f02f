import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { once, setMaxListeners } from "node:events";
import cors from "cors";
import { cors as connectCors, createContextValues } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import { createConnectAdapter } from "./connect-adapter.js";
import { kClientIp } from "./context-values.js";
import { HealthState } from "./health.js";
import { handleHealth } from "./http-health.js";
import { createLegacyPaths } from "./legacy-paths.js";
import { BEHOLDER_SERVICES, createInterceptors, createRoutes, createWatchHubFor } from "./routes.js";
import type { WatchStats } from "../diagnosis/watch/hub.js";

export interface BeholderServer {
  /** The request handler, for mounting elsewhere. */
  handler: (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;
  health: HealthState;
  /** The WatchDiagnosis hub's counts (subscribers watched, pollers, router streams), for tests and benchmarks. */
  watchStats(): WatchStats;
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

/** How long a new connection may take to send its first bytes. */
const SNIFF_TIMEOUT_MS = 10_000;

/**
 * Builds the server without listening (tests mount the very same one). One socket serves HTTP/1.1
 * and cleartext HTTP/2: the first bytes of a connection decide, since Node's h2c server has no
 * HTTP/1 fallback without TLS (nodejs/node#18554).
 */
export function createServer(app: AppContext): BeholderServer {
  const { config } = app;
  const health = new HealthState(BEHOLDER_SERVICES.map((s) => s.typeName));
  const hardStop = new AbortController();
  // Connect adds one listener per call in flight; more than ten is normal load, not a leak.
  setMaxListeners(0, hardStop.signal);
  const watch = createWatchHubFor(app, health);
  const connect = createConnectAdapter({
    routes: createRoutes(app, health, watch),
    interceptors: createInterceptors(app),
    readMaxBytes: config.server.maxBodyBytes,
    // A search page is about 5 KB: gzip on it cost more CPU than it saves (throughput +40% without,
    // docs/BENCHMARKS.md). Big answers (a diagnosis with history, a long stream) still compress.
    compressMinBytes: COMPRESS_MIN_BYTES,
    shutdownSignal: hardStop.signal,
    contextValues: (req) => createContextValues().set(kClientIp, req.socket.remoteAddress ?? "unknown"),
  });
  const anyOrigin = config.server.corsOrigins.includes("*");
  const corsHandler = cors({
    origin: anyOrigin ? "*" : config.server.corsOrigins,
    methods: [...connectCors.allowedMethods],
    allowedHeaders: [...connectCors.allowedHeaders, "x-api-key", "authorization"],
    exposedHeaders: [...connectCors.exposedHeaders, "retry-after", "x-ratelimit-remaining"],
    maxAge: 7200,
  });

  const legacy = createLegacyPaths(app);
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
      void handleHealth(app, health, req, res);
      return;
    }
    // cors() is written for http.IncomingMessage; it only reads method and headers, which both have.
    corsHandler(req as http.IncomingMessage, res as http.ServerResponse, () => {
      if (legacy.matches(req.method, path ?? "/")) void legacy.handle(req, res);
      else connect(req, res);
    });
  };

  const h1 = http.createServer(handler);
  const h2 = http2.createServer(handler);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // A reset before the protocol is known must not become an uncaught 'error'.
    socket.on("error", () => socket.destroy());
    socket.setTimeout(SNIFF_TIMEOUT_MS, () => socket.destroy());
    const sniff = (): void => {
      const head: Buffer | null = socket.read(3);
      if (head === null) {
        if (socket.readableEnded) socket.destroy();
        else socket.once("readable", sniff);
        return;
      }
      socket.setTimeout(0);
      socket.unshift(head);
      (head.toString("latin1") === "PRI" ? h2 : h1).emit("connection", socket);
    };
    sniff();
  });

  return {
    handler,
    health,
    watchStats: () => watch.stats(),
    async listen(port = config.server.port, host = config.server.host) {
      server.listen(port, host);
      await once(server, "listening");
      const addr = server.address() as net.AddressInfo;
      const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      return { host: addr.address, port: addr.port, url: `http://${shown}:${addr.port}` };
    },
    async close() {
      health.drain();
      const closed = server.listening ? once(server, "close") : Promise.resolve();
      server.close();
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
      await closed;
      clearTimeout(linger);
    },
  };
}
