/**
 * Search over a 100,000-subscriber cache: in-process FTS next to the old `LIKE '%q%'` scan, then over
 * HTTP (Connect JSON and gRPC) next to a no-op RPC and a bare node:http server, and how many results
 * accented or mixed-case queries find with each approach. Every baseline runs in the same process and
 * the same rounds as what it is compared with.
 *   npm run bench -- search [--subscribers N] [--rounds N] [--db PATH]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../src/config.js";
import { createAppContext } from "../src/context.js";
import { createLogger } from "../src/logger.js";
import type { Searcher } from "../src/cache/search.js";
import { openLikeSearch } from "./like-search.js";
import { measureHttp, type HttpOptions, type HttpRow } from "./search-http.js";
import { inspect, type MixQuery } from "./search-mix.js";
import { benchSync } from "./sync.bench.js";
import { median, summarize, type Latency } from "./stats.js";

export interface SearchBenchOptions extends HttpOptions {
  subscribers: number;
  /** In-process calls per query per round, for FTS and for the LIKE scan. */
  ftsIterations: number;
  likeIterations: number;
  /** Reuse the cache at this path if it exists, else build it there and keep it. */
  dbPath?: string;
  /** Where a reused cache came from, for the report. */
  builtBy?: string;
}


export interface InProcessRow extends MixQuery {
  /** Median over rounds of the per-round p50, in ms. */
  ftsP50: number;
  likeP50: number;
  likeLimitedP50: number;
  ftsHits: number;
  likeHits: number;
}

export interface CorrectnessRow {
  query: string;
  /** Accents or case differ from how the data is stored. */
  accentOrCase: boolean;
  fts: number;
  like: number;
  /** Found by FTS and missed by LIKE, and the reverse. */
  ftsOnly: number;
  likeOnly: number;
}

export interface SearchBenchResult {
  options: SearchBenchOptions;
  rows: Record<string, number>;
  build: { reused: boolean; wallMs?: number; outcome?: string };
  inProcess: { fts: Latency; like: Latency; likeLimited: Latency; perQuery: InProcessRow[] };
  http: HttpRow[];
  correctness: CorrectnessRow[];
  targets: { name: string; value: string; pass: boolean }[];
}

const LIKE_LIMIT = 50;

