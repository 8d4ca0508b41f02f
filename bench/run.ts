/**
 * `npm run bench [-- sync|search|timing|diagnosis|watch ...]`: runs the benchmarks (options in USAGE), prints a
 * markdown report, and with --write replaces each benchmark's section in docs/BENCHMARKS.md.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { benchSearch } from "./search.bench.js";
import type { SyncBenchResult } from "./sync.bench.js";
import { attackTable, benchAttack } from "./attack.bench.js";
import { benchFaults, faultsTable } from "./faults.bench.js";
import { benchKill, killTable } from "./kill.bench.js";
import { machineLine, replaceSection, searchSection, section, syncSection, timingSection, type RunInfo } from "./report.js";
import { benchTiming } from "./timing.bench.js";
import { benchDiagnosis } from "./diagnosis.bench.js";
import { diagnosisSection } from "./diagnosis-report.js";
import { benchWatch } from "./watch.bench.js";
import { watchSection } from "./watch-report.js";
import { isEntryPoint, processIo, runCli, UsageError, type CliIo } from "../src/cli/args.js";

const DOC = "docs/BENCHMARKS.md";
const RELIABILITY_DOC = "docs/RELIABILITY.md";
/** A sync at 10 calls/s over 100k subscribers takes about two minutes; nothing should take ten times that. */
const SYNC_TIMEOUT_MS = 20 * 60_000;
const BENCHES = ["sync", "search", "timing", "diagnosis", "watch", "attack", "faults", "kill"] as const;
/** Run only when named (they load the machine on purpose); their figures go to docs/RELIABILITY.md. */
const RELIABILITY_BENCHES = new Set(["attack", "faults", "kill"]);

