/**
 * Beholder under `npm run bench -- faults`, in its own process: pointed at a lab (its environment in
 * BEHOLDER_LAB_ENV, JSON), syncs once, prints `{"port","readKey","adminKey","budgetMs","users"}`, then
 * every second `{"rss"}` and on every breaker change `{"breaker","state","t"}`, until stdin closes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { pino } from "pino";
import { loadConfig, type Env } from "../src/config.js";
import { createAppContext } from "../src/context.js";
import { createServer } from "../src/server/server.js";
import { exitWhenStdinCloses } from "./child-exit.js";
import { startHoldTracker } from "./loop-holds.js";

const dir = mkdtempSync(join(tmpdir(), "beholder-faults-"));
const labEnv = JSON.parse(process.env.BEHOLDER_LAB_ENV ?? "{}") as Env;
const config = loadConfig({
  ...labEnv,
  DB_PATH: join(dir, "cache.db"),
  PORT: "0",
  SYNC_SCHEDULE: "off",
  LOG_LEVEL: "error",
  // Vendor timeouts stay at the product's defaults: at 100k subscribers a bulk export takes longer than a
  // tight bench value would allow, and the diagnosis has its own budget for live calls.
  BREAKER_RESET_MS: process.env.BREAKER_RESET_MS ?? "10000",
  RATE_LIMIT_READ_PER_MIN: "1000000",
  RATE_LIMIT_ADMIN_PER_MIN: "1000",
  RATE_LIMIT_WATCH_STREAMS: "200",
  // Every simulated agent calls from 127.0.0.1: the per-address stream cap would count them as one
  // client (RunSync from the admin would wait behind the watches), so it is raised to the total.
  RATE_LIMIT_WATCH_STREAMS_PER_IP: "1000",
  SMARTOLT_HOURLY_BUDGET: "1000000",
  // --faults-accept-handles; unset, the product's default.
  ...(process.env.SERVER_ACCEPT_HANDLES ? { SERVER_ACCEPT_HANDLES: process.env.SERVER_ACCEPT_HANDLES } : {}),
  // --faults-busy-percent; unset, the product's default.
  ...(process.env.DIAG_BUDGET_BUSY_PERCENT ? { DIAG_BUDGET_BUSY_PERCENT: process.env.DIAG_BUDGET_BUSY_PERCENT } : {}),
});
// BENCH_LOG_LEVEL (default error): e.g. warn, to see what a slow /health waited for.
const app = await createAppContext(config, { logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? "error" }, pino.destination(2)) });
const started = performance.now();
for (const job of ["inventory", "status"] as const) {
  const run = await (await app.sync.runner.start(job)).handle.done;
  if (run.outcome !== "done") {
    const why = run.sources.filter((s) => s.outcome === "failed").map((s) => `${s.source}: ${s.error ?? "failed"}`);
    process.stderr.write(`faults-server: initial ${job} sync ${run.outcome} (${why.join("; ")})\n`);
  }
}
const syncMs = Math.round(performance.now() - started);
const server = createServer(app);
const { port } = await server.listen(0, "127.0.0.1");
const readKey = (await app.keys.create("bench-read", ["read"])).key;
const adminKey = (await app.keys.create("bench-admin", ["read", "admin"])).key;
const users = (await app.orm.em
  .fork()
  .getConnection()
  .execute("select pppoe_user from subscriber where in_routeros = 1 and in_smartolt = 1 order by random() limit 200")) as { pppoe_user: string }[];
process.stdout.write(`${JSON.stringify({ port, readKey, adminKey, budgetMs: config.diagnosis.budgetMs, busyPercent: config.diagnosis.busyPercent, syncMs, acceptHandles: server.connectionStats().acceptHandles, users: users.map((u) => u.pppoe_user) })}\n`);

// --faults-holds FILE: every stretch the loop was held over 300 ms, with the SQL and the GC inside it.
const holdsFile = process.env.BENCH_HOLDS_FILE;
const tracker = holdsFile ? startHoldTracker({ minGapMs: 300, minStatementMs: 20 }) : undefined;
const gcs: { start: number; ms: number; kind: number }[] = [];
const gcObserver = holdsFile ? new PerformanceObserver((list) => list.getEntries().forEach((e) => gcs.push({ start: e.startTime, ms: e.duration, kind: ((e as unknown as { detail?: { kind?: number } }).detail)?.kind ?? 0 }))) : undefined;
gcObserver?.observe({ entryTypes: ["gc"] });
const trackerT0 = performance.now();
const t0 = performance.now();
let last: Record<string, string> = {};
const breakers = setInterval(() => {
  const now = app.vendors.breakers();
  for (const [name, state] of Object.entries(now)) {
    if ((last[name] ?? "closed") !== state) process.stdout.write(`${JSON.stringify({ breaker: name, state, t: Math.round(performance.now() - t0) })}\n`);
  }
  last = now;
}, 100);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const rss = setInterval(() => {
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss, loopMaxMs: Math.round(loop.max / 1e6), t: Math.round(performance.now() - t0) })}\n`);
  loop.reset();
}, 1000);
process.on("uncaughtException", (err) => {
  process.stdout.write(`${JSON.stringify({ crash: String(err) })}\n`);
  process.exit(70);
});
exitWhenStdinCloses({
  stop: () => {
    clearInterval(breakers);
    clearInterval(rss);
    loop.disable();
    if (tracker && holdsFile) {
      gcObserver?.disconnect();
      const holds = tracker.stop().map((h) => {
        const start = trackerT0 + h.atMs;
        const inside = gcs.filter((g) => g.start < start + h.ms && g.start + g.ms > start);
        return { ...h, t: Math.round(start - t0), gcMs: Math.round(inside.reduce((n, g) => n + g.ms, 0)), gcs: inside.map((g) => `${g.kind}:${Math.round(g.ms)}`) };
      });
      writeFileSync(holdsFile, JSON.stringify({ holds, sqlTotals: tracker.sqlTotals() }, null, 1));
    }
  },
  close: () => server.close().then(() => app.close()),
  dir,
  hardMs: 10_000,
});
