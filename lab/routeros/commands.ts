import { DEFAULT_ROUTER_TIMEZONE, type RouterWorld } from "../scenario/types.js";
import type { Sentence } from "./codec.js";
import type { RouterFormat } from "./format.js";
import { createRouterFormat, parseDurationMs } from "./format.js";
import { createPingTally, interfaceRates, monitorRow, pingRow } from "./probes.js";
import type { Row } from "./query.js";
import { applyProplist, matchesQuery, namesWanted, parseProplist } from "./query.js";
import type { TableContext } from "./tables.js";
import { printTables } from "./tables.js";
import type { TrafficMeter } from "./traffic.js";

/** A command after login, with its words sorted by kind (§1.3). */
export interface Command {
  path: string;
  attrs: Record<string, string>;
  /** `?…` words in their original order; order matters (§1.8). */
  queries: string[];
}

export interface StreamSink {
  rows(rows: Row[], opts?: { done?: boolean }): void;
}

/** Untagged replies; the session adds `.tag` and applies faults. */
export type CommandResult =
  | { kind: "reply"; sentences: Sentence[] }
  /** Runs until it calls `rows(…, {done: true})` or is cancelled through the returned stop(). */
  | { kind: "stream"; start(sink: StreamSink): () => void };

export interface CommandEnv {
  router: RouterWorld;
  now: () => Date;
  meter: TrafficMeter;
  scenarioStart: Date;
}

export function reSentence(row: Row): Sentence {
  return ["!re", ...Object.entries(row).map(([k, v]) => `=${k}=${v}`)];
}

export function trap(message: string, category?: number): Sentence[] {
  const words = ["!trap"];
  if (category !== undefined) words.push(`=category=${category}`);
  words.push(`=message=${message}`);
  return [words, ["!done"]];
}

const PROBES: Record<string, (cmd: Command, env: CommandEnv, fmt: RouterFormat) => CommandResult> = {
  "/interface/monitor-traffic": monitorTraffic,
  "/ping": ping,
  "/tool/ping": ping,
};

/** Every path the simulator knows, to tell a misspelled directory from a missing command. */
const KNOWN_PATHS = [
  ...Object.keys(printTables).flatMap((p) => [`${p}/print`, `${p}/getall`]),
  ...Object.keys(PROBES),
  // Real top-level menus the lab does not serve, so `/ip/adress` blames `adress`, as a router would.
  ...["/ip", "/ipv6", "/routing", "/user", "/file", "/certificate", "/snmp", "/radius", "/tool", "/system"].map((d) => `${d}/`),
];

export function runCommand(cmd: Command, env: CommandEnv): CommandResult {
  const fmt = createRouterFormat(env.router.version, env.router.timezone ?? DEFAULT_ROUTER_TIMEZONE);
  const probe = PROBES[cmd.path];
  if (probe) return probe(cmd, env, fmt);
  const m = /^(.*)\/(print|getall)$/.exec(cmd.path);
  const table = m ? printTables[m[1] ?? ""] : undefined;
  if (table) {
    // A `?name=X` lookup renders only X's rows: the watches and diagnoses ask that of 3,400-session routers.
    const names = namesWanted(cmd.queries);
    return print(cmd, table({ router: env.router, now: env.now(), fmt, meter: env.meter, scenarioStart: env.scenarioStart, ...(names ? { names } : {}) }), fmt);
  }
  return { kind: "reply", sentences: unknownCommand(cmd.path) };
}

/**
 * A word without a leading `/` (e.g. node-routeros' `#` hold ping) gets the single trap node-routeros'
 * own tests expect; a misspelled path gets two traps, naming the first unknown segment (§1.4).
 */
