import { getSystemErrorName } from "node:util";
import { RouterOSAPI } from "node-routeros";
import type { Logger } from "../../logger.js";
import type { VendorErrorKind } from "../errors.js";
import { VendorError } from "../errors.js";
import { trapKind } from "./parse.js";
import { UNKNOWN_REPLY } from "./patches.js";
import { decodeRouterRow, decodeRouterText } from "./text.js";
import type { WireRow } from "./wire.js";

/**
 * One logged-in API connection to one router (node-routeros 1.6.9), made safe: node-routeros never
 * settles a pending command when the link drops (shared/vendors/routeros.md §2.6.5), so the link
 * keeps its own list of calls in flight and rejects them all when it dies. A dead link is never
 * reused: the pool opens a new RouterOSAPI for the next call.
 */
export interface Link {
  readonly dead: boolean;
  /** Sends one command; resolves with its `!re` rows. `signal` aborts this call only. */
  call(words: readonly string[], op: string, signal: AbortSignal): Promise<WireRow[]>;
  /**
   * Starts a command that never finishes on its own (monitor-traffic without `once`, §1.7). `row`
   * gets each `!re`; `end` is called once, when the router ends it, traps, or the link dies, but
   * not after `stop()`, which sends `/cancel` for it.
   */
  stream(words: readonly string[], op: string, handlers: StreamHandlers): LinkStream;
  /** Streams running on this link. */
  readonly streams: number;
  /** Logs out politely (bounded), then drops the socket. */
  close(): Promise<void>;
}

export interface StreamHandlers {
  row(row: WireRow): void;
  end(err?: VendorError): void;
}

export interface LinkStream {
  /** Sends `/cancel` for the stream (bounded wait); a no-op once it ended. */
  stop(): Promise<void>;
}

/** The parts of node-routeros' RStream used here. */
interface RStreamLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string): boolean;
  stop(): Promise<void>;
}

export interface LinkOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** node-routeros' socket idle timeout; an idle link then closes and the next call reconnects. */
  idleTimeoutMs: number;
  logger?: Logger;
  /** Called once, when the link dies. */
  onDead(link: Link): void;
}

interface Failure {
  kind: VendorErrorKind;
  message: string;
  cause?: unknown;
  /** The socket error code, when the failure is a socket's. */
  code?: string;
}

interface Pending {
  op: string;
  reject(err: VendorError): void;
}

/** Private state of RouterOSAPI that must be cleared for a dropped link to leave nothing behind. */
interface ApiInternals {
  connector?: {
    destroy(): void;
    on(event: string, listener: () => void): unknown;
    socket?: { setNoDelay?(noDelay: boolean): unknown };
  } | null;
  connectionHoldInterval?: NodeJS.Timeout;
  keptaliveby?: NodeJS.Timeout;
}

const CLOSE_WAIT_MS = 1000;
/** Codes of a router breaking the API protocol (node-routeros' own and patches.ts'). */
const PROTOCOL_ERRORS = new Set(["UNREGISTEREDTAG", "UNKNOWNREPLY", "UNTAGGED", "PROTOCOL"]);

