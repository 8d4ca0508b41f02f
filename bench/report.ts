/** Markdown sections for docs/BENCHMARKS.md, one per benchmark, between `<!-- bench:NAME -->` markers. */
import type { TimingBenchResult } from "./timing.bench.js";
import os from "node:os";
import type { SearchBenchResult } from "./search.bench.js";
import type { SyncBenchResult } from "./sync.bench.js";

export interface RunInfo {
  command: string;
  date: Date;
  /** os.loadavg() when the run started: the machine is shared. */
  loadAverage: number[];
}

/** The 100k inventory at rps=1000 (Beholder's own cost) must stay under these. */
export const SYNC_TARGETS = { wallMs: 60_000, peakRssMb: 400 };

export function machineLine(run: RunInfo): string {
  const cpus = os.cpus();
  return [
    `Machine: ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM,`,
    `${os.type()} ${os.release()}, Node ${process.version}; load average ${run.loadAverage.map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min) at the start.`,
    `Run ${run.date.toISOString().replace(/\.\d+Z$/, "Z")}:`,
    `\`${run.command}\`.`,
  ].join(" ");
}

export function section(name: string, body: string): string {
  return `<!-- bench:${name} -->\n${body.trim()}\n<!-- /bench:${name} -->`;
}

/** Replaces the section of that name in `doc`, or appends it. */
export function replaceSection(doc: string, name: string, block: string): string {
  const re = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  return re.test(doc) ? doc.replace(re, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const s1 = (x: number): string => (x / 1000).toFixed(1);
const pass = (ok: boolean): string => (ok ? "**pass**" : "**FAIL**");
const table = (head: string[], rows: (string | number)[][]): string =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

function callsPerSource(calls: SyncBenchResult["calls"], source: string): string {
  const byOp = calls[source] ?? {};
  const total = Object.values(byOp).reduce((n, x) => n + x, 0);
  if (source !== "routeros") return `${total} (${Object.entries(byOp).map(([op, n]) => `${op} ${n}`).join(", ")})`;
  const routers = new Set(Object.keys(byOp).map((k) => k.split(" ")[0]));
  return `${total} (${routers.size} routers × login + /ppp/secret/print)`;
}

export function countsMatch(r: SyncBenchResult): { ok: boolean; diff: string } {
  const keys = Object.keys(r.expected).filter((k) => k in r.counts);
  const wrong = keys.filter((k) => r.counts[k] !== r.expected[k]);
  return { ok: wrong.length === 0, diff: wrong.map((k) => `${k} ${r.counts[k]} ≠ ${r.expected[k]}`).join(", ") };
}

export function syncSection(results: SyncBenchResult[], run: RunInfo): string {
  const rows = results.map((r) => {
    const m = countsMatch(r);
    return [
      r.rps,
      r.subscribers.toLocaleString("en-US"),
      `${s1(r.wallMs)} s`,
      r.cpuMs === undefined ? "–" : `${s1(r.cpuMs)} s`,
      `${r.peakRssMb.toFixed(0)} MB (${r.baselineRssMb.toFixed(0)} before)`,
      r.loopMaxMs === undefined ? "–" : `${r.loopMaxMs.toFixed(0)} ms (p99 ${(r.loopP99Ms ?? 0).toFixed(0)})`,
      callsPerSource(r.calls, "smartolt"),
      callsPerSource(r.calls, "ispcube"),
      callsPerSource(r.calls, "routeros"),
      m.ok ? `yes (${Object.keys(r.expected).filter((k) => k in r.counts).map((k) => `${k} ${r.counts[k]}`).join(", ")})` : `**no**: ${m.diff}`,
      r.outcome,
    ];
  });
  const own = results.find((r) => r.rps >= 1000);
  const targets = own
    ? table(["target (rps=1000)", "measured", ""], [
      [`wall time < ${SYNC_TARGETS.wallMs / 1000} s`, `${s1(own.wallMs)} s`, pass(own.wallMs < SYNC_TARGETS.wallMs)],
      [`peak RSS < ${SYNC_TARGETS.peakRssMb} MB`, `${own.peakRssMb.toFixed(0)} MB`, pass(own.peakRssMb < SYNC_TARGETS.peakRssMb)],
      ["counts match the scenario", countsMatch(own).ok ? "yes" : "no", pass(countsMatch(own).ok)],
    ])
    : "";
  return section("sync", [
    "### Inventory sync: results",
    machineLine(run),
    table(["SmartOLT calls/s", "subscribers", "wall time", "CPU time", "peak RSS", "event loop held (max)", "SmartOLT calls", "ISPCube calls", "RouterOS calls", "counts match", "outcome"], rows),
    targets,
  ].join("\n\n"));
}

export function searchSection(r: SearchBenchResult, run: RunInfo): string {
  const o = r.options;
  const ip = r.inProcess;
  const inProcess = table(["approach", "p50", "p99", "mean", "calls"], [
    ["FTS5 (`searcher.search(q, 20, 0)`)", `${ms(ip.fts.p50)} ms`, `${ms(ip.fts.p99)} ms`, `${ms(ip.fts.mean)} ms`, ip.fts.n],
    ["old `LIKE '%q%'` scan", `${ms(ip.like.p50)} ms`, `${ms(ip.like.p99)} ms`, `${ms(ip.like.mean)} ms`, ip.like.n],
    ["old `LIKE '%q%'`, LIMIT 50 per table", `${ms(ip.likeLimited.p50)} ms`, `${ms(ip.likeLimited.p99)} ms`, `${ms(ip.likeLimited.mean)} ms`, ip.likeLimited.n],
  ]);
  const perQuery = table(["query", "kind", "FTS p50", "LIKE p50", "LIKE LIMIT 50 p50", "LIKE / FTS", "first page: FTS / LIKE"],
    ip.perQuery.map((q) => [`\`${q.query}\``, q.label, `${ms(q.ftsP50)} ms`, `${ms(q.likeP50)} ms`, `${ms(q.likeLimitedP50)} ms`,
      `${(q.likeP50 / q.ftsP50).toFixed(0)}×`, `${q.ftsHits} / ${q.likeHits}`]));
  const range = (x: [number, number], f: (v: number) => string): string => `${f(x[0])}–${f(x[1])}`;
  const http = table(["target", "protocol", "p50", "p99 (rounds)", `req/s at ${o.concurrency} in flight (rounds)`, "p50 / p99 under load", "server CPU", "errors"],
    r.http.map((h) => [h.label, h.protocol, `${ms(h.p50)} ms`, `${ms(h.p99)} ms (${range(h.p99Range, ms)})`,
      `${Math.round(h.rps)} (${range(h.rpsRange, (v) => String(Math.round(v)))})`, `${ms(h.loadedP50)} / ${ms(h.loadedP99)} ms`,
      `${h.serverCpuPct.toFixed(0)}%`, h.errors === 0 ? "0" : `${h.errors}: ${h.firstError ?? ""}`]));
  const rps = (k: string): number => r.http.find((h) => h.kind === k)?.rps ?? NaN;
  const ratios = table(["ratio (req/s)", "value"], [
    ["Search / Health, Connect JSON", `${((rps("json-search") / rps("json-health")) * 100).toFixed(0)}%`],
    ["Search / Health, gRPC", `${((rps("grpc-search") / rps("grpc-health")) * 100).toFixed(0)}%`],
    ["Health (Connect JSON) / bare node:http", `${((rps("json-health") / rps("json-bare")) * 100).toFixed(0)}%`],
    ["Search (Connect JSON) / bare node:http", `${((rps("json-search") / rps("json-bare")) * 100).toFixed(0)}%`],
  ]);
  const correctness = table(["query", "accents/case differ from stored", "FTS finds", "LIKE finds", "FTS only", "LIKE only"],
    r.correctness.map((c) => [`\`${c.query}\``, c.accentOrCase ? "yes" : "no", c.fts, c.like, c.ftsOnly, c.likeOnly]));
  const targets = table(["target", "measured", ""], r.targets.map((t) => [t.name, t.value, pass(t.pass)]));
  const rows = Object.entries(r.rows).map(([k, v]) => `${v.toLocaleString("en-US")} ${k}`).join(", ");
  const built = r.build.reused ? (o.builtBy ?? "reused from an earlier run (--db)") : `filled by one inventory sync from the lab at rps=1000 in ${s1(r.build.wallMs ?? 0)} s`;
  return section("search", [
    "### Search: results",
    machineLine(run),
    `Cache: ${rows}; ${built}. ${o.rounds} rounds; each figure is the median of the rounds' figures (p99 and req/s also show the rounds' range).`,
    "#### In process, over the query mix",
    `${o.ftsIterations} FTS and ${o.likeIterations} LIKE calls per query per round, every query in turn.`,
    inProcess,
    perQuery,
    "#### Over HTTP, real server on 127.0.0.1",
    `Sequential: ${o.latencyCount} calls after 50 unmeasured, cycling through the mix. Under load: ${o.concurrency} calls in flight, ` +
      `${o.warmupMs / 1000} s warm-up then ${o.durationMs / 1000} s measured. Health/Check skips auth and rate limiting; Search pays both.`,
    http,
    ratios,
    "#### Accents and case: every match, FTS vs LIKE",
    correctness,
    "#### Targets",
    targets,
  ].join("\n\n"));
}

export function timingSection(r: TimingBenchResult, run: RunInfo): string {
  const rows = table(["check", "measured", "baseline (same run)", "ratio", "target", ""],
    r.checks.map((c) => [c.name, `${ms(c.measured)} ms`, `${c.baselineName}: ${ms(c.baseline)} ms`, `${c.ratio.toFixed(2)}×`, `≤ ${c.target}×`, pass(c.ok)]));
  return section("timing", [
    "### Timing: the speed checks moved out of the tests",
    machineLine(run),
    `Median of ${r.rounds} rounds each. Tests assert what happens, never how fast (issue 7); these ratios are the speed targets.`,
    rows,
  ].join("\n\n"));
}
