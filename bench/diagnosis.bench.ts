/**
 * The diagnosis engine against the lab with vendor latencies SmartOLT 300 ms, ISPCube 200 ms,
 * RouterOS 30 ms (lab faults, docs/scenarios.md):
 * - live diagnosis latency over HTTP (every source read live) next to the same reads made one after
 *   the other through the same clients, as the old system did;
 * - cache-only diagnosis latency over HTTP next to a no-op RPC (grpc.health.v1 Check), same run;
 * - SmartOLT calls spent by a burst of distinct users' diagnoses, against the hourly budget, with a
 *   fresh cache and with a cache older than DIAG_SMARTOLT_LIVE_AFTER_S.
 *   npm run bench -- diagnosis [--subscribers N] [--samples N] [--burst N]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig, type Env } from "../src/config.js";
import { createAppContext, type AppContext } from "../src/context.js";
import { createLogger } from "../src/logger.js";
import { createServer } from "../src/server/server.js";
import { generateScenario } from "../lab/scenario/generate.js";
import { startLab, type Lab } from "../lab/lab.js";
import { beholderEnvForLab } from "../lab/beholder-env.js";
import { summarize, type Latency } from "./stats.js";
import { createDiagnosisReads, type DiagnosisReads } from "../src/cache/diagnosis-reads.js";
import { chooseRouter } from "../src/diagnosis/index.js";

export const LAB_LATENCY_MS = { smartolt: 300, ispcube: 200, routeros: 30 } as const;

export interface DiagnosisBenchOptions {
  subscribers: number;
  /** Sequential diagnoses measured (after 10 unmeasured). */
  samples: number;
  /** Distinct users diagnosed at once for the SmartOLT budget count. */
  burst: number;
  /** Diagnoses in flight during the burst. */
  burstConcurrency: number;
}

export interface BurstResult {
  cache: "fresh" | "stale";
  diagnoses: number;
  errors: number;
  smartoltCalls: number;
  live: number;
  cached: number;
  pausedForReserve: number;
  budgetUsed: number;
  budgetLimit: number;
  reserve: number;
  wallMs: number;
  firstError?: string;
}

export interface DiagnosisBenchResult {
  options: DiagnosisBenchOptions;
  live: Latency;
  sequential: Latency;
  cachedOnly: Latency;
  noop: Latency;
  bursts: BurstResult[];
}

interface Beholder {
  app: AppContext;
  url: string;
  key: string;
  close(): Promise<void>;
}