export const USAGE = `usage: npm run bench [-- sync|search|timing|diagnosis|watch|attack ...] [options]
  sync|search|timing|diagnosis|watch which benchmarks (default: these five)
  attack             the transport attacks of issue 11 (only when named; docs/RELIABILITY.md)
  faults             load with vendor faults and attacks, then recovery (only when named; docs/RELIABILITY.md)
  kill               kill -9 at random points of an inventory sync, then integrity checks (only when named)
  --faults-subscribers N, --faults-seconds N, --faults-warmup-seconds N, --faults-concurrency N,
  --faults-watches N, --faults-slowloris N, --faults-flood N, --faults-reset-ms N, --faults-accept-handles N, --faults-busy-percent N
                     faults: lab size (3000), fault window (90 s), warm-up (15 s), callers (8),
                     watch streams (20), slowloris sockets (300), h2 streams (2000), BREAKER_RESET_MS (10000),
                     SERVER_ACCEPT_HANDLES (the product's default)
  --faults-holds FILE    faults: Beholder writes every event-loop hold over 300 ms (the SQL and GC inside it) to FILE, as JSON
  --faults-cpu-prof DIR  faults: V8 CPU profiles of the lab and of Beholder (node --cpu-prof), one folder per process in DIR
  --kill-subscribers N, --kill-rounds N  kill: lab size (1500), rounds (20)
  --subscribers N    size of the generated ISP (100000)
  --sync-rps A,B     SmartOLT calls/s of the sync runs (10,1000)
  --rounds N         search, timing: rounds, median reported (3)
  --concurrency N    search: calls in flight under load (32)
  --duration-ms N    search: measured window under load (5000)
  --db PATH          search: reuse this cache file, or build it there and keep it
  --before DIR       attack: run against this other checkout first (the "before" figures)
  --slowloris-sockets N, --flood-streams N, --watches N, --reset-rounds N, --resets-per-round N, --hold-ms N
                     attack: sizes (5000, 20000, 10000, 20, 5000, 15000)
  --diag-subscribers N  diagnosis: size of the lab's ISP (2000)
  --diag-samples N      diagnosis: sequential diagnoses measured (100)
  --burst N             diagnosis: distinct users in the SmartOLT burst (500)
  --watch-subscribers N, --watch-users N, --watch-streams N, --watch-seconds N
                     watch: ISP size (3000), users watched (100), streams (1000), window (60 s)
  --write            replace each benchmark's section in docs/BENCHMARKS.md`;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli("bench", USAGE, argv, io, async () => {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        subscribers: { type: "string", default: "100000" },
        "sync-rps": { type: "string", default: "10,1000" },
        rounds: { type: "string", default: "3" },
        concurrency: { type: "string", default: "32" },
        "duration-ms": { type: "string", default: "5000" },
        db: { type: "string" },
        before: { type: "string" },
        "slowloris-sockets": { type: "string", default: "5000" },
        "flood-streams": { type: "string", default: "20000" },
        watches: { type: "string", default: "10000" },
        "reset-rounds": { type: "string", default: "20" },
        "resets-per-round": { type: "string", default: "5000" },
        "hold-ms": { type: "string", default: "15000" },
        "diag-subscribers": { type: "string", default: "2000" },
        "diag-samples": { type: "string", default: "100" },
        burst: { type: "string", default: "500" },
        "watch-subscribers": { type: "string", default: "3000" },
        "watch-users": { type: "string", default: "100" },
        "watch-streams": { type: "string", default: "1000" },
        "watch-seconds": { type: "string", default: "60" },
        "faults-subscribers": { type: "string", default: "3000" },
        "faults-seconds": { type: "string", default: "90" },
        "faults-warmup-seconds": { type: "string", default: "15" },
        "faults-concurrency": { type: "string", default: "8" },
        "faults-watches": { type: "string", default: "20" },
        "faults-slowloris": { type: "string", default: "300" },
        "faults-flood": { type: "string", default: "2000" },
        "faults-reset-ms": { type: "string", default: "10000" },
        "faults-accept-handles": { type: "string" },
        "faults-busy-percent": { type: "string" },
        "faults-cpu-prof": { type: "string" },
        "faults-holds": { type: "string" },
        "kill-subscribers": { type: "string", default: "1500" },
        "kill-rounds": { type: "string", default: "20" },
        write: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
    const unknown = positionals.filter((p) => !(BENCHES as readonly string[]).includes(p));
    if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(", ")}: choose from ${BENCHES.join(", ")}`);
    // attack runs only when named: it loads the machine on purpose.
    const selected = positionals.length > 0 ? new Set(positionals) : new Set<string>(BENCHES.filter((b) => !RELIABILITY_BENCHES.has(b)));
    const int = (name: keyof typeof values, min: number, max: number): number => {
      const n = Number(values[name]);
      if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
      return n;
    };
    const subscribers = int("subscribers", 100, 1_000_000);
    const syncRps = String(values["sync-rps"]).split(",").map(Number);
    if (syncRps.some((r) => !Number.isInteger(r) || r < 1 || r > 100_000)) throw new UsageError("--sync-rps must list integers from 1 to 100000");

    const run: RunInfo = { command: ["node", ...process.execArgv, "bench/run.ts", ...argv].join(" "), date: new Date(), loadAverage: os.loadavg() };
    const sections: [string, string][] = [];
    let scratch: string | undefined;
    try {
      let searchDb = values.db;
      let builtBy: string | undefined;
      if (selected.has("sync")) {
        const results: SyncBenchResult[] = [];
        for (const rps of syncRps) {
          // The search benchmark reuses the cache of the fast run instead of syncing again.
          const keep = selected.has("search") && !searchDb && rps === Math.max(...syncRps) ? join((scratch = mkdtempSync(join(tmpdir(), "beholder-run-"))), "cache.db") : undefined;
          io.err(`sync: ${subscribers} subscribers at ${rps} SmartOLT calls/s...\n`);
          results.push(await syncInChild(subscribers, rps, keep));
          if (keep) [searchDb, builtBy] = [keep, `left by the rps=${rps} sync run above`];
        }
        sections.push(["sync", syncSection(results, run)]);
      }
      if (selected.has("search")) {
        io.err(`search: ${subscribers} subscribers${searchDb && existsSync(searchDb) ? `, cache ${searchDb}` : ""}...\n`);
        const result = await benchSearch({
          subscribers,
          rounds: int("rounds", 1, 9),
          concurrency: int("concurrency", 1, 256),
          warmupMs: 1000,
          durationMs: int("duration-ms", 500, 60_000),
          latencyCount: 1000,
          ftsIterations: 50,
          likeIterations: 3,
          ...(searchDb ? { dbPath: searchDb } : {}),
          ...(builtBy ? { builtBy } : {}),
        });
        sections.push(["search", searchSection(result, run)]);
      }
      if (selected.has("timing")) {
        io.err("timing: the speed checks moved out of the tests...\n");
        sections.push(["timing", timingSection(await benchTiming({ rounds: int("rounds", 1, 9) }), run)]);
      }
      if (selected.has("attack")) {
        const options = {
          slowlorisSockets: int("slowloris-sockets", 1, 19_000),
          floodStreams: int("flood-streams", 1, 1_000_000),
          watches: int("watches", 1, 100_000),
          resetRounds: int("reset-rounds", 1, 1000),
          resetsPerRound: int("resets-per-round", 1, 100_000),
          holdMs: int("hold-ms", 1000, 300_000),
        };
        const tables: string[] = [];
        if (values.before) tables.push(attackTable(`before: ${values.before}`, await benchAttack({ ...options, root: values.before })));
        tables.push(attackTable("after: this checkout", await benchAttack({ ...options, root: "." })));
        sections.push(["attack", section("attack", [machineLine(run), ...tables].join("\n\n"))]);
      }
      if (selected.has("faults")) {
        const result = await benchFaults(
          {
            subscribers: int("faults-subscribers", 300, 200_000),
            faultSeconds: int("faults-seconds", 10, 3600),
            warmupSeconds: int("faults-warmup-seconds", 1, 600),
            concurrency: int("faults-concurrency", 1, 256),
            watches: int("faults-watches", 0, 1000),
            slowlorisSockets: int("faults-slowloris", 0, 19_000),
            floodStreams: int("faults-flood", 0, 1_000_000),
            breakerResetMs: int("faults-reset-ms", 1000, 600_000),
            acceptHandles: values["faults-accept-handles"] === undefined ? undefined : int("faults-accept-handles", 1, 1024),
            busyPercent: values["faults-busy-percent"] === undefined ? undefined : int("faults-busy-percent", 0, 60),
            cpuProfDir: values["faults-cpu-prof"],
            holdsFile: values["faults-holds"],
          },
          (s) => io.err(s),
        );
        sections.push(["faults", section("faults", [machineLine(run), faultsTable(result)].join("\n\n"))]);
      }
      if (selected.has("kill")) {
        const result = await benchKill({ subscribers: int("kill-subscribers", 300, 200_000), rounds: int("kill-rounds", 1, 1000) }, (s) => io.err(s));
        sections.push(["kill", section("kill", [machineLine(run), killTable(result)].join("\n\n"))]);
      }
      if (selected.has("diagnosis")) {
        io.err("diagnosis: lab latencies SmartOLT 300 ms, ISPCube 200 ms, RouterOS 30 ms...\n");
        const result = await benchDiagnosis({
          subscribers: int("diag-subscribers", 600, 200_000),
          samples: int("diag-samples", 10, 10_000),
          burst: int("burst", 1, 100_000),
          burstConcurrency: 50,
        });
        sections.push(["diagnosis", diagnosisSection(result, run)]);
      }
      if (selected.has("watch")) {
        const result = await benchWatch({
          subscribers: int("watch-subscribers", 200, 100_000),
          users: int("watch-users", 1, 1000),
          streams: int("watch-streams", 1, 10_000),
          seconds: int("watch-seconds", 5, 600),
        });
        sections.push(["watch", watchSection(result, run)]);
      }
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }

    io.out(`${sections.map(([, s]) => s).join("\n\n")}\n`);
    if (values.write) {
      // The attack figures belong with the reliability notes, the rest with the benchmarks.
      for (const file of [DOC, RELIABILITY_DOC]) {
        const mine = sections.filter(([name]) => RELIABILITY_BENCHES.has(name) === (file === RELIABILITY_DOC));
        if (mine.length === 0) continue;
        let doc = existsSync(file) ? readFileSync(file, "utf8") : "";
        for (const [name, block] of mine) doc = replaceSection(doc, name, block);
        writeFileSync(file, doc);
        io.err(`updated ${file}: ${mine.map(([n]) => n).join(", ")}\n`);
      }
    }
    return 0;
  });
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** Each sync run in its own process (bench/sync-child.ts): peak RSS is then that run's alone. */
async function syncInChild(n: number, rps: number, keepDbAt: string | undefined): Promise<SyncBenchResult> {
  const args = ["--import", "tsx", "--expose-gc", "bench/sync-child.ts", "--subscribers", String(n), "--rps", String(rps)];
  if (keepDbAt) args.push("--keep-db-at", keepDbAt);
  const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: SYNC_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string) as SyncBenchResult;
}
