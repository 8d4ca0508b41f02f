import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import type { SimContext } from "../context.js";
import { faultDelayMs, routerFault } from "../context.js";
import type { RouterFault, RouterWorld } from "../scenario/types.js";
import type { Sentence, TextEncoding } from "./codec.js";
import { createSentenceDecoder, encodeSentences, legacyLoginResponse, parseAttribute } from "./codec.js";
import type { Command, CommandEnv } from "./commands.js";
import { reSentence, runCommand, trap } from "./commands.js";
import type { TrafficMeter } from "./traffic.js";

/** What one connection shares with its simulator. */
export interface SessionDeps {
  ctx: SimContext;
  routerName: string;
  meter: TrafficMeter;
  /** Every sentence received, for tests. */
  received: string[][];
}

interface Running {
  tag: string | undefined;
  stop(): void;
}

const RECEIVED_CAP = 10_000;
// A plausible transient failure for the `errorRate` fault (a real RouterOS message).
const TRANSIENT_ERROR = "action timed out - try again, if error continues contact MikroTik support and send a supout file (13)";

/**
 * One API connection: framing, login, tags, `/cancel`, and the faults of shared/vendors/routeros.md
 * §5.8 read live from the scenario on every command.
 */
export function attachRouterOsSession(socket: Socket, deps: SessionDeps): void {
  const { ctx, routerName } = deps;
  const decoder = createSentenceDecoder({ maxWordLength: 16 * 1024 * 1024 });
  const running = new Set<Running>();
  const timers = new Set<NodeJS.Timeout>();
  let lastRouter: RouterWorld | undefined;
  let loggedIn = false;
  let challenge: string | undefined;
  let closed = false;
  let pendingWrites = 0;
  let tail: Promise<void> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | undefined;

  const router = (): RouterWorld | undefined => {
    lastRouter = ctx.scenario.routers.find((r) => r.name === routerName) ?? lastRouter;
    return lastRouter;
  };
  const faultFor = (command: string): RouterFault | undefined => routerFault(ctx.scenario.faults, routerName, command);
  // Read on every reply, as the rest of the world is: the router's own setting, else the scenario's.
  const textEncoding = (): TextEncoding => router()?.textEncoding ?? ctx.scenario.routerTextEncoding ?? "windows-1252";
  const env: CommandEnv = {
    get router() {
      return router() as RouterWorld;
    },
    now: () => ctx.clock.now(),
    meter: deps.meter,
    get scenarioStart() {
      return new Date(ctx.scenario.now);
    },
  };

  socket.setNoDelay(true);
  socket.on("error", () => socket.destroy());
  socket.on("close", () => {
    closed = true;
    for (const r of running) r.stop();
    running.clear();
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (idleTimer) clearTimeout(idleTimer);
  });
  socket.on("data", (chunk: Buffer) => {
    let sentences: Sentence[];
    try {
      sentences = decoder.push(chunk);
    } catch {
      // A control byte or absurd length: the stream cannot be resynchronised (§1.2).
      socket.destroy();
      return;
    }
    for (const s of sentences) {
      if (closed) return;
      if (s.length > 0) void handle(s);
    }
  });
  armIdle();

  function later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  /** Closes idle connections while the `*` fault asks for it; re-checks the fault every second. */
  function armIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    const ms = faultFor("*")?.idleCloseMs;
    idleTimer = setTimeout(ms ? () => socket.destroy() : armIdle, ms ?? 1000);
  }

  /** Writes in order; with `splitWritesAt` every chunk is its own write, yielding in between. */
  function write(buf: Buffer, fault: RouterFault | undefined, after?: () => void): void {
    const split = fault?.splitWritesAt && fault.splitWritesAt > 0 ? Math.floor(fault.splitWritesAt) : 0;
    if (pendingWrites === 0 && split === 0) {
      if (!closed) socket.write(buf);
      after?.();
      return;
    }
    pendingWrites++;
    tail = tail
      .then(async () => {
        const step = split || buf.length;
        for (let i = 0; i < buf.length && !closed; i += step) {
          // Yielding before each chunk lets the peer read it alone, even when it shares our event loop.
          if (split) await new Promise<void>((resolve) => setImmediate(resolve));
          if (!closed) socket.write(buf.subarray(i, i + step));
        }
        if (!closed) after?.();
      })
      .finally(() => pendingWrites--);
  }

  function reply(command: string, tag: string | undefined, sentences: Sentence[], first: boolean): void {
    const fault = faultFor(command);
    // A reply word newer than the client knows, as `!empty` was for 7.18 (§2.6).
    const out = fault?.unknownReplyWord && first ? [["!weird"], ...sentences] : sentences;
    const tagged = tag && !fault?.untagged ? out.map((s) => [...s, `.tag=${tag}`]) : out;
    const buf = encodeSentences(tagged, textEncoding());
    if (fault?.dropMidCommand) {
      write(buf.subarray(0, Math.max(1, Math.floor(buf.length / 2))), fault, () => {
        closed = true;
        socket.destroy();
      });
      return;
    }
    write(buf, fault);
  }

  /** `!fatal` carries a bare reason word and no tag (§1.4); the router then closes. */
  function fatal(reason: string, fault: RouterFault | undefined): void {
    write(encodeSentences([["!fatal", reason]], textEncoding()), fault, () => {
      closed = true;
      socket.end();
    });
  }

  async function handle(words: Sentence): Promise<void> {
    deps.received.push(words);
    if (deps.received.length > RECEIVED_CAP) deps.received.splice(0, deps.received.length - RECEIVED_CAP);
    armIdle();
    const cmd: Command = { path: words[0] ?? "", attrs: {}, queries: [] };
    let tag: string | undefined;
    for (const w of words.slice(1)) {
      if (w.startsWith(".tag=")) tag = w.slice(5) || undefined;
      else if (w.startsWith(".proplist=")) cmd.attrs[".proplist"] = w.slice(10);
      else if (w.startsWith("?")) cmd.queries.push(w);
      else {
        const attr = parseAttribute(w);
        if (attr) cmd.attrs[attr[0]] = attr[1];
      }
    }
    ctx.counters.count("routeros", `${routerName} ${cmd.path}`);
    const fault = faultFor(cmd.path);
    if (!router()) {
      socket.destroy();
      return;
    }
    if (!loggedIn && cmd.path !== "/login" && cmd.path !== "/quit") {
      fatal("not logged in", fault);
      return;
    }
    if (fault?.silent) return;
    const delay = faultDelayMs(fault);
    if (delay > 0) {
      await new Promise<void>((resolve) => later(delay, resolve));
      if (closed) return;
    }
    if (fault?.fatal) return fatal("session terminated on request", fault);
    if (fault?.errorRate && Math.random() < fault.errorRate) return reply(cmd.path, tag, trap(TRANSIENT_ERROR), true);
    if (cmd.path === "/quit") return fatal("session terminated on request", fault);
    if (cmd.path === "/login") return reply(cmd.path, tag, login(cmd, fault), true);
    if (cmd.path === "/cancel") return cancel(cmd.attrs.tag, tag);
    run(cmd, tag);
  }

  function login(cmd: Command, fault: RouterFault | undefined): Sentence[] {
    const r = router() as RouterWorld;
    const { name, password, response } = cmd.attrs;
    if (r.legacyLogin) {
      // Pre-6.43 routers answer any /login without a response, new style included, with a challenge (§1.6).
      if (response === undefined) {
        challenge = randomBytes(16).toString("hex");
        return [["!done", `=ret=${challenge}`]];
      }
      const ok = !fault?.wrongCredentials && challenge !== undefined && name === r.user && response === legacyLoginResponse(r.password, challenge);
      challenge = undefined;
      if (!ok) return trap("cannot log in");
      loggedIn = true;
      return [["!done"]];
    }
    if (fault?.wrongCredentials || name !== r.user || password !== r.password) {
      return trap("invalid user name or password (6)");
    }
    loggedIn = true;
    return [["!done"]];
  }

  function run(cmd: Command, tag: string | undefined): void {
    const result = runCommand(cmd, env);
    if (result.kind === "reply") return reply(cmd.path, tag, result.sentences, true);
    let first = true;
    const entry: Running = { tag, stop: () => {} };
    running.add(entry);
    entry.stop = result.start({
      rows(rows, opts) {
        if (closed || !running.has(entry)) return;
        const sentences = rows.map(reSentence);
        if (opts?.done) {
          sentences.push(["!done"]);
          running.delete(entry);
        }
        if (sentences.length > 0) reply(cmd.path, tag, sentences, first);
        first = false;
      },
    });
  }

  /**
   * `/cancel =tag=X`: `!trap interrupted` (category 2) for X, `!done` for the cancel, then `!done`
   * for X (§1.7). Without `=tag=` every running command is cancelled; an unknown tag just gets
   * `!done` ([I]).
   */
  function cancel(target: string | undefined, ownTag: string | undefined): void {
    const fault = faultFor("/cancel");
    const victims = [...running].filter((r) => target === undefined || r.tag === target);
    const tagged = (s: Sentence, t: string | undefined): Sentence => (t && !fault?.untagged ? [...s, `.tag=${t}`] : s);
    const out: Sentence[] = [];
    for (const v of victims) {
      v.stop();
      running.delete(v);
      out.push(tagged(["!trap", "=category=2", "=message=interrupted"], v.tag));
    }
    out.push(tagged(["!done"], ownTag));
    for (const v of victims) out.push(tagged(["!done"], v.tag));
    write(encodeSentences(out, textEncoding()), fault);
  }
}
