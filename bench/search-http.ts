/**
 * The HTTP half of the search benchmark: Search through the real server over Connect JSON (HTTP/1.1)
 * and gRPC (h2c), next to two baselines measured in the same rounds — grpc.health.v1 Health/Check on
 * the same server stack (router, adapter, interceptors; it skips auth and rate limiting by design),
 * and a bare node:http server answering a fixed body of the same size (the machine's ceiling).
 */
import { spawn } from "node:child_process";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import type { AppContext } from "../src/context.js";
import { createServer } from "../src/server/server.js";
import type { LoadJob, LoadResult, TargetKind } from "./load-child.js";
import { median } from "./stats.js";

export interface HttpOptions {
  rounds: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  latencyCount: number;
}

export interface HttpRow {
  kind: TargetKind;
  label: string;
  protocol: string;
  /** Median over rounds of each round's figure; `*Range` is [min, max] over rounds. */
  p50: number;
  p99: number;
  p99Range: [number, number];
  rps: number;
  rpsRange: [number, number];
  /** p50 and p99 of the calls made under concurrency. */
  loadedP50: number;
  loadedP99: number;
  /** CPU of the server process (user + system) during the throughput window, % of one core. */
  serverCpuPct: number;
  errors: number;
  firstError?: string;
}

const TARGETS: { kind: TargetKind; label: string; protocol: string; path: string }[] = [
  { kind: "json-bare", label: "bare node:http, fixed body", protocol: "JSON over HTTP/1.1", path: "/" },
  { kind: "json-health", label: "Health/Check (no-op RPC)", protocol: "Connect JSON, HTTP/1.1", path: "/grpc.health.v1.Health/Check" },
  { kind: "json-search", label: "SearchService/Search", protocol: "Connect JSON, HTTP/1.1", path: "/beholder.v1.SearchService/Search" },
  { kind: "grpc-health", label: "Health/Check (no-op RPC)", protocol: "gRPC, h2c", path: "" },
  { kind: "grpc-search", label: "SearchService/Search", protocol: "gRPC, h2c", path: "" },
];

export async function measureHttp(app: AppContext, queries: string[], opts: HttpOptions): Promise<HttpRow[]> {
  const server = createServer(app);
  const { url } = await server.listen(0, "127.0.0.1");
  const created = await app.keys.create(`bench-read-${Date.now()}`, ["read"]);
  // The bare server answers what Search answers for the first query, byte for byte.
  const sample = await fetch(`${url}/beholder.v1.SearchService/Search`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": created.key },
    body: JSON.stringify({ query: queries[0], pageSize: 20 }),
  });
  if (sample.status !== 200) throw new Error(`search answered ${sample.status}: ${await sample.text()}`);
  const fixed = Buffer.from(await sample.arrayBuffer());
  const bare = http.createServer((req, res) => {
    req.resume();
    req.once("end", () => res.writeHead(200, { "content-type": "application/json", "content-length": fixed.length }).end(fixed));
  });
  bare.listen(0, "127.0.0.1");
  await once(bare, "listening");
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const child = startLoadChild();
  try {
    const perRound = new Map<TargetKind, { latency: LoadResult; load: LoadResult; cpuPct: number }[]>();
    let id = 0;
    for (let round = 0; round < opts.rounds; round++) {
      for (const t of TARGETS) {
        const base = { kind: t.kind, url: t.kind === "json-bare" ? bareUrl : url, path: t.path, apiKey: created.key, queries };
        const latency = await child.run({
          ...base, id: id++, mode: "latency", count: opts.latencyCount, warmupCount: 50,
          concurrency: 1, warmupMs: 0, durationMs: 0, maxMs: 60_000,
        });
        const cpu = process.cpuUsage();
        const load = await child.run({
          ...base, id: id++, mode: "throughput", count: 0, warmupCount: 0,
          concurrency: opts.concurrency, warmupMs: opts.warmupMs, durationMs: opts.durationMs, maxMs: opts.warmupMs + opts.durationMs + 15_000,
        });
        const used = process.cpuUsage(cpu);
        const cpuPct = ((used.user + used.system) / 1000 / load.elapsedMs) * 100;
        perRound.set(t.kind, [...(perRound.get(t.kind) ?? []), { latency, load, cpuPct }]);
      }
    }
    return TARGETS.map((t) => {
      const rs = perRound.get(t.kind) ?? [];
      const p99s = rs.map((r) => r.latency.latency.p99);
      const rpss = rs.map((r) => r.load.rps);
      const firstError = rs.map((r) => r.latency.firstError ?? r.load.firstError).find(Boolean);
      return {
        kind: t.kind,
        label: t.label,
        protocol: t.protocol,
        p50: median(rs.map((r) => r.latency.latency.p50)),
        p99: median(p99s),
        p99Range: [Math.min(...p99s), Math.max(...p99s)],
        rps: median(rpss),
        rpsRange: [Math.min(...rpss), Math.max(...rpss)],
        loadedP50: median(rs.map((r) => r.load.latency.p50)),
        loadedP99: median(rs.map((r) => r.load.latency.p99)),
        serverCpuPct: median(rs.map((r) => r.cpuPct)),
        errors: rs.reduce((n, r) => n + r.latency.errors + r.load.errors, 0),
        ...(firstError ? { firstError } : {}),
      };
    });
  } finally {
    child.close();
    bare.closeAllConnections();
    bare.close();
    await app.keys.revoke(created.name);
    await server.close();
  }
}

interface LoadChild {
  run(job: LoadJob): Promise<LoadResult>;
  close(): void;
}

function startLoadChild(): LoadChild {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/load-child.ts"], { stdio: ["pipe", "pipe", "inherit"] });
  const waiting = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  createInterface({ input: child.stdout }).on("line", (line) => {
    const result = JSON.parse(line) as LoadResult;
    waiting.get(result.id)?.resolve(result);
    waiting.delete(result.id);
  });
  child.once("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load generator exited with ${code}`));
    waiting.clear();
  });
  return {
    run(job) {
      return new Promise((resolve, reject) => {
        waiting.set(job.id, { resolve, reject });
        child.stdin.write(`${JSON.stringify(job)}\n`);
      });
    },
    close: () => void child.kill("SIGTERM"),
  };
}
