import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type tls from "node:tls";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { ClientAddresses } from "./client-address.js";
import { normalizeAddress } from "./client-address.js";
import { createConnectionGate, type ConnectionGate } from "./connection-gate.js";

type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

/** The sockets and sessions behind one port, for the graceful close. */
export interface Transport {
  server: net.Server;
  sockets: Set<net.Socket>;
  sessions: Set<http2.ServerHttp2Session>;
  gate: ConnectionGate;
}

/** How long an address that flooded resets is refused: the flood must not resume on a new connection. */
const RESET_PENALTY_MS = 30_000;
const RESET_WINDOW_MS = 60_000;

/**
 * One port for HTTP/1.1 and cleartext HTTP/2: the first bytes of a connection decide, since Node's
 * h2c server has no HTTP/1 fallback without TLS (nodejs/node#18554). Sockets handed over with
 * emit("connection") never get the HTTP/1 server's headersTimeout/requestTimeout (armed only by its
 * own listen()), so every deadline here is armed by hand, and each one is absolute: a client that
 * trickles a byte now and then gains nothing.
 */
export function createTransport(
  handler: Handler,
  config: Config["server"],
  addresses: ClientAddresses,
  logger: Logger,
  secure?: { cert: Buffer; key: Buffer },
): Transport {
  const gate = createConnectionGate(config);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const deadlines = new WeakMap<net.Socket, NodeJS.Timeout>();
  // Connections with no request in flight, least recently busy first, in two tiers. When the total
  // cap is full, one of them makes room for a newcomer, so attackers spread over many addresses cannot
  // keep new clients out until their deadlines expire; a connection serving a call is never shed.
  // First to go are those that never completed a call (a slowloris socket, a bare h2 preface, an h2
  // session that never had a stream); a client's keep-alive socket or h2 session between calls goes only
  // when none of those is left, since closing it races with the client's next call on it (the client
  // sees EPIPE or REFUSED_STREAM, not an answer). Any finished response or closed stream counts, a
  // refused one too: an attacker who completes one cheap call per connection is kept like a client.
  const unproven = new Set<net.Socket>();
  const idleConnections = new Set<net.Socket>();
  const releases = new WeakMap<net.Socket, () => void>();
  const shedders = new WeakMap<net.Socket, () => void>();
  let shed = 0;
  const forget = (socket: net.Socket): void => {
    unproven.delete(socket);
    idleConnections.delete(socket);
  };
  const makeRoom = (): boolean => {
    const victim = (unproven.values().next().value ?? idleConnections.values().next().value) as net.Socket | undefined;
    if (!victim) return false;
    forget(victim);
    releases.get(victim)?.();
    (shedders.get(victim) ?? (() => victim.destroy()))();
    if (++shed % 1000 === 1) logger.warn({ shed, open: gate.open }, "connection cap full: idle connections closed to admit new ones");
    return true;
  };
  const busy = (socket: net.Socket | undefined): void => void (socket && forget(socket));
  const idleAgain = (socket: net.Socket | undefined): void => {
    if (!socket || socket.destroyed || !sockets.has(socket)) return;
    forget(socket);
    idleConnections.add(socket);
  };
  const deadline = (socket: net.Socket, ms: number | undefined): void => {
    clearTimeout(deadlines.get(socket));
    if (ms === undefined || socket.destroyed) return;
    deadlines.set(socket, setTimeout(() => socket.destroy(), ms).unref());
  };

  const h1 = http.createServer({ keepAliveTimeout: config.idleTimeoutMs }, handler);
  const armH1 = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse): void => {
    const socket = req.socket as net.Socket;
    const raw = rawSocketOf(socket);
    busy(raw);
    res.once("close", () => idleAgain(raw));
    // Headers are in; the body has the rest of the request timeout (Node's requestTimeout semantics).
    deadline(socket, req.complete ? undefined : config.requestTimeoutMs);
    req.once("end", () => deadline(socket, undefined));
    res.once("finish", () => {
      // Keep-alive: Node's own keepAliveTimeout closes a quiet socket; this bounds one that trickles.
      deadline(socket, config.idleTimeoutMs + config.headersTimeoutMs);
    });
  };
  h1.on("request", armH1);

  const h2Options = {
    settings: { maxConcurrentStreams: config.maxStreamsPerConnection },
    // Streams refused over maxConcurrentStreams before the session is closed (Node's default 100).
    maxSessionRejectedStreams: 100,
  };
  const h2 = http2.createServer(h2Options, handler);
  // With TLS, Node's secure HTTP/2 server does the handshake and lets ALPN choose: h2 sessions, or
  // HTTP/1.1 requests (allowHTTP1) on the same handler. The handshake has the headers deadline.
  const h2s = secure
    ? http2.createSecureServer({ ...h2Options, cert: secure.cert, key: secure.key, allowHTTP1: true, handshakeTimeout: config.headersTimeoutMs }, handler)
    : undefined;
  h2s?.on("request", (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    if (req.httpVersionMajor === 1) armH1(req, res);
  });
  h2s?.on("secureConnection", (socket: tls.TLSSocket) => {
    // HTTP/1.1 must now send its headers in time; an h2 session's idle timer takes over by itself.
    if (socket.alpnProtocol !== "h2") deadline(socket, config.headersTimeoutMs);
    socket.once("close", () => deadline(socket, undefined));
  });
  h2s?.on("tlsClientError", () => undefined);
  // 'session' fires inside h2.emit("connection"): this is that connection's socket (its address, and
  // a handle to end it outright when the peer ignores GOAWAY).
  let handingOver: net.Socket | undefined;
  const onSession = (session: http2.ServerHttp2Session): void => {
    sessions.add(session);
    // Over TLS the session's socket is Node's proxy, which must not be destroyed directly (the session is).
    const socket = handingOver;
    const raw = socket ?? rawSocketOf(session.socket as net.Socket);
    if (raw) shedders.set(raw, () => {
      session.destroy();
      raw.destroy();
    });
    const address = normalizeAddress((socket ?? session.socket)?.remoteAddress);
    let open = 0;
    let resets = 0;
    let windowStart = Date.now();
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      clearTimeout(idle);
      // Idle means no stream open: a quiet watch is not idle, a session that only PINGs is.
      idle = setTimeout(() => expire(session, socket), config.idleTimeoutMs).unref();
    };
    armIdle();
    session.on("stream", (stream: http2.ServerHttp2Stream) => {
      open++;
      busy(raw);
      clearTimeout(idle);
      stream.once("close", () => {
        open--;
        if (open === 0) idleAgain(raw);
        if (stream.rstCode !== undefined && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) {
          const t = Date.now();
          if (t - windowStart > RESET_WINDOW_MS) [windowStart, resets] = [t, 0];
          if (++resets > config.maxResetsPerMinute && !session.destroyed) {
            logger.warn({ address, resets }, "http/2 connection closed: too many reset streams");
            // A trusted proxy carries everyone's traffic: only its connection goes, not its address.
            if (!addresses.trusts(address)) gate.penalize(address, RESET_PENALTY_MS);
            session.goaway(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
            session.destroy();
            socket?.destroy();
            return;
          }
        }
        if (open === 0 && !session.destroyed) armIdle();
      });
    });
    session.once("close", () => {
      clearTimeout(idle);
      sessions.delete(session);
    });
  };
  h2.on("session", onSession);
  h2s?.on("session", onSession);

  const server = net.createServer((socket) => {
    const address = normalizeAddress(socket.remoteAddress);
    const release = gate.admit(address, addresses.trusts(address), makeRoom);
    // A reset before the protocol is known must not become an uncaught 'error'.
    socket.on("error", () => socket.destroy());
    if (!release) {
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    unproven.add(socket);
    releases.set(socket, release);
    socket.once("close", () => {
      release();
      sockets.delete(socket);
      forget(socket);
      deadline(socket, undefined);
    });
    if (h2s) {
      h2s.emit("connection", socket);
      return;
    }
    // Both protocols must show their first bytes, and HTTP/1.1 its whole headers, by this deadline.
    deadline(socket, config.headersTimeoutMs);
    const sniff = (): void => {
      const head: Buffer | null = socket.read(3);
      if (head === null) {
        if (socket.readableEnded) socket.destroy();
        else socket.once("readable", sniff);
        return;
      }
      socket.unshift(head);
      if (head.toString("latin1") === "PRI") {
        // From here the session's idle timer (armed at once) takes over.
        deadline(socket, undefined);
        handingOver = socket;
        h2.emit("connection", socket);
        handingOver = undefined;
      } else {
        h1.emit("connection", socket);
      }
    };
    sniff();
  });
  return { server, sockets, sessions, gate };
}

/**
 * The accepted TCP socket behind what a request or session reports: itself in clear text, the TLS
 * socket's parent with TLS (Node keeps it as `_parent`; an h2 session's socket is a proxy to it).
 */
function rawSocketOf(socket: net.Socket | undefined): net.Socket | undefined {
  const parent = (socket as { _parent?: unknown } | undefined)?._parent;
  return parent instanceof net.Socket ? parent : socket;
}

function expire(session: http2.ServerHttp2Session, socket: net.Socket | undefined): void {
  if (session.destroyed) return;
  session.close();
  // A peer that ignores GOAWAY still loses the socket.
  setTimeout(() => {
    session.destroy();
    socket?.destroy();
  }, 1000).unref();
}
