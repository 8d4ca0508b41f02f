/**
 * WatchDiagnosis under load: `streams` concurrent watch streams over `users` subscribers for
 * `seconds`, next to a same-run baseline of one stream per user. The server runs in this process
 * (its RSS and event-loop delay are measured), the lab and the clients in their own processes. Vendor
 * calls come from the lab's counters: they must follow the users, not the streams.
 *   npm run bench -- watch [--subscribers N] [--watch-users N] [--watch-streams N] [--watch-seconds N]
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { pino } from "pino";
import { loadConfig } from "../src/config.js";
import { createAppContext, type AppContext } from "../src/context.js";
import { createServer, type BeholderServer } from "../src/server/server.js";
import type { Scenario } from "../lab/scenario/types.js";
import type { WatchLoadJob, WatchLoadResult } from "./watch-load-child.js";

export interface WatchBenchOptions {
  subscribers: number;
  users: number;
  streams: number;
  seconds: number;
}

export interface WatchPhase {
  streams: number;
  users: number;
  ready: number;
  failed: number;
  firstError?: string;
  openMs: number;
  windowS: number;
  rssMb: { before: number; mean: number; max: number };
  loopDelayMs: { p50: number; p99: number; max: number };
  /** Vendor calls per minute during the window, per vendor and per endpoint. */
  perMinute: Record<string, number>;
  byEndpoint: Record<string, Record<string, number>>;
  updates: number;
  heartbeats: number;
  onuStatusIntervalS: number;
  stretched: boolean;
  onuGroups: number;
  /** After every stream was cancelled: router streams left open, vendor calls in the next 5 s. */
  afterCancel: { openStreams: number; calls: number; byEndpoint: Counters };
  /** Breakers not closed when the window started (the wait for them is bounded at 60 s). */
  breakersOpen: number;
}

export interface WatchBenchResult {
  options: WatchBenchOptions;
  phases: WatchPhase[];
  /** load ÷ baseline, total vendor calls per minute; the streams ratio is streams ÷ users. */
  callsRatio: number;
  targets: { name: string; value: string; pass: boolean }[];
}

type Counters = Record<"smartolt" | "ispcube" | "routeros", Record<string, number>>;

const MB = 2 ** 20;