export async function benchSearch(options: SearchBenchOptions): Promise<SearchBenchResult> {
  const tmp = options.dbPath ? undefined : mkdtempSync(join(tmpdir(), "beholder-search-"));
  const path = options.dbPath ?? join(tmp as string, "bench.db");
  try {
    const build: SearchBenchResult["build"] = { reused: existsSync(path) };
    if (!build.reused) {
      const sync = await benchSync(options.subscribers, 1000, { keepDbAt: path });
      Object.assign(build, { wallMs: sync.wallMs, outcome: sync.outcome });
      if (!sync.outcome.startsWith("done")) throw new Error(`the inventory sync that fills the cache failed: ${sync.outcome}`);
    }
    const { rows, mix, correctnessQueries } = inspect(path);
    const config = loadConfig({ DB_PATH: path, PORT: "0", SYNC_SCHEDULE: "off", LOG_LEVEL: "info", RATE_LIMIT_READ_PER_MIN: "1000000000" });
    // Production's logger and level (one line per RPC), written to /dev/null instead of journald.
    const logger = createLogger(config.log, pino.destination({ dest: "/dev/null", sync: true }));
    const app = await createAppContext(config, { logger });
    try {
      const inProcess = measureInProcess(app.cache.searcher, path, mix, options);
      const correctness = compare(app.cache.searcher, path, correctnessQueries);
      const http = await measureHttp(app, mix.map((m) => m.query), options);
      return { options, rows, build, inProcess, http, correctness, targets: judge(http, correctness) };
    } finally {
      await app.close();
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

/** Each round calls every query in turn, `iterations` times, within a time bound. */
function timeMix(call: (q: string) => number, mix: MixQuery[], iterations: number, maxMs: number): { all: number[]; per: number[][] } {
  const per = mix.map(() => [] as number[]);
  const all: number[] = [];
  const deadline = performance.now() + maxMs;
  for (let i = 0; i < iterations && performance.now() < deadline; i++) {
    mix.forEach((m, j) => {
      const t0 = performance.now();
      call(m.query);
      const dt = performance.now() - t0;
      per[j]?.push(dt);
      all.push(dt);
    });
  }
  return { all, per };
}

function measureInProcess(searcher: Searcher, path: string, mix: MixQuery[], o: SearchBenchOptions): SearchBenchResult["inProcess"] {
  const like = openLikeSearch(path);
  const likeLimited = openLikeSearch(path, LIKE_LIMIT);
  try {
    const rounds = Array.from({ length: o.rounds }, () => ({
      fts: timeMix((q) => searcher.search(q, 20, 0).length, mix, o.ftsIterations, 60_000),
      like: timeMix((q) => like.users(q).slice(0, 20).length, mix, o.likeIterations, 60_000),
      likeLimited: timeMix((q) => likeLimited.users(q).slice(0, 20).length, mix, o.likeIterations, 60_000),
    }));
    const overall = (k: "fts" | "like" | "likeLimited"): Latency => {
      const s = rounds.map((r) => summarize(r[k].all));
      return { n: s.reduce((n, x) => n + x.n, 0), p50: median(s.map((x) => x.p50)), p99: median(s.map((x) => x.p99)), mean: median(s.map((x) => x.mean)) };
    };
    const p50 = (k: "fts" | "like" | "likeLimited", j: number): number => median(rounds.map((r) => summarize(r[k].per[j] ?? []).p50));
    return {
      fts: overall("fts"),
      like: overall("like"),
      likeLimited: overall("likeLimited"),
      perQuery: mix.map((m, j) => ({
        ...m,
        ftsP50: p50("fts", j),
        likeP50: p50("like", j),
        likeLimitedP50: p50("likeLimited", j),
        ftsHits: searcher.search(m.query, 20, 0).length,
        likeHits: Math.min(20, like.users(m.query).length),
      })),
    };
  } finally {
    like.close();
    likeLimited.close();
  }
}

/** Every match of each approach, not a page: `search` with a limit above the table size. */
function compare(searcher: Searcher, path: string, queries: [string, boolean][]): CorrectnessRow[] {
  const like = openLikeSearch(path);
  try {
    return queries.map(([query, accentOrCase]) => {
      const fts = new Set(searcher.search(query, 10_000_000, 0).map((h) => h.pppoeUser));
      const old = new Set(like.users(query));
      return {
        query,
        accentOrCase,
        fts: fts.size,
        like: old.size,
        ftsOnly: [...fts].filter((u) => !old.has(u)).length,
        likeOnly: [...old].filter((u) => !fts.has(u)).length,
      };
    });
  } finally {
    like.close();
  }
}

function judge(http: HttpRow[], correctness: CorrectnessRow[]): SearchBenchResult["targets"] {
  const row = (kind: HttpRow["kind"]): HttpRow => http.find((r) => r.kind === kind) as HttpRow;
  const out: SearchBenchResult["targets"] = [];
  for (const [proto, search, noop] of [["Connect JSON", "json-search", "json-health"], ["gRPC", "grpc-search", "grpc-health"]] as const) {
    const s = row(search);
    const h = row(noop);
    out.push({ name: `Search p99 < 5 ms over HTTP (${proto}, sequential)`, value: `${s.p99.toFixed(2)} ms`, pass: s.p99 < 5 && s.errors === 0 });
    const ratio = s.rps / h.rps;
    out.push({ name: `Search throughput ≥ 50% of the no-op RPC (${proto})`, value: `${Math.round(s.rps)} / ${Math.round(h.rps)} req/s = ${(ratio * 100).toFixed(0)}%`, pass: ratio >= 0.5 });
  }
  const accented = correctness.filter((c) => c.accentOrCase);
  const found = accented.reduce((n, c) => n + c.ftsOnly, 0);
  const missed = accented.filter((c) => c.fts < c.like);
  out.push({
    name: "Accented / mixed-case queries find what LIKE misses",
    value: `${found} matches LIKE missed over ${accented.length} queries; FTS found fewer on ${missed.length}`,
    pass: found > 0 && missed.length === 0,
  });
  return out;
}