export function unknownCommand(path: string): Sentence[] {
  const prefix = trap("no such command prefix");
  if (!path.startsWith("/")) return prefix;
  const segments = path.slice(1).split("/");
  let dir = "";
  let bad = segments[segments.length - 1] ?? "";
  for (const seg of segments) {
    const next = `${dir}/${seg}`;
    if (!KNOWN_PATHS.some((p) => p === next || p.startsWith(`${next}/`))) {
      bad = seg;
      break;
    }
    dir = next;
  }
  return [["!trap", "=category=0", `=message=no such command or directory (${bad})`], ...prefix];
}

function print(cmd: Command, all: Row[], fmt: RouterFormat): CommandResult {
  const rows = all.filter((r) => matchesQuery(r, cmd.queries));
  if ("count-only" in cmd.attrs) return { kind: "reply", sentences: [["!done", `=ret=${rows.length}`]] };
  const proplist = parseProplist(cmd.attrs[".proplist"]);
  const sentences = rows.map((r) => reSentence(applyProplist(r, proplist)));
  if (sentences.length === 0 && fmt.sendsEmpty) sentences.push(["!empty"]);
  sentences.push(["!done"]);
  return { kind: "reply", sentences };
}

function intervalMs(value: string | undefined, fallback: number): number {
  const ms = value === undefined ? undefined : parseDurationMs(value);
  // RouterOS accepts 10 ms to 5 s for ping (§3.7); the same bounds keep monitor streams sane.
  return Math.min(5000, Math.max(10, ms ?? fallback));
}

/** Repeats `tick` every `every` ms, the first one at once, until stopped. */
function repeat(every: number, tick: () => void): () => void {
  let timer: NodeJS.Timeout | undefined = setTimeout(function run() {
    timer = setTimeout(run, every);
    tick();
  }, 0);
  return () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
}

function monitorTraffic(cmd: Command, env: CommandEnv): CommandResult {
  const names = (cmd.attrs.interface ?? "").split(",").filter((n) => n !== "");
  // Exact texts are [I] (§3.6, §6).
  if (names.length === 0) return { kind: "reply", sentences: trap("missing value(s) of argument(s) interface", 1) };
  // Once running, an interface that goes away (the session dropped) reads as zero traffic.
  const sample = (strict: boolean): Row[] | undefined => {
    const rows: Row[] = [];
    for (const name of names) {
      const rates = interfaceRates(env.router, env.meter, name, env.now());
      if (!rates && strict) return undefined;
      rows.push(monitorRow(name, rates ?? { rx: 0, tx: 0 }));
    }
    return rows;
  };
  const first = sample(true);
  if (!first) return { kind: "reply", sentences: trap("input does not match any value of interface", 1) };
  if ("once" in cmd.attrs) return { kind: "reply", sentences: [...first.map(reSentence), ["!done"]] };
  const every = intervalMs(cmd.attrs.interval, 1000);
  const duration = cmd.attrs.duration === undefined ? undefined : parseDurationMs(cmd.attrs.duration);
  return {
    kind: "stream",
    start(sink) {
      const started = Date.now();
      const stop = repeat(every, () => {
        const done = duration !== undefined && Date.now() - started + every > duration;
        sink.rows(sample(false) ?? [], { done });
        if (done) stop();
      });
      return stop;
    },
  };
}

function ping(cmd: Command, env: CommandEnv, fmt: RouterFormat): CommandResult {
  const address = cmd.attrs.address;
  if (!address) return { kind: "reply", sentences: trap("missing value(s) of argument(s) address", 1) };
  const count = Number(cmd.attrs.count ?? "0");
  const size = Number(cmd.attrs.size ?? "56") || 56;
  const every = intervalMs(cmd.attrs.interval, 1000);
  return {
    kind: "stream",
    start(sink) {
      const tally = createPingTally();
      let seq = 0;
      const stop = repeat(every, () => {
        const row = pingRow(env.router, fmt, address, size, seq, tally);
        seq++;
        // Without count a ping never sends !done (§1.7).
        const done = count > 0 && seq >= count;
        sink.rows([row], { done });
        if (done) stop();
      });
      return stop;
    },
  };
}
