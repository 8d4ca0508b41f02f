/**
 * `npm run bench -- faults`: mixed diagnoses, searches, watches and a sync against a lab that injects
 * SmartOLT errors and delays, ISPCube 401s and 502s, a silent router and one dropping connections,
 * while another client holds a slowloris and an h2 stream flood. Then the faults clear and the bench
 * waits for the breakers to close and a diagnosis to be LIVE again. Beholder and the lab each run in
 * their own process (faults-server.ts, lab-child.ts); the load runs here. Every loop is bounded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { execPath } from "node:process";
import net from "node:net";
import { setMaxListeners } from "node:events";
import { createInterface } from "node:readline";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Freshness, Source } from "../gen/beholder/v1/common_pb.js";
import { DiagnosisService } from "../gen/beholder/v1/diagnosis_pb.js";
import { SearchService } from "../gen/beholder/v1/search_pb.js";
import { SyncJob, SyncPhase, SyncService } from "../gen/beholder/v1/sync_pb.js";
import { connectRawH2, grpcRequest } from "../test/helpers/raw-h2.js";
import { summarize, type Latency } from "./stats.js";

export interface FaultsOptions {
  subscribers: number;
  warmupSeconds: number;
  faultSeconds: number;
  concurrency: number;
  watches: number;
  slowlorisSockets: number;
  floodStreams: number;
  breakerResetMs: number;
  /** SERVER_ACCEPT_HANDLES for Beholder; the product's default when unset. */
  acceptHandles?: number;
  /** DIAG_BUDGET_BUSY_PERCENT for Beholder; the product's default when unset. */
  busyPercent?: number;
  /** Where Beholder writes the stretches its event loop was held over 300 ms (SQL and GC inside them), when set. */
  holdsFile?: string;
  /** Where the lab and Beholder write V8 CPU profiles (`node --cpu-prof`), when set. */
  cpuProfDir?: string;
}

export interface OpStats {
  op: string;
  phase: string;
  latency: Latency;
  maxMs: number;
  codes: Record<string, number>;
}

export interface FaultsResult {
  options: FaultsOptions;
  initialSyncMs: number;
  /** Handles Beholder accepted connections on (accept-fanout.ts). */
  acceptHandles: number;
  budgetMs: number;
  /** DIAG_BUDGET_BUSY_PERCENT: how much of the budget a busy loop may take off the live reads. */
  busyPercent: number;
  ops: OpStats[];
  overBudget: number;
  /** Diagnoses whose own `took` (server side, without connecting and queueing) passed budget + 10%. */
  overBudgetServer: number;
  /** The slowest `took`, ms. */
  maxTookMs: number;
  /** Up to 20 diagnoses over budget + 10% by their own took, with where the time went. */
  slow: string[];
  diagnoses: number;
  /** The load's failed calls by phase, call, code and message. */
  errors: Record<string, number>;
  /** Diagnoses by phase and by how many sources were read live: how many, and the median of their own took. */
  liveSources: { phase: string; live: number; n: number; tookP50: number }[];
  /** Why a source was unavailable or fell back, by phase: "faults ROUTEROS: no answer within # ms" → count. */
  sourceProblems: Record<string, number>;
  /** The server's event loop: the worst delay in each second, by phase. */
  loop: { phase: string; p50: number; max: number }[];
  labLoop: { phase: string; p50: number; max: number }[];
  internalOrUnknown: number;
  crashes: string[];
  watch: { opened: number; messages: number; ends: Record<string, number> };
  sync: { outcome: string; sources: string };
  probe: { phase: string; latency: Latency; failures: number }[];
  /** Each failed probe of the normal client: when, why, and the server's event-loop delay meanwhile. */
  probeFailures: string[];
  rss: { t: number; mb: number }[];
  breakers: { t: number; breaker: string; state: string }[];
  /** After the faults cleared: every breaker closed (and the one that closed last), the first LIVE diagnosis. */
  recovery: { breakersClosedMs: number | null; lastToClose: string | null; liveMs: number | null; transitions: string[]; notLive: string[]; loops: string[] };
  attacks: string[];
  /** Handshakes the kernel dropped for a full listen queue, per phase (the whole machine's count). */
  listenOverflows: { phase: string; n: number }[];
}

