/**
 * Inventory sync of a generated ISP (100,000 subscribers by default) against the lab at zero latency:
 * wall time, peak RSS of the syncing process, and vendor calls per source.
 *   npm run bench -- sync [--subscribers N]
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { pino } from "pino";
import { loadConfig } from "../src/config.js";
import { createAppContext } from "../src/context.js";
import { RunHandle } from "../src/sync/run-handle.js";
import { startHoldTracker, type LoopHold } from "./loop-holds.js";

export interface SyncBenchResult {
  subscribers: number;
  rps: number;
  wallMs: number;
  /** User + system CPU time of the syncing process during the run: less sensitive to a busy machine than wall time. */
  cpuMs: number;
  peakRssMb: number;
  baselineRssMb: number;
  /** The longest the event loop was held during the sync, ms (requests wait that long); 99th percentile beside it. */
  loopMaxMs?: number;
  loopP99Ms?: number;
  calls: Record<string, Record<string, number>>;
  counts: Record<string, number>;
  expected: Record<string, number>;
  outcome: string;
  /** With `holds`: every stretch the event loop was held over 200 ms, with the SQL inside it. */
  holds?: LoopHold[];
  /** With `holds`: time in SQL by statement shape. */
  sqlTotals?: { sql: string; ms: number; n: number }[];
  /** With `status`: a status sync (bulk statuses and signals) run after the inventory. */
  status?: { wallMs: number; cpuMs: number; loopMaxMs: number; outcome: string; holds?: LoopHold[] };
}

/**
 * `rps` is the SmartOLT calls per second both the lab and Beholder allow: 10 is the documented
 * account limit (it then bounds the run: about 900 pages at 10/s); a high value measures Beholder's
 * own cost. `keepDbAt` writes the cache there and leaves it behind (the search benchmark reuses it).
 */
export async function benchSync(
  subscribers: number,
  rps: number,
  options: { keepDbAt?: string; holds?: boolean; status?: boolean } = {},
): Promise<SyncBenchResult> {
  // A raised SmartOLT budget: a 100k-ONU inventory is 900 pages, more than the default 1,000/h less headroom.
  const hourly = Math.max(1000, Math.ceil(subscribers / 100) * 2);
  const args = ["--subscribers", String(subscribers), "--smartolt-hourly", String(hourly), "--smartolt-rps", String(rps)];
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lab-child.ts", ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`lab exited with ${code}`)));
  });
  const lab = JSON.parse(first) as { control: string; env: Record<string, string>; counts: Record<string, number> };
  const dir = mkdtempSync(join(tmpdir(), "beholder-bench-"));
  try {
    const config = loadConfig({
      ...lab.env,
      DB_PATH: options.keepDbAt ?? join(dir, "bench.db"),
      SYNC_SCHEDULE: "off",
      SMARTOLT_HOURLY_BUDGET: String(hourly),
      SMARTOLT_CALLS_PER_SECOND: String(rps),
      ISPCUBE_TIMEOUT_MS: "120000",
      SMARTOLT_TIMEOUT_MS: "60000",
      MK_TIMEOUT_MS: "60000",
    });
    const app = await createAppContext(config, { logger: pino({ level: "warn" }) });
    await fetch(`${lab.control}/counters/reset`, { method: "POST" });
    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const tracker = options.holds ? trackPhases() : undefined;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const run = await app.sync.runner.start("inventory");
    const record = await run.handle.done;
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    loop.disable();
    const sqlTotals = tracker?.sqlTotals();
    const holds = tracker?.stop();
    let status: SyncBenchResult["status"];
    if (options.status) {
      const statusLoop = monitorEventLoopDelay({ resolution: 10 });
      statusLoop.enable();
      const statusTracker = options.holds ? trackPhases() : undefined;
      const t = performance.now();
      const c = process.cpuUsage();
      const statusRecord = await (await app.sync.runner.start("status")).handle.done;
      const used = process.cpuUsage(c);
      statusLoop.disable();
      status = {
        wallMs: performance.now() - t,
        cpuMs: (used.user + used.system) / 1000,
        loopMaxMs: statusLoop.max / 1e6,
        outcome: statusRecord.outcome,
        ...(statusTracker ? { holds: statusTracker.stop() } : {}),
      };
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const calls = (await (await fetch(`${lab.control}/counters`)).json()) as Record<string, Record<string, number>>;
    const db = new Database(config.db.path, { readonly: true });
    const n = (t: string): number => (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
    const counts = { customers: n("customer"), connections: n("connection"), onus: n("onu"), secrets: n("ppp_secret"), subscribers: n("subscriber") };
    db.close();
    await app.close();
    return {
      subscribers,
      rps,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: peakRss / 2 ** 20,
      baselineRssMb: baselineRss / 2 ** 20,
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      calls,
      counts,
      expected: lab.counts,
      outcome: `${record.outcome}: ${record.sources.map((s) => `${s.source} ${s.outcome}${s.error ? ` (${s.error})` : ""}`).join(", ")}`,
      ...(holds ? { holds, sqlTotals } : {}),
      ...(status ? { status } : {}),
    };
  } finally {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The hold tracker, marked with every phase change of the sync's progress (the run handle's events). */
function trackPhases(): { stop(): LoopHold[]; sqlTotals(): { sql: string; ms: number; n: number }[] } {
  const tracker = startHoldTracker();
  const emit = RunHandle.prototype.emit;
  const phases = new Map<string, string>();
  RunHandle.prototype.emit = function (this: RunHandle, p, at) {
    if (phases.get(p.source) !== p.phase) tracker.mark(`${p.source} ${p.phase}`);
    phases.set(p.source, p.phase);
    emit.call(this, p, at);
  };
  return {
    sqlTotals: () => tracker.sqlTotals(),
    stop() {
      RunHandle.prototype.emit = emit;
      return tracker.stop();
    },
  };
}
