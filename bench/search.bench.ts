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
import Database from "better-sqlite3";
import { pino } from "pino";
import { loadConfig } from "../src/config.js";
import { createAppContext } from "../src/context.js";
import { createLogger } from "../src/logger.js";
import type { Searcher } from "../src/cache/search.js";
import { openLikeSearch } from "./like-search.js";
import { measureHttp, type HttpOptions, type HttpRow } from "./search-http.js";
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

export interface MixQuery {
  label: string;
  query: string;
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

/** Row counts, and queries taken from the data itself so each one matches something real. */
function inspect(path: string): { rows: Record<string, number>; mix: MixQuery[]; correctnessQueries: [string, boolean][] } {
  const db = new Database(path, { readonly: true });
  try {
    const n = (t: string): number => (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
    const rows = { subscribers: n("subscriber"), customers: n("customer"), connections: n("connection"), onus: n("onu"), secrets: n("ppp_secret") };
    // Subscribers known to all three systems, with an 8-digit DNI (not a CUIT).
    const where = "in_ispcube = 1 and onu_serial is not null and mac is not null and length(doc_number) = 8";
    const complete = (db.prepare(`select count(*) as n from subscriber where ${where}`).get() as { n: number }).n;
    if (complete === 0) throw new Error("the cache holds no subscriber known to ISPCube, SmartOLT and RouterOS");
    const pick = (fraction: number): { pppoe_user: string; doc_number: string; onu_serial: string; mac: string } =>
      db.prepare(`select pppoe_user, doc_number, onu_serial, mac from subscriber where ${where} order by rowid limit 1 offset ?`)
        .get(Math.floor((complete - 1) * fraction)) as never;
    const a = pick(0.1);
    const b = pick(0.5);
    const c = pick(0.9);
    const dotted = (d: string): string => `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5)}`;
    const mix: MixQuery[] = [
      { label: "surname, accented", query: "Pérez" },
      { label: "surname, unaccented", query: "perez" },
      { label: "surname, as stored", query: "MUÑOZ" },
      { label: "surname + name", query: "gonzalez maria" },
      { label: "surname + name, accented", query: "Martínez Sofía" },
      { label: "DNI", query: a.doc_number },
      { label: "DNI with dots", query: dotted(b.doc_number) },
      { label: "serial prefix", query: c.onu_serial.slice(0, 8) },
      { label: "MAC", query: a.mac },
      { label: "PPPoE user", query: b.pppoe_user },
      { label: "street", query: "Sarmiento" },
      { label: "street, unaccented", query: "velez sarsfield" },
      { label: "3-letter prefix", query: "gon" },
      { label: "3-letter prefix", query: "mar" },
      { label: "3-letter prefix", query: "rod" },
    ];
    const correctnessQueries: [string, boolean][] = [
      ["perez", true], ["Pérez", true], ["PÉREZ", false], ["munoz", true], ["Muñoz", true], ["MUÑOZ", false],
      ["gonzalez", true], ["González", true], ["velez sarsfield", true], ["Vélez Sársfield", false],
      [dotted(b.doc_number), false], [b.doc_number, false],
    ];
    return { rows, mix, correctnessQueries };
  } finally {
    db.close();
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
