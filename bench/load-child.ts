/**
 * The load generator of the search benchmark, in its own process so the server under test keeps its
 * event loop (both still share the machine's cores). Reads one JSON job per line on stdin, answers
 * one JSON result per line on stdout. Every loop is bounded by a count and by a deadline.
 */
import { createInterface } from "node:readline";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SearchService } from "../gen/beholder/v1/search_pb.js";
import { Health } from "../gen/grpc/health/v1/health_pb.js";
import { summarize, type Latency } from "./stats.js";

export type TargetKind = "json-search" | "json-health" | "json-bare" | "grpc-search" | "grpc-health";

export interface LoadJob {
  id: number;
  kind: TargetKind;
  /** Base URL; the JSON kinds POST to `url + path`. */
  url: string;
  path: string;
  apiKey: string;
  queries: string[];
  mode: "latency" | "throughput";
  /** latency: sequential calls measured after `warmupCount` unmeasured ones. */
  count: number;
  warmupCount: number;
  /** throughput: `concurrency` loops for `warmupMs` unmeasured, then `durationMs` measured. */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Hard bound on the whole job. */
  maxMs: number;
}

export interface LoadResult {
  id: number;
  latency: Latency;
  completed: number;
  errors: number;
  firstError?: string;
  /** Completed calls per second over the measured window (throughput mode). */
  rps: number;
  elapsedMs: number;
}

const CALL_TIMEOUT_MS = 10_000;
const transports = new Map<string, Transport>();

function grpc(url: string): Transport {
  let t = transports.get(url);
  if (!t) transports.set(url, (t = createGrpcTransport({ baseUrl: url })));
  return t;
}

/** One call of the job's kind; resolves when the whole response has been read and checked. */
function caller(job: LoadJob): (query: string) => Promise<void> {
  const headers = { "x-api-key": job.apiKey };
  if (job.kind === "grpc-search") {
    const client: Client<typeof SearchService> = createClient(SearchService, grpc(job.url));
    return async (query) => {
      await client.search({ query, pageSize: 20 }, { headers, timeoutMs: CALL_TIMEOUT_MS });
    };
  }
  if (job.kind === "grpc-health") {
    const client: Client<typeof Health> = createClient(Health, grpc(job.url));
    return async () => {
      await client.check({ service: "" }, { timeoutMs: CALL_TIMEOUT_MS });
    };
  }
  const search = job.kind !== "json-health";
  return async (query) => {
    const res = await fetch(job.url + job.path, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: search ? JSON.stringify({ query, pageSize: 20 }) : "{}",
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const body: unknown = await res.json();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
  };
}

async function run(job: LoadJob): Promise<LoadResult> {
  const call = caller(job);
  const started = performance.now();
  const hardStop = started + job.maxMs;
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const one = async (measure: boolean): Promise<void> => {
    const q = job.queries[next++ % job.queries.length] as string;
    const t0 = performance.now();
    try {
      await call(q);
      if (measure) samples.push(performance.now() - t0);
    } catch (err) {
      if (!measure) return;
      errors++;
      firstError ??= err instanceof Error ? err.message : String(err);
    }
  };

  if (job.mode === "latency") {
    for (let i = 0; i < job.warmupCount && performance.now() < hardStop; i++) await one(false);
    for (let i = 0; i < job.count && performance.now() < hardStop; i++) await one(true);
    return { id: job.id, latency: summarize(samples), completed: samples.length, errors, ...(firstError ? { firstError } : {}), rps: 0, elapsedMs: performance.now() - started };
  }

  const warmEnd = Math.min(started + job.warmupMs, hardStop);
  const end = Math.min(warmEnd + job.durationMs, hardStop);
  const loop = async (): Promise<void> => {
    for (let now = performance.now(); now < end; now = performance.now()) {
      await one(now >= warmEnd);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  const window = (performance.now() - warmEnd) / 1000;
  return {
    id: job.id,
    latency: summarize(samples),
    completed: samples.length,
    errors,
    ...(firstError ? { firstError } : {}),
    rps: samples.length / window,
    elapsedMs: performance.now() - started,
  };
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "") continue;
  const job = JSON.parse(line) as LoadJob;
  process.stdout.write(`${JSON.stringify(await run(job))}\n`);
}
