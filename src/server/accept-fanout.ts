import { spawn } from "node:child_process";
import net from "node:net";

/**
 * More accepts per event-loop turn on Node 20.
 *
 * libuv accepts one connection per readiness event of a listening handle (libuv/libuv#3696; Node 20
 * ships libuv 1.46), and the event loop polls once per turn. While the server is busy, a turn lasts as
 * long as the work it runs (100-400 ms under the faults bench), so a burst of connections (a slowloris, a fleet
 * reconnecting) sits in the kernel's accept queue for a long time, and a new client waits behind it:
 * before the connection caps can shed an attacker, it must be accepted.
 *
 * epoll keys its interest list on the descriptor *and* the open file, so duplicates of the listening
 * socket's descriptor can all be registered with the same loop. Each duplicate is a handle of its own,
 * each reports the queue readable, each accepts one: N handles accept up to N connections per turn.
 * When the queue holds fewer, the others' accept() returns EAGAIN inside libuv, without reaching
 * JavaScript. How many it takes: with 32 handles a fresh client still timed out behind a 5,000-socket
 * burst on a saturated server, with 256 none did; what they cost a server nobody attacks was within
 * the noise (both in bench/accept-wrk.ts, docs/BENCHMARKS.md).
 *
 * Node 20 has no call that duplicates a descriptor; the only one that does it is passing a handle
 * over an IPC channel (SCM_RIGHTS), so a short-lived helper process receives the listening handle
 * (as a raw handle: it never listens or accepts) and sends it back N - 1 times. It is given no
 * environment, so no secret reaches it. Node >= 22.12 offers `reusePort`, which would replace this.
 */
export interface AcceptFanout {
  /** Accepting handles in all, the server's own included. */
  readonly handles: number;
  close(): Promise<void>;
}

/** How long the helper may take to hand the duplicates back before the server starts without them. */
const HELPER_TIMEOUT_MS = 10_000;
/** How long the helper has to exit once told to, before SIGKILL. */
const HELPER_KILL_GRACE_MS = 2_000;

// The helper: receive the handle, send it back n times, close its own copy once the last is sent.
// A 'message' listener must stay on to keep the channel referenced: Node sends the copies one by one,
// each after the parent's acknowledgement of the one before, and with no listener the helper would exit
// with the rest still queued.
const HELPER_SOURCE = `process.on("message", (m, h) => {
  if (!h) return;
  let left = m.copies;
  const done = () => { if (--left === 0) { h.close(); process.disconnect(); } };
  for (let i = 0; i < m.copies; i++) process.send({ copy: i }, h, done);
});`;

export interface FanoutOptions {
  /** Accepting handles wanted in all, the server's own included; 1 adds none. */
  handles: number;
  /** The socket's listen backlog, which every copy must keep. */
  backlog: number;
  /** Why the server is left with its one handle, when the copies could not be made. */
  onError: (err: Error) => void;
  /** The node binary that runs the helper (tests point it elsewhere). */
  execPath?: string;
}

/**
 * Adds `handles - 1` accepting handles to a listening server; their connections are emitted as the
 * server's own 'connection' events. Never throws: if the helper fails, times out or the server closes
 * meanwhile, the copies already listening are kept (the server closing aside), and `onError` says how
 * many of the wanted ones were not made, and why.
 */
export async function fanOutAccepts(server: net.Server, options: FanoutOptions): Promise<AcceptFanout> {
  const { handles: count, backlog, onError } = options;
  const extras: net.Server[] = [];
  const fanout: AcceptFanout = {
    get handles() {
      return 1 + extras.filter((s) => s.listening).length;
    },
    async close() {
      // Every copy, one whose listen() is still pending too: it holds its descriptor already.
      await Promise.all(extras.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  const handle = (server as unknown as { _handle?: unknown })._handle;
  if (count <= 1 || !server.listening || !handle) return fanout;

  const helper = spawn(options.execPath ?? process.execPath, ["-e", HELPER_SOURCE], { stdio: ["ignore", "ignore", "ignore", "ipc"], env: {} });
  const wanted = count - 1;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const failure = await new Promise<Error | undefined>((resolve) => {
    // Settles once, and at once stops taking copies: one that arrives later is closed, never listened on.
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Only this function's listeners: Node's own (the handle acknowledgements) stay.
      for (const event of ["message", "disconnect", "exit", "error", "spawn"]) helper.removeAllListeners(event);
      helper.on("error", () => undefined);
      helper.on("message", (_m, late?: { close?: () => void }) => late?.close?.());
      if (helper.connected) helper.disconnect();
      if (helper.exitCode === null && helper.signalCode === null) helper.kill();
      resolve(err);
    };
    const short = (why: string): Error => new Error(`${extras.length} of ${wanted} descriptor copies made: ${why}`);
    timer = setTimeout(() => settle(short(`the helper did not finish in ${HELPER_TIMEOUT_MS} ms`)), HELPER_TIMEOUT_MS);
    helper.once("error", (err) => settle(short(err.message)));
    // The helper leaves only once its last copy is acknowledged, and this process acknowledges a copy
    // in the same tick as it emits it: anything missing when the helper has gone never comes.
    const gone = (): void => {
      if (extras.length < wanted) settle(short("the helper left early"));
    };
    helper.once("disconnect", gone);
    helper.once("exit", gone);
    helper.on("message", (_message, copy?: net.Server) => {
      if (!copy) return settle(short("the helper answered without a handle"));
      if (!server.listening) {
        (copy as unknown as { close(): void }).close();
        return settle(short("the server closed meanwhile"));
      }
      const extra = net.createServer((socket) => server.emit("connection", socket));
      extras.push(extra);
      // Accept errors are the server's, as they would be on its own handle.
      extra.on("error", (err) => {
        if (extra.listening) return void server.emit("error", err);
        extras.splice(extras.indexOf(extra), 1);
        extra.close();
        settle(short(`listen on a copy failed: ${err.message}`));
      });
      // The backlog belongs to the socket, shared by every copy: listen() on a copy would set Node's default.
      extra.listen(copy, backlog, () => {
        if (extras.length === wanted && extras.every((e) => e.listening)) settle();
      });
    });
    // A net.Native send: the helper gets the bare handle, not a server, so it never accepts a connection.
    helper.once("spawn", () =>
      helper.send({ copies: wanted }, handle as net.Server, (err) => err && settle(short(`could not reach the helper: ${err.message}`))),
    );
  });
  // The helper holds a copy of the socket until it exits: while it lives, a closed server's port would
  // still queue connections (and reset them when it goes). Wait for it; it was told to go.
  if (helper.pid !== undefined && helper.exitCode === null && helper.signalCode === null) {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => helper.kill("SIGKILL"), HELPER_KILL_GRACE_MS);
      helper.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
    });
  }
  // The server closed while the copies were being made: none may outlive it.
  if (!server.listening) await fanout.close();
  if (failure) onError(failure);
  return fanout;
}