export function openLink(o: LinkOptions): Link {
  const api = new RouterOSAPI({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    timeout: o.idleTimeoutMs / 1000,
    // Hold pings run only while a command is pending; an idle link may time out and reconnect later.
    keepalive: false,
  });
  const where = { router: `${o.host}:${o.port}` };
  const pending = new Set<Pending>();
  const running = new Set<Pending>();
  let death: Failure | undefined;

  // Always attached before connect(): without them an idle timeout or a reset kills the process (§2.6.6).
  api.on("error", (err: unknown) => kill(socketFailure(err)));
  api.on("close", () => kill({ kind: "unavailable", message: "the router closed the connection", code: "CLOSED" }));

  const connecting = api.connect();
  const internals = api as unknown as ApiInternals;
  // connect() has built the connector (and its socket) synchronously.
  const connector = internals.connector;
  // node-routeros writes every word in its own write(); with Nagle each command then waits for the
  // router's delayed ACK (~40 ms on Linux) before its last words leave.
  connector?.socket?.setNoDelay?.(true);
  let loggedIn = false;
  const ready: Promise<void> = connecting.then(
    () => {
      loggedIn = true;
      o.logger?.debug(where, "routeros: logged in");
    },
    (err: unknown) => {
      const failure = loginFailure(err);
      kill(failure);
      throw failure;
    },
  );
  ready.catch(() => {});

  function kill(failure: Failure, destroy = true): void {
    if (death) return;
    death = failure;
    for (const p of pending) p.reject(toVendorError(p.op, failure));
    pending.clear();
    for (const s of [...running]) s.reject(toVendorError(s.op, failure));
    running.clear();
    o.logger?.debug({ ...where, kind: failure.kind, reason: failure.message }, "routeros: connection dropped");
    if (destroy) teardown();
    o.onDead(link);
  }

  /**
   * A link whose login the router has not answered, once no call or stream waits on it any more, is
   * dropped: left open it would hold the router's key until node-routeros' idle timeout, and the next
   * call would wait on that login (which a router that was silent never answers) instead of a fresh
   * one. A call's own timeout drops the link anyway; a caller that gave up, or a stream stopped while
   * starting, did not.
   */
  function dropIfAbandoned(): void {
    if (!loggedIn && pending.size === 0 && running.size === 0) kill({ kind: "timeout", message: "abandoned before the router answered the login" });
  }

  function teardown(): void {
    const clearTimers = (): void => {
      clearTimeout(internals.connectionHoldInterval);
      clearTimeout(internals.keptaliveby);
    };
    clearTimers();
    // A hold ping answered just before the end re-arms its timer from a promise callback: clear
    // again once those have run, or it keeps the process alive for idle/2 s.
    setImmediate(clearTimers);
    // RouterOSAPI.close() nulls its connector; a hold-ping timer firing after that would throw
    // from `null.read`, so it gets the dead one back and writes into the void instead.
    internals.connector ??= connector;
    if (connector) {
      connector.destroy();
      // destroy() drops every listener; this one keeps a late socket error from being "unhandled".
      connector.on("error", () => {});
    }
  }

  const link: Link = {
    get dead() {
      return death !== undefined;
    },
    call(words, op, signal) {
      return new Promise<WireRow[]>((resolve, reject) => {
        if (death) return reject(toVendorError(op, death));
        if (signal.aborted) return reject(signal.reason);
        const entry: Pending = { op, reject };
        pending.add(entry);
        const onAbort = (): void => {
          pending.delete(entry);
          reject(signal.reason);
          // After a timeout the stream's state is unknown (an untagged or half-sent reply may be
          // buffered in node-routeros): drop the link, the next call reconnects.
          if ((signal.reason as { name?: unknown } | undefined)?.name === "TimeoutError") {
            kill({ kind: "timeout", message: "dropped after a command timed out" });
          } else dropIfAbandoned();
        };
        signal.addEventListener("abort", onAbort, { once: true });
        const [path = "", ...params] = words;
        ready
          .then(() => {
            // Settled already (the link died or the caller gave up while logging in): send nothing.
            if (death) throw death;
            if (signal.aborted) throw signal.reason;
            // A fresh params array per call: node-routeros appends `.tag` to the array it is given (§2.5).
            return api.write(path, [...params]);
          })
          .then(
            // Words arrive byte for byte (patches.ts item 7): each value is decoded here, whole.
            (rows) => resolve((rows as WireRow[]).map(decodeRouterRow)),
            (err: unknown) => reject(isFailure(err) ? toVendorError(op, err) : toVendorError(op, commandFailure(err))),
          )
          .finally(() => {
            pending.delete(entry);
            signal.removeEventListener("abort", onAbort);
          });
      });
    },
    get streams() {
      return running.size;
    },
    stream(words, op, handlers) {
      let rs: RStreamLike | undefined;
      let over = false;
      const entry: Pending = { op, reject: (err) => finish(err) };
      function finish(err?: VendorError): void {
        if (over) return;
        over = true;
        running.delete(entry);
        handlers.end(err);
      }
      if (death) {
        const failure = death;
        queueMicrotask(() => finish(toVendorError(op, failure)));
        return { stop: async () => void (over = true) };
      }
      running.add(entry);
      const [path = "", ...params] = words;
      ready.then(
        () => {
          if (over || death) return;
          rs = api.writeStream(path, [...params]) as unknown as RStreamLike;
          // Without a callback, RStream emits 'error' for a trap: unheard, that kills the process.
          rs.on("error", () => {});
          rs.on("data", (row) => {
            if (!over) handlers.row(decodeRouterRow(row as WireRow));
          });
          rs.on("trap", (data) => {
            // node-routeros skips its 'stopped' bookkeeping after a trap (§2.6.9): without this the
            // link keeps counting an open channel and hold-pinging forever.
            rs?.emit("stopped");
            const message = (data as { message?: string } | undefined)?.message ?? "trap";
            finish(toVendorError(op, commandFailure(new Error(message))));
          });
          rs.on("done", () => finish());
        },
        () => {}, // a failed login kills the link, which ends this stream
      );
      return {
        async stop() {
          if (over) return;
          over = true;
          running.delete(entry);
          if (!rs || death) return dropIfAbandoned();
          let timer: NodeJS.Timeout | undefined;
          const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
          await Promise.race([rs.stop().catch(() => {}), waited]);
          clearTimeout(timer);
        },
      };
    },
    async close() {
      if (death) return;
      const wasConnected = api.connected;
      kill({ kind: "unavailable", message: "the connection pool was closed" }, false);
      if (wasConnected) {
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
        await Promise.race([api.close().catch(() => {}), waited]);
        clearTimeout(timer);
      }
      teardown();
    },
  };
  return link;
}