interface Line {
  port?: number;
  readKey?: string;
  adminKey?: string;
  budgetMs?: number;
  syncMs?: number;
  acceptHandles?: number;
  busyPercent?: number;
  users?: string[];
  rss?: number;
  loopMaxMs?: number;
  labLoopMaxMs?: number;
  t?: number;
  breaker?: string;
  state?: string;
  crash?: string;
  control?: string;
  env?: Record<string, string>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One GET /health of the normal client, timed on this process's clock. */
interface Probe {
  phase: string;
  start: number;
  end: number;
  phaseStart: number;
  ms: number;
  ok: boolean;
  why?: string;
}

function child(args: string[], env: NodeJS.ProcessEnv, onLine: (l: Line) => void, cpuProfDir?: string): { proc: ChildProcess; first: Promise<Line> } {
  // One directory per child: Node writes one profile per thread (tsx's loader thread too).
  const profile = cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", join(cpuProfDir, basename(args[0] ?? "child", ".ts"))] : [];
  const proc = spawn(execPath, [...profile, "--import", "tsx", ...args], { stdio: ["pipe", "pipe", "inherit"], env });
  let resolveFirst: (l: Line) => void = () => undefined;
  const first = new Promise<Line>((resolve, reject) => {
    resolveFirst = resolve;
    proc.once("exit", (code) => reject(new Error(`${args[0]} exited (${code})`)));
  });
  let seen = false;
  createInterface({ input: proc.stdout! }).on("line", (text) => {
    const line = JSON.parse(text) as Line;
    if (!seen) {
      seen = true;
      resolveFirst(line);
    } else onLine(line);
  });
  return { proc, first };
}

function codeName(err: unknown): string {
  return Code[ConnectError.from(err).code] ?? "unknown";
}

export async function benchFaults(o: FaultsOptions, log: (s: string) => void): Promise<FaultsResult> {
  const rss: { t: number; mb: number }[] = [];
  const loop: { phase: string; ms: number; at: number }[] = [];
  const breakers: { t: number; breaker: string; state: string; at: number }[] = [];
  const crashes: string[] = [];
  const open = new Map<string, string>();
  /** When the faults cleared, and when (and by which breaker's change) every breaker was closed again. */
  const recovery: { cleared: number | null; closed: { ms: number; last: string } | null } = { cleared: null, closed: null };
  let phase = "sync";
  let phaseStart = performance.now();
  /** The slowest diagnoses, with each source's freshness and live-read latency: where the time went. */
  const slow: string[] = [];
  const sourceProblems: Record<string, number> = {};
  /** The load's failed calls: "phase op code: message (its cause's code)" → count, numbers masked. */
  const errors: Record<string, number> = {};
  const noteError = (where: string, err: unknown): void => {
    const ce = ConnectError.from(err);
    const cause = ce.cause as { code?: unknown; message?: unknown } | undefined;
    const why = `${ce.rawMessage}${cause && typeof cause.code === "string" ? ` (${cause.code})` : ""}`;
    const key = `${where}: ${why.replace(/\d+\.\d+\.\d+\.\d+:\d+|\d{3,}/g, "#")}`.slice(0, 160);
    errors[key] = (errors[key] ?? 0) + 1;
  };
  const labLoop: { phase: string; ms: number; at: number }[] = [];
  // SmartOLT's hourly account budget out of the way in the lab, as Beholder's is (SMARTOLT_HOURLY_BUDGET in
  // faults-server.ts): this bench injects faults, and a spent quota (429 for the rest of the hour) would
  // keep SmartOLT from LIVE after the clear for reasons of its own (run 8, 16:00Z).
  const lab = child(["bench/lab-child.ts", "--subscribers", String(o.subscribers), "--smartolt-rps", "1000", "--smartolt-hourly", "1000000", "--loop"], process.env, (l) => {
    if (l.labLoopMaxMs !== undefined) labLoop.push({ phase, ms: l.labLoopMaxMs, at: performance.now() });
  }, o.cpuProfDir);
  const labInfo = await lab.first;
  const control = labInfo.control as string;
  log(`faults: lab up (${o.subscribers} subscribers); Beholder syncing...\n`);
  const server = child(["bench/faults-server.ts"], {
    ...process.env,
    BEHOLDER_LAB_ENV: JSON.stringify(labInfo.env),
    BREAKER_RESET_MS: String(o.breakerResetMs),
    ...(o.acceptHandles === undefined ? {} : { SERVER_ACCEPT_HANDLES: String(o.acceptHandles) }),
    ...(o.holdsFile === undefined ? {} : { BENCH_HOLDS_FILE: o.holdsFile }),
    ...(o.busyPercent === undefined ? {} : { DIAG_BUDGET_BUSY_PERCENT: String(o.busyPercent) }),
  }, (l) => {
    if (l.rss !== undefined) rss.push({ t: l.t ?? 0, mb: Math.round(l.rss / 2 ** 20) });
    if (l.loopMaxMs !== undefined) loop.push({ phase, ms: l.loopMaxMs, at: performance.now() });
    if (l.breaker) {
      breakers.push({ t: l.t ?? 0, breaker: l.breaker, state: l.state ?? "", at: performance.now() });
      open.set(l.breaker, l.state ?? "closed");
      // Timed on arrival (the server samples its breakers every 100 ms): the change that closed the last one.
      if (recovery.cleared !== null && recovery.closed === null && [...open.values()].every((s) => s === "closed")) {
        recovery.closed = { ms: performance.now() - recovery.cleared, last: l.breaker };
      }
    }
    if (l.crash) crashes.push(l.crash);
  }, o.cpuProfDir);
  let serverExit: string | undefined;
  server.proc.once("exit", (code, sig) => (serverExit = `exit ${code ?? sig}`));
  const meta = await server.first;
  const url = `http://127.0.0.1:${meta.port}`;
  const users = meta.users ?? [];
  const read = { "x-api-key": meta.readKey ?? "" };
  const diagnosis = createClient(DiagnosisService, createConnectTransport({ baseUrl: url, httpVersion: "1.1" }));
  const grpcDiagnosis = createClient(DiagnosisService, createGrpcTransport({ baseUrl: url }));
  const search = createClient(SearchService, createGrpcTransport({ baseUrl: url }));
  const sync = createClient(SyncService, createGrpcTransport({ baseUrl: url }));
  const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

  /** live: how many of the diagnosis' sources were read live (the rest came from the cache or were unavailable). */
  type Sample = { op: string; phase: string; ms: number; code: string; tookMs?: number; live?: number };
  const samples: Sample[] = [];
  const stopAt = { t: 0 };
  const worker = async (): Promise<void> => {
    while (performance.now() < stopAt.t) {
      const op = Math.random() < 0.5 ? "GetDiagnosis" : "Search";
      const started = performance.now();
      let code = "ok";
      let tookMs: number | undefined;
      let live: number | undefined;
      try {
        if (op === "GetDiagnosis") {
          const d = (await diagnosis.getDiagnosis({ pppoeUser: pick(users) }, { headers: read, timeoutMs: 30_000 })).diagnosis;
          tookMs = d?.took ? Number(d.took.seconds) * 1000 + d.took.nanos / 1e6 : undefined;
          live = (d?.sources ?? []).filter((x) => x.freshness === Freshness.LIVE).length;
          if (tookMs !== undefined && tookMs > (meta.budgetMs ?? 0) * 1.1 && slow.length < 20) {
            const lat = (x: { seconds: bigint; nanos: number } | undefined): string => (x ? `${Math.round(Number(x.seconds) * 1000 + x.nanos / 1e6)} ms` : "–");
            slow.push(`${Math.round(tookMs)} ms at ${phase} +${Math.round((performance.now() - phaseStart) / 1000)} s: ${(d?.sources ?? []).map((x) => `${Source[x.source]} ${Freshness[x.freshness]} ${lat(x.latency)}`).join(", ")}`);
          }
          for (const s of d?.sources ?? []) {
            if (s.freshness !== Freshness.UNAVAILABLE && s.reason === 0) continue;
            const key = `${phase} ${Source[s.source]}: ${s.detail.replace(/\d+\.\d+\.\d+\.\d+:\d+|\d{4,}/g, "#")}`.slice(0, 120);
            sourceProblems[key] = (sourceProblems[key] ?? 0) + 1;
          }
        } else await search.search({ query: pick(users).slice(0, 3 + Math.floor(Math.random() * 5)) }, { headers: read, timeoutMs: 30_000 });
      } catch (err) {
        code = codeName(err);
        noteError(`${phase} ${op} ${code}`, err);
      }
      samples.push({ op, phase, ms: performance.now() - started, code, ...(tookMs === undefined ? {} : { tookMs }), ...(live === undefined ? {} : { live }) });
    }
  };
  // The normal client runs in its own process from its own address (bench/attack-probe.ts), so neither
  // this process's load and attackers nor the per-address limits of the load's 127.0.0.1 delay it.
  const probes: Probe[] = [];
  const prober = spawn(execPath, ["--import", "tsx", "bench/attack-probe.ts", "--port", String(meta.port), "--interval-ms", "250", "--timeout-ms", "10000", "--stream"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const proberExit = new Promise((r) => prober.once("exit", r));
  const proberReady = new Promise<void>((resolve) => {
    createInterface({ input: prober.stdout! }).on("line", (text) => {
      if (text === "ready") return resolve();
      const p = JSON.parse(text) as { ms: number; ok: boolean; why?: string };
      const end = performance.now();
      probes.push({ phase, start: end - p.ms, end, phaseStart, ms: p.ms, ok: p.ok, ...(p.why ? { why: p.why } : {}) });
    });
  });
  await proberReady;

  // Warm-up: no faults.
  const overflowsAt: Record<string, number | undefined> = { "warm-up": listenOverflows() };
  phase = "warm-up";
  phaseStart = performance.now();
  stopAt.t = performance.now() + o.warmupSeconds * 1000;
  await Promise.all(Array.from({ length: o.concurrency }, worker));

  // Faults and attacks.
  const post = (body: unknown): Promise<Response> => fetch(`${control}/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const routers = ((await (await fetch(`${control}/scenario`)).json()) as { routers: { name: string }[] }).routers.map((r) => r.name);
  await post({ sim: "smartolt", endpoint: "*", fault: { errorRate: 0.3, status: 500, jitterMs: 2000 } });
  await post({ sim: "ispcube", endpoint: "*", fault: { errorRate: 0.3, status: 502 } });
  await post({ sim: "ispcube", endpoint: "customer", fault: { errorRate: 0.5, status: 401 } });
  if (routers[0]) await post({ sim: "routeros", router: routers[0], command: "*", fault: { silent: true } });
  if (routers[1]) await post({ sim: "routeros", router: routers[1], command: "*", fault: { dropMidCommand: true } });
  overflowsAt.faults = listenOverflows();
  phase = "faults";
  phaseStart = performance.now();
  log(`faults: ${o.faultSeconds} s of load with faults and attacks...\n`);

  const attacks: string[] = [];
  // The h2 flood runs the whole window: a connection from 127.0.3.1 opens up to floodStreams streams
  // without a key and never ends them; when the server closes it, the attacker reconnects a second later
  // and floods again. Its first connection is made before the slowloris starts, so the flood is sure to
  // reach the server rather than queue behind 5,000 sockets at the accept.
  const floodUntil = performance.now() + o.faultSeconds * 1000;
  const flood = { connections: 0, refused: 0, streams: 0, closedByServer: 0, goaways: {} as Record<string, number> };
  let floodSocket: net.Socket | undefined;
  let firstFlood: () => void = () => undefined;
  const floodStarted = new Promise<void>((resolve) => (firstFlood = resolve));
  const flooding = (async () => {
    const fields = grpcRequest("/beholder.v1.SearchService/Search", `127.0.0.1:${meta.port}`);
    while (o.floodStreams > 0 && performance.now() < floodUntil) {
      let raw: Awaited<ReturnType<typeof connectRawH2>>;
      try {
        raw = await connectRawH2(meta.port ?? 0, "127.0.0.1", "127.0.3.1");
      } catch {
        flood.refused++;
        firstFlood();
        await sleep(1000);
        continue;
      }
      flood.connections++;
      floodSocket = raw.socket;
      let code: number | undefined;
      void raw.goaway.then((c) => (code = c));
      firstFlood();
      await Promise.race([raw.settings, raw.closed]);
      for (let i = 0; i < o.floodStreams && !raw.socket.destroyed; i++) {
        raw.headers(1 + 2 * i, fields, false);
        flood.streams++;
        if (i % 500 === 499) await sleep(10);
      }
      const windowEnds = sleep(Math.max(0, floodUntil - performance.now())).then(() => "window");
      if ((await Promise.race([raw.closed.then(() => "closed"), windowEnds])) === "window") break;
      flood.closedByServer++;
      const name = code === undefined ? "no GOAWAY" : `GOAWAY ${code}`;
      flood.goaways[name] = (flood.goaways[name] ?? 0) + 1;
      await sleep(1000);
    }
    firstFlood();
  })();
  await floodStarted;

  const sockets: net.Socket[] = [];
  for (let i = 0; i < o.slowlorisSockets; i++) {
    const s = net.connect({ port: meta.port ?? 0, host: "127.0.0.1", localAddress: `127.0.2.${1 + Math.floor(i / 100)}` });
    s.on("error", () => undefined);
    s.resume();
    s.once("connect", () => s.write("GET /health HTTP/1.1\r\nHost: beholder\r\n"));
    sockets.push(s);
  }

  const watch = { opened: 0, messages: 0, ends: {} as Record<string, number> };
  const stopWatches = new AbortController();
  setMaxListeners(0, stopWatches.signal); // every watcher listens to it
  const watcher = async (): Promise<void> => {
    while (!stopWatches.signal.aborted) {
      watch.opened++;
      let end = "ok";
      try {
        for await (const _ of grpcDiagnosis.watchDiagnosis({ pppoeUser: pick(users) }, { headers: read, signal: stopWatches.signal })) watch.messages++;
      } catch (err) {
        end = stopWatches.signal.aborted ? "stopped" : codeName(err);
      }
      watch.ends[end] = (watch.ends[end] ?? 0) + 1;
      if (!stopWatches.signal.aborted) await sleep(1000);
    }
  };
  const watching = Promise.all(Array.from({ length: o.watches }, watcher));

  stopAt.t = performance.now() + o.faultSeconds * 1000;
  const syncDone = (async () => {
    await sleep((o.faultSeconds * 1000) / 4);
    let last: { outcome: string; sources: string } = { outcome: "none", sources: "" };
    try {
      for await (const _ of sync.runSync({ job: SyncJob.INVENTORY }, { headers: { "x-api-key": meta.adminKey ?? "" } }));
      const status = await sync.getSyncStatus({}, { headers: { "x-api-key": meta.adminKey ?? "" } });
      const run = status.jobs.find((j) => j.job === SyncJob.INVENTORY)?.lastRun;
      last = {
        outcome: SyncPhase[run?.outcome ?? 0] ?? "?",
        sources: (run?.sources ?? []).map((s) => `${Source[s.source] ?? s.source} ${SyncPhase[s.outcome]}${s.error ? ` (${s.error.slice(0, 100)})` : ""}`).join("; "),
      };
    } catch (err) {
      last = { outcome: codeName(err), sources: "" };
    }
    return last;
  })();
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const syncResult = await syncDone;
  const slowHeld = sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
  attacks.push(`slowloris: ${o.slowlorisSockets} sockets from ${Math.ceil(o.slowlorisSockets / 100)} addresses, ${slowHeld} still open at the end of the window`);
  floodSocket?.destroy();
  await flooding;
  const goaways = Object.entries(flood.goaways).map(([k, n]) => `${k} × ${n}`).join(", ");
  attacks.push(
    `h2 flood (never-finished Search streams without a key, reconnecting 1 s after each close): ${flood.connections} connections, ${flood.streams} streams sent, ` +
      `${flood.closedByServer} connections closed by the server${goaways ? ` (${goaways})` : ""}, ${flood.refused} refused at connect`,
  );
  for (const s of sockets) s.destroy();
  stopWatches.abort();
  await watching;

  // Recovery: faults clear; time until every breaker is closed and a diagnosis is LIVE everywhere.
  await fetch(`${control}/faults`, { method: "DELETE" });
  overflowsAt.recovery = listenOverflows();
  phase = "recovery";
  phaseStart = performance.now();
  const cleared = performance.now();
  recovery.cleared = cleared;
  if ([...open.values()].every((s) => s === "closed")) recovery.closed = { ms: 0, last: "none open" };
  let liveMs: number | null = null;
  /** Why each recovery diagnosis before the first LIVE one was not LIVE. */
  const notLive: string[] = [];
  const limit = cleared + 3 * o.breakerResetMs + 30_000;
  // No syncs and no load here: a half-open breaker runs its vendor's probe itself (BREAKER_PROBE), so
  // the breakers must close with no call from anyone but the diagnosis every 0.5 s below until the first
  // LIVE one (each reaches ISPCube, SmartOLT when its cache is old, and that subscriber's router).
  while (performance.now() < limit && (recovery.closed === null || liveMs === null)) {
    if (liveMs === null) {
      try {
        const d = (await diagnosis.getDiagnosis({ pppoeUser: pick(users) }, { headers: read })).diagnosis;
        // SmartOLT may answer from a fresh cache by design (DIAG_SMARTOLT_LIVE_AFTER_S): recovered means no
        // source unavailable and none fallen back to the cache for a failed live read (no reason set).
        if (d && d.sources.every((s) => s.freshness !== Freshness.UNAVAILABLE && s.reason === 0)) liveMs = performance.now() - cleared;
        else {
          const why = (d?.sources ?? []).filter((s) => s.freshness === Freshness.UNAVAILABLE || s.reason !== 0).map((s) => `${Source[s.source]} ${s.detail.slice(0, 90)}`);
          notLive.push(`+${f((performance.now() - cleared) / 1000)} s: ${why.join(", ")}`);
        }
      } catch {
        // counted below through the samples of the load; here only the first LIVE answer matters
      }
    }
    await sleep(500);
  }
  overflowsAt.end = listenOverflows();
  prober.stdin?.end();
  await proberExit;

  server.proc.stdin?.end();
  lab.proc.stdin?.end();
  await Promise.all([new Promise((r) => server.proc.once("exit", r)), new Promise((r) => lab.proc.once("exit", r))]);
  if (serverExit && !/exit 0/.test(serverExit)) crashes.push(`server ${serverExit}`);

  const ops: OpStats[] = [];
  for (const p of ["warm-up", "faults"]) {
    for (const op of ["GetDiagnosis", "Search"]) {
      const mine = samples.filter((s) => s.op === op && s.phase === p);
      const codes: Record<string, number> = {};
      for (const s of mine) codes[s.code] = (codes[s.code] ?? 0) + 1;
      ops.push({ op, phase: p, latency: summarize(mine.map((s) => s.ms)), maxMs: Math.max(0, ...mine.map((s) => s.ms)), codes });
    }
  }
  const budgetMs = meta.budgetMs ?? 0;
  const diagnoses = samples.filter((s) => s.op === "GetDiagnosis" && s.code === "ok");
  return {
    options: o,
    initialSyncMs: meta.syncMs ?? 0,
    acceptHandles: meta.acceptHandles ?? 1,
    budgetMs,
    busyPercent: meta.busyPercent ?? NaN,
    ops,
    diagnoses: diagnoses.length,
    overBudget: diagnoses.filter((s) => s.ms > budgetMs * 1.1).length,
    overBudgetServer: diagnoses.filter((s) => (s.tookMs ?? 0) > budgetMs * 1.1).length,
    maxTookMs: Math.max(0, ...diagnoses.map((s) => s.tookMs ?? 0)),
    slow,
    errors,
    liveSources: ["warm-up", "faults"].flatMap((p) =>
      [0, 1, 2, 3].map((live) => {
        const mine = diagnoses.filter((s) => s.phase === p && s.live === live).map((s) => s.tookMs ?? 0);
        return { phase: p, live, n: mine.length, tookP50: summarize(mine).p50 };
      }),
    ),
    sourceProblems,
    labLoop: ["warm-up", "faults", "recovery"].map((p) => {
      const mine = labLoop.filter((x) => x.phase === p).map((x) => x.ms).sort((a, b) => a - b);
      return { phase: p, p50: mine[Math.floor(mine.length / 2)] ?? NaN, max: mine[mine.length - 1] ?? NaN };
    }),
    loop: ["warm-up", "faults", "recovery"].map((p) => {
      const mine = loop.filter((x) => x.phase === p).map((x) => x.ms).sort((a, b) => a - b);
      return { phase: p, p50: mine[Math.floor(mine.length / 2)] ?? NaN, max: mine[mine.length - 1] ?? NaN };
    }),
    internalOrUnknown: samples.filter((s) => /Internal|Unknown/i.test(s.code)).length,
    crashes,
    watch,
    sync: syncResult,
    probe: ["warm-up", "faults", "recovery"].map((p) => {
      const mine = probes.filter((x) => x.phase === p);
      return { phase: p, latency: summarize(mine.filter((x) => x.ok).map((x) => x.ms)), failures: mine.filter((x) => !x.ok).length };
    }),
    probeFailures: probes
      .filter((x) => !x.ok)
      .map((x) => {
        // The server's worst event-loop delay in the seconds the probe was waiting (samples are per second).
        const near = loop.filter((l) => l.at >= x.start && l.at <= x.end + 1000).map((l) => l.ms);
        return `${x.phase} +${f((x.start - x.phaseStart) / 1000)} s: ${x.why ?? "failed"} after ${f(x.ms)} ms (server loop worst ${near.length ? Math.max(...near) : "–"} ms meanwhile)`;
      }),
    rss,
    breakers,
    recovery: {
      breakersClosedMs: recovery.closed?.ms ?? null,
      lastToClose: recovery.closed?.last ?? null,
      liveMs,
      transitions: breakers.filter((b) => b.at >= cleared).map((b) => `${b.breaker} ${b.state}@+${f((b.at - cleared) / 1000)} s`),
      // Each second's worst event-loop delay in the lab and in Beholder, for the first 20 s after the clear.
      loops: Array.from({ length: 20 }, (_, i) => {
        const inSecond = (xs: { at: number; ms: number }[]): string => {
          const mine = xs.filter((x) => x.at >= cleared + i * 1000 && x.at < cleared + (i + 1) * 1000).map((x) => x.ms);
          return mine.length ? String(Math.max(...mine)) : "–";
        };
        return `+${i + 1} s lab ${inSecond(labLoop)}/server ${inSecond(loop)}`;
      }),
      notLive,
    },
    attacks,
    listenOverflows: ["warm-up", "faults", "recovery"].map((p, i, all) => {
      const [from, to] = [overflowsAt[p], overflowsAt[all[i + 1] ?? "end"]];
      return { phase: p, n: from === undefined || to === undefined ? NaN : to - from };
    }),
  };
}

/** The kernel's count of connections dropped because a listen queue was full (whole machine), if readable. */
function listenOverflows(): number | undefined {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8").split("\n").filter((l) => l.startsWith("TcpExt:"));
    const [names, values] = lines.map((l) => l.split(/\s+/));
    const i = names?.indexOf("ListenOverflows") ?? -1;
    return i > 0 ? Number(values?.[i]) : undefined;
  } catch {
    return undefined;
  }
}

const f = (x: number): string => (Number.isNaN(x) ? "–" : x >= 100 ? x.toFixed(0) : x.toFixed(1));

export function faultsTable(r: FaultsResult): string {
  const o = r.options;
  const lines = [
    `Lab: ${o.subscribers} subscribers; ${o.concurrency} callers (half GetDiagnosis over Connect/HTTP 1.1, half Search over gRPC), ${o.watches} WatchDiagnosis streams reopened as they end; warm-up ${o.warmupSeconds} s, faults ${o.faultSeconds} s; BREAKER_RESET_MS ${o.breakerResetMs}; Beholder accepting on ${r.acceptHandles} handle${r.acceptHandles === 1 ? "" : "s"} (SERVER_ACCEPT_HANDLES); live reads cut short on a busy loop by up to ${r.busyPercent}% of the ${f(r.budgetMs)} ms budget (DIAG_BUDGET_BUSY_PERCENT); initial inventory + status sync ${f(r.initialSyncMs / 1000)} s.`,
    `Faults: SmartOLT 30% HTTP 500 and 0–2 s delays on every call; ISPCube 30% 502, 50% 401 on customer lookups; router 1 silent, router 2 dropping mid-command. Attacks: ${r.attacks.join("; ")}.`,
    "",
    "| phase | call | n | p50 ms | p99 ms | max ms | codes |",
    "|---|---|---:|---:|---:|---:|---|",
    ...r.ops.map((s) => `| ${s.phase} | ${s.op} | ${s.latency.n} | ${f(s.latency.p50)} | ${f(s.latency.p99)} | ${f(s.maxMs)} | ${Object.entries(s.codes).map(([c, n]) => `${c} ${n}`).join(", ")} |`),
    "",
    `- internal/unknown answers: **${r.internalOrUnknown}**; crashes: **${r.crashes.length === 0 ? "none" : r.crashes.join("; ")}**`,
    `- the load's failed calls (phase call code: message (count)): ${Object.entries(r.errors).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, n]) => `${k} (${n})`).join("; ") || "none"}`,
    `- diagnoses over their budget + 10% (${Math.round(r.budgetMs * 1.1)} ms): by the server's own \`took\` **${r.overBudgetServer} of ${r.diagnoses}** (slowest ${f(r.maxTookMs)} ms); as the caller saw them (connecting and queueing included) ${r.overBudget}`,
    `- diagnoses over budget + 10% by their own took (first ${r.slow.length}, each source's freshness and live-read latency): ${r.slow.join("; ") || "none"}`,
    `- diagnoses by how many of their three sources were read live (phase: live sources → diagnoses, p50 of their own took): ${["warm-up", "faults"].map((p) => `${p}: ${r.liveSources.filter((x) => x.phase === p && x.n > 0).map((x) => `${x.live} → ${x.n}, ${f(x.tookP50)} ms`).join("; ")}`).join(" | ")}`,
    `- why a source was unavailable or fell back (phase, source: detail (diagnoses)): ${Object.entries(r.sourceProblems).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, n]) => `${k} (${n})`).join("; ") || "never"}`,
    `- server event loop, worst delay per second (median / max ms): ${r.loop.map((l) => `${l.phase} ${f(l.p50)} / ${f(l.max)}`).join("; ")}`,
    `- lab event loop (the vendors' simulators, one process), worst delay per second (median / max ms): ${r.labLoop.map((l) => `${l.phase} ${f(l.p50)} / ${f(l.max)}`).join("; ")}`,
    `- watches: ${r.watch.opened} opened, ${r.watch.messages} messages; ends: ${Object.entries(r.watch.ends).map(([c, n]) => `${c} ${n}`).join(", ")}`,
    `- inventory sync started over RunSync in the fault window: ${r.sync.outcome}; ${r.sync.sources}`,
    `- normal client (GET /health over a fresh connection every 250 ms, from 127.0.0.2 in its own process, 10 s timeout): ${r.probe.map((p) => `${p.phase} p50 ${f(p.latency.p50)} ms, p99 ${f(p.latency.p99)} ms, ${p.failures} failed`).join("; ")}`,
    `- handshakes dropped by the kernel for a full listen queue (whole machine, /proc/net/netstat ListenOverflows): ${r.listenOverflows.map((x) => `${x.phase} ${Number.isNaN(x.n) ? "–" : x.n}`).join(", ")}`,
    `- the normal client's failures: ${r.probeFailures.join("; ") || "none"}`,
    `- RSS (MB) over time: ${rssLine(r.rss)}`,
    `- breaker transitions (${r.breakers.length}): ${breakerLine(r.breakers)}`,
    `- recovery after the faults cleared (no load, no sync; each half-open breaker probes its vendor itself; one diagnosis every 0.5 s until the first LIVE one): every breaker closed after ${r.recovery.breakersClosedMs === null ? "not within the wait" : `${f(r.recovery.breakersClosedMs / 1000)} s (last: ${r.recovery.lastToClose})`}; first diagnosis with no source unavailable or fallen back after ${r.recovery.liveMs === null ? "not within the wait" : `${f(r.recovery.liveMs / 1000)} s`} (reset period ${o.breakerResetMs / 1000} s)`,
    `- breaker changes after the faults cleared (${r.recovery.transitions.length}): ${r.recovery.transitions.slice(0, 40).join("; ") || "none"}`,
    `- event loop, worst delay per second after the faults cleared (lab / Beholder, ms): ${r.recovery.loops.join(", ")}`,
    `- recovery diagnoses not LIVE yet (${r.recovery.notLive.length}): ${r.recovery.notLive.slice(0, 12).join("; ") || "none"}`,
  ];
  return lines.join("\n");
}

function rssLine(rss: { t: number; mb: number }[]): string {
  if (rss.length === 0) return "no samples";
  const step = Math.max(1, Math.floor(rss.length / 10));
  const points = rss.filter((_, i) => i % step === 0 || i === rss.length - 1).map((s) => `${Math.round(s.t / 1000)} s ${s.mb}`);
  const half = rss.slice(Math.floor(rss.length / 2));
  const q = Math.floor(half.length / 2);
  const mean = (xs: { mb: number }[]): number => xs.reduce((a, s) => a + s.mb, 0) / Math.max(1, xs.length);
  return `${points.join(", ")}; second half: first quarter mean ${f(mean(half.slice(0, q)))}, last quarter mean ${f(mean(half.slice(q)))}`;
}

function breakerLine(events: { t: number; breaker: string; state: string }[]): string {
  const by = new Map<string, string[]>();
  for (const e of events) by.set(e.breaker, [...(by.get(e.breaker) ?? []), `${e.state}@${Math.round(e.t / 1000)}s`]);
  return [...by].map(([b, xs]) => `${b}: ${xs.slice(0, 8).join(" → ")}${xs.length > 8 ? ` … (${xs.length})` : ""}`).join("; ") || "none";
}