async function startBeholder(lab: Lab, env: Env): Promise<Beholder> {
  const dir = mkdtempSync(join(tmpdir(), "beholder-diag-bench-"));
  const config = loadConfig({
    ...beholderEnvForLab(lab),
    DB_PATH: join(dir, "cache.db"),
    PORT: "0",
    SYNC_SCHEDULE: "off",
    LOG_LEVEL: "info",
    RATE_LIMIT_READ_PER_MIN: "1000000000",
    ...env,
  });
  const app = await createAppContext(config, { logger: createLogger(config.log, pino.destination({ dest: "/dev/null", sync: true })) });
  const server = createServer(app);
  const { url } = await server.listen(0, "127.0.0.1");
  for (const job of ["inventory", "status"] as const) {
    const run = await app.sync.runner.start(job).handle.done;
    if (run.outcome !== "done") throw new Error(`${job} sync: ${run.outcome}`);
  }
  const key = (await app.keys.create(`bench-${Date.now()}`, ["read"])).key;
  return {
    app,
    url,
    key,
    async close() {
      await server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function post(b: Beholder, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${b.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": b.key },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const json: unknown = await res.json();
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

const DIAGNOSE = "/beholder.v1.DiagnosisService/GetDiagnosis";
const NOOP = "/grpc.health.v1.Health/Check";

async function timed(n: number, call: (i: number) => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < 10; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(i + 10);
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

async function setLatencies(lab: Lab): Promise<void> {
  const post = (body: unknown): Promise<Response> => fetch(`${lab.control.url}/faults`, { method: "POST", body: JSON.stringify(body) });
  await post({ sim: "smartolt", fault: { latencyMs: LAB_LATENCY_MS.smartolt } });
  await post({ sim: "ispcube", fault: { latencyMs: LAB_LATENCY_MS.ispcube } });
  for (const r of lab.routers) await post({ sim: "routeros", router: r.name, fault: { latencyMs: LAB_LATENCY_MS.routeros } });
}

async function burst(b: Beholder, lab: Lab, users: string[], concurrency: number, cache: BurstResult["cache"]): Promise<BurstResult> {
  const before = lab.counters.get("smartolt");
  const queue = [...users];
  const out = { live: 0, cached: 0, paused: 0, errors: 0, firstError: undefined as string | undefined };
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    for (let u = queue.shift(); u !== undefined; u = queue.shift()) {
      try {
        const r = (await post(b, DIAGNOSE, { pppoeUser: u })) as { diagnosis: { sources: { source: string; freshness: string; reason?: string }[] } };
        const s = r.diagnosis.sources.find((x) => x.source === "SOURCE_SMARTOLT");
        if (s?.freshness === "FRESHNESS_LIVE") out.live++;
        else out.cached++;
        if (s?.reason === "UNAVAILABLE_REASON_RATE_LIMITED") out.paused++;
      } catch (err) {
        out.errors++;
        out.firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const snap = b.app.vendors.smartolt?.budget();
  return {
    cache,
    diagnoses: users.length,
    errors: out.errors,
    smartoltCalls: lab.counters.get("smartolt") - before,
    live: out.live,
    cached: out.cached,
    pausedForReserve: out.paused,
    budgetUsed: snap?.used ?? 0,
    budgetLimit: snap?.limit ?? 0,
    reserve: b.app.config.diagnosis.smartoltSyncReserveCalls,
    wallMs: Math.round(performance.now() - t0),
    ...(out.firstError ? { firstError: out.firstError } : {}),
  };
}

export async function benchDiagnosis(o: DiagnosisBenchOptions): Promise<DiagnosisBenchResult> {
  const scenario = generateScenario({ subscribers: o.subscribers, seed: 11, now: new Date().toISOString() });
  // The lab's own SmartOLT limits out of the way: what is measured is Beholder's budget (SMARTOLT_HOURLY_BUDGET).
  scenario.smartolt.rateLimits = { ...scenario.smartolt.rateLimits, hourly: 1_000_000, onuSignalPerHour: 1_000_000 };
  const lab = await startLab({ scenario });
  try {
    await setLatencies(lab);
    // Users with an ONU, a customer and a secret on a router that answers: every source has something to read.
    const secrets = new Set(scenario.routers.flatMap((r) => r.secrets.map((s) => s.name)));
    const customers = new Set(scenario.ispcube.connections.map((c) => c.user));
    const users = scenario.smartolt.onus.map((x) => x.username).filter((u): u is string => !!u && secrets.has(u) && customers.has(u));

    // A fresh cache: no SmartOLT call is needed; cache-only latency against the no-op RPC.
    const fresh = await startBeholder(lab, {});
    let cachedOnly: Latency;
    let noop: Latency;
    const bursts: BurstResult[] = [];
    try {
      noop = await timed(o.samples * 3, () => post(fresh, NOOP, {}));
      cachedOnly = await timed(o.samples * 3, (i) => post(fresh, DIAGNOSE, { pppoeUser: users[i % users.length], cacheOnly: true }));
      // Right after a status job, as an agent sees it most of the time.
      await fresh.app.sync.runner.start("status").handle.done;
      bursts.push(await burst(fresh, lab, users.slice(0, o.burst), o.burstConcurrency, "fresh"));
    } finally {
      await fresh.close();
    }

    // Every cached status counts as old: each diagnosis reads SmartOLT live while the budget allows.
    // The burst gets its own Beholder (a whole hour's budget); the latency runs on another, never paused.
    const burstApp = await startBeholder(lab, { DIAG_SMARTOLT_LIVE_AFTER_S: "0" });
    try {
      bursts.push(await burst(burstApp, lab, users.slice(0, o.burst), o.burstConcurrency, "stale"));
    } finally {
      await burstApp.close();
    }
    const stale = await startBeholder(lab, { DIAG_SMARTOLT_LIVE_AFTER_S: "0" });
    try {
      const live = await timed(o.samples, (i) => post(stale, DIAGNOSE, { pppoeUser: users[(i * 7) % users.length] }));
      const reads = createDiagnosisReads(stale.app.orm);
      const sequential = await timed(o.samples, (i) => oldSequential(stale.app, reads, users[(i * 7) % users.length] as string));
      return { options: o, live, sequential, cachedOnly, noop, bursts };
    } finally {
      await stale.close();
    }
  } finally {
    await lab.close();
  }
}

/** The same vendor reads one after the other, through the same clients: how the old system gathered. */
async function oldSequential(app: AppContext, reads: DiagnosisReads, user: string): Promise<void> {
  const sub = await reads.subscriber({ kind: "pppoe_user", value: user });
  if (!sub) throw new Error(`${user} is not in the cache`);
  const router = chooseRouter(sub, app.vendors.defaultRouter);
  const { ispcube, smartolt, routers } = app.vendors;
  if (sub.customer) await ispcube?.customerById(sub.customer.id);
  if (router && routers) {
    await routers.activeSession(router, user);
    await routers.secret(router, user);
    await routers.queue(router, user);
  }
  if (sub.onu) {
    await smartolt?.onuStatus(sub.onu.externalId);
    await smartolt?.onuSignal(sub.onu.externalId);
  }
}