function isFailure(err: unknown): err is Failure {
  return typeof err === "object" && err !== null && "kind" in err && "message" in err && !(err instanceof Error);
}

function toVendorError(op: string, f: Failure): VendorError {
  return new VendorError("routeros", op, f.kind, f.message, { cause: f.cause, ...(f.code ? { code: f.code } : {}) });
}

/** RosException keeps a string code, or on Node ≥ 13 the numeric errno of a socket error (§2.4). */
function errnoOf(err: unknown): string | undefined {
  const errno = (err as { errno?: unknown } | null)?.errno;
  if (typeof errno === "number") {
    try {
      return getSystemErrorName(errno);
    } catch {
      return String(errno);
    }
  }
  return typeof errno === "string" ? errno : undefined;
}

function socketFailure(err: unknown): Failure {
  const code = errnoOf(err);
  if (code === "SOCKTMOUT") return { kind: "unavailable", message: "the connection was idle too long", cause: err };
  if (code && PROTOCOL_ERRORS.has(code)) {
    return { kind: "bad_response", message: `the router broke the API protocol (${code})`, cause: err };
  }
  return { kind: "unavailable", message: code ? `connection lost (${code})` : "connection lost", cause: err, ...(code ? { code } : {}) };
}

function loginFailure(err: unknown): Failure {
  const code = errnoOf(err);
  if (code === "CANTLOGIN") return { kind: "auth", message: "the router refused the API credentials", cause: err };
  if (code === "SOCKTMOUT") return { kind: "timeout", message: "no answer while connecting", cause: err };
  if (code === "ECONNREFUSED") return { kind: "unavailable", message: "connection refused (nothing listens on the API port)", cause: err, code };
  if (code) return socketFailure(err);
  // Any other `!trap` to /login (node-routeros passes it on as a plain Error): credentials trouble.
  const message = err instanceof Error ? err.message : String(err);
  return { kind: "auth", message: `login failed: ${message}`, cause: err };
}

/** node-routeros rejects a command only for a `!trap`, as a plain Error carrying its message. */
function commandFailure(err: unknown): Failure {
  const message = decodeRouterText(err instanceof Error ? err.message : String(err));
  if (message.startsWith(UNKNOWN_REPLY)) return { kind: "bad_response", message, cause: err };
  return { kind: trapKind(message), message: `trap: ${message}`, cause: err };
}