export async function benchWatch(o: WatchBenchOptions): Promise<WatchBenchResult> {
  const labChild = spawn(process.execPath, ["--import", "tsx", "bench/lab-child.ts", "--subscribers", String(o.subscribers), "--seed", "1"], { stdio: ["pipe", "pipe", "inherit"] });
  const dir = mkdtempSync(join(tmpdir(), "beholder-watch-bench-"));
  let app: AppContext | undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    const lab = JSON.parse(await firstLine(createInterface({ input: labChild.stdout }))) as { control: string; env: Record<string, string> };
    const users = pickUsers((await labFetch(`${lab.control}/scenario`)) as Scenario, o.users);
    const config = loadConfig({
      ...lab.env,
      DB_PATH: join(dir, "watch.db"),
      PORT: "0",
      SYNC_SCHEDULE: "off",
      LOG_LEVEL: "warn",
      RATE_LIMIT_WATCH_STREAMS: String(o.streams * 2),
      RATE_LIMIT_READ_PER_MIN: "1000000",
    });
    app = await createAppContext(config, { logger: pino({ level: "warn" }) });
    for (const job of ["inventory", "status"] as const) await (await app.sync.runner.start(job)).handle.done;
    const apiKey = (await app.keys.create("bench-watch", ["read"])).key;
    const server = createServer(app);
    const { url } = await server.listen(0, "127.0.0.1");
    close = () => server.close();
    const phases: WatchPhase[] = [];
    for (const perUser of [1, Math.max(1, Math.round(o.streams / users.length))]) {
      process.stderr.write(`watch: ${users.length * perUser} streams over ${users.length} users for ${o.seconds} s...\n`);
      phases.push(await phase(app, server, lab.control, { url, apiKey, users, perUser, openTimeoutMs: 300_000, openConcurrency: 10 }, o.seconds));
    }
    const total = (p: WatchPhase): number => Object.values(p.perMinute).reduce((a, b) => a + b, 0);
    const [base, load] = phases as [WatchPhase, WatchPhase];
    const callsRatio = total(load) / total(base);
    return {
      options: { ...o, users: users.length },
      phases,
      callsRatio,
      targets: [
        { name: `vendor calls/min with ${load.streams} streams ÷ with ${base.streams} (same users) ≤ 1.2`, value: callsRatio.toFixed(2), pass: callsRatio <= 1.2 },
        { name: "every stream opened", value: `${load.ready}/${load.streams}`, pass: load.failed === 0 && base.failed === 0 },
        { name: "after cancelling: no router stream, no vendor call", value: `${load.afterCancel.openStreams} streams, ${load.afterCancel.calls} calls`, pass: load.afterCancel.openStreams === 0 && load.afterCancel.calls === 0 },
      ],
    };
  } finally {
    await close?.();
    await app?.close();
    labChild.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

async function phase(app: AppContext, server: BeholderServer, control: string, job: WatchLoadJob, seconds: number): Promise<WatchPhase> {
  const rssBefore = process.memoryUsage().rss / MB;
  const child = spawn(process.execPath, ["--import", "tsx", "bench/watch-load-child.ts"], { stdio: ["pipe", "pipe", "inherit"] });
  const out = createInterface({ input: child.stdout });
  child.stdin.write(`${JSON.stringify(job)}\n`);
  const ready = JSON.parse(await firstLine(out)) as { ready: number; failed: number; firstError?: string };
  // The steady state: a breaker opened by the burst of first gathers (a loaded machine) would refuse
  // calls locally and make the window look cheap.
  const breakersOpen = await settle(() => Object.values(app.vendors.breakers()).filter((s) => s !== "closed").length, 60_000);
  await labFetch(`${control}/counters/reset`, "POST");
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss / MB), 500);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const windowS = (performance.now() - t0) / 1000;
  const counters = (await labFetch(`${control}/counters`)) as Counters;
  clearInterval(sampler);
  delay.disable();
  const load = await finish(child, out);
  const openStreams = await settle(() => app.vendors.routers?.openStreams() ?? 0, 10_000);
  // Every subscriber released and the SmartOLT poller stopped; a request already on the wire may still land.
  await settle(() => server.watchStats().subscribers + (server.watchStats().onuPollerRunning ? 1 : 0), 10_000);
  await new Promise((r) => setTimeout(r, 500));
  await labFetch(`${control}/counters/reset`, "POST");
  await new Promise((r) => setTimeout(r, 5000));
  const after = (await labFetch(`${control}/counters`)) as Counters;
  const perMinute = Object.fromEntries(
    Object.entries(counters).map(([vendor, byOp]) => [vendor, (Object.values(byOp).reduce((a, b) => a + b, 0) / windowS) * 60]),
  );
  return {
    streams: load.streams,
    users: job.users.length,
    ready: ready.ready,
    failed: ready.failed,
    ...(ready.firstError ? { firstError: ready.firstError } : {}),
    openMs: load.openMs,
    windowS,
    rssMb: { before: rssBefore, mean: rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length), max: Math.max(...rss) },
    loopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    perMinute,
    byEndpoint: counters,
    updates: load.updates,
    heartbeats: load.heartbeats,
    onuStatusIntervalS: load.onuStatusIntervalS,
    stretched: load.stretched,
    onuGroups: load.onuGroups,
    breakersOpen,
    afterCancel: { openStreams, calls: Object.values(after).reduce((n, byOp) => n + Object.values(byOp).reduce((a, b) => a + b, 0), 0), byEndpoint: after },
  };
}

/** Subscribers with an online ONU and a PPPoE session up: the ones an agent would watch. */
function pickUsers(s: Scenario, n: number): string[] {
  const online = new Set(s.smartolt.onus.filter((o) => o.status === "Online" && o.username).map((o) => o.username as string));
  const active = new Set(s.routers.flatMap((r) => r.active.map((a) => a.name)));
  const billed = new Set(s.ispcube.connections.map((c) => c.user));
  const users = [...online].filter((u) => active.has(u) && billed.has(u)).sort();
  if (users.length < n) throw new Error(`the scenario has ${users.length} watchable users, fewer than ${n}: raise --subscribers`);
  // Spread over the ISP rather than the first port of the first OLT.
  const step = users.length / n;
  return Array.from({ length: n }, (_, i) => users[Math.floor(i * step)] as string);
}

async function finish(child: ChildProcessByStdio<Writable, Readable, null>, out: Interface): Promise<WatchLoadResult> {
  child.stdin.write("stop\n");
  const result = JSON.parse(await firstLine(out)) as WatchLoadResult;
  child.stdin.end();
  return result;
}

async function settle(read: () => number, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (read() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return read();
}

/** The lab's control API; once more on a reset (a keep-alive socket the lab closed as it was reused). */
async function labFetch(url: string, method = "GET"): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(url, { method })).json();
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

function firstLine(rl: Interface): Promise<string> {
  return new Promise((resolve, reject) => {
    rl.once("line", resolve);
    rl.once("close", () => reject(new Error("the child process ended without answering")));
  });
}
