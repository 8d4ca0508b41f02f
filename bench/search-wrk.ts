/**
 * Search throughput measured by wrk, an external load generator (a Node client on 2 cores is itself
 * the bottleneck): for each target (a checkout and a cache), the no-op RPC (grpc.health.v1
 * Health/Check, no key), a keyed search that finds nothing, and the query mix (bench/search-mix.ts),
 * over Connect JSON on HTTP/1.1. Targets and kinds alternate within each round, so every ratio
 * compares figures of the same run.
 *   node --import tsx bench/search-wrk.ts --target before=/path/to/old/checkout:/tmp/before.db \
 *     --target after=.:/tmp/after.db [--rounds 3] [--duration 10] [--connections 8]
 * Needs wrk (Debian: apt-get install -y wrk).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { inspect } from "./search-mix.js";
import { median } from "./stats.js";

interface Figures {
  /** Server CPU (user + system) per request, in µs: less sensitive than req/s to what else runs. */
  cpuPerRequest: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const KINDS = [
  { kind: "noop", label: "Health/Check (no-op RPC)", path: "/grpc.health.v1.Health/Check" },
  { kind: "empty", label: "Search, keyed, empty result", path: "/beholder.v1.SearchService/Search" },
  { kind: "mix", label: "Search, query mix", path: "/beholder.v1.SearchService/Search" },
] as const;

const { values } = parseArgs({
  options: {
    target: { type: "string", multiple: true },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "8" },
  },
});
const targets = (values.target ?? []).map((t) => {
  const m = /^([^=]+)=([^:]+):(.+)$/.exec(t);
  if (!m) throw new Error(`--target NAME=ROOT:DB, not ${t}`);
  return { name: m[1] as string, root: m[2] as string, db: m[3] as string };
});
if (targets.length === 0) throw new Error("at least one --target NAME=ROOT:DB");

const dir = mkdtempSync(join(tmpdir(), "beholder-wrk-"));
const { mix } = inspect(targets[0]?.db as string);
const files = {
  noop: join(dir, "noop.txt"),
  empty: join(dir, "empty.txt"),
  mix: join(dir, "mix.txt"),
};
writeFileSync(files.noop, "{}\n");
writeFileSync(files.empty, `${JSON.stringify({ query: "qqqzzzxxx", pageSize: 20 })}\n`);
writeFileSync(files.mix, mix.map((m) => JSON.stringify({ query: m.query, pageSize: 20 })).join("\n") + "\n");

const servers = await Promise.all(
  targets.map(async (t) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/search-wrk-server.ts", "--root", t.root, "--db", t.db], { stdio: ["pipe", "pipe", "inherit"] });
    const line = await new Promise<string>((res, rej) => {
      const first = createInterface({ input: child.stdout });
      first.once("line", (l) => {
        first.close();
        res(l);
      });
      child.once("exit", (code) => rej(new Error(`${t.name} server exited with ${code}`)));
    });
    const lines = createInterface({ input: child.stdout });
    const cpu = async (): Promise<number> => {
      const next = new Promise<string>((res) => lines.once("line", res));
      child.stdin.write("cpu\n");
      return (JSON.parse(await next) as { cpuUs: number }).cpuUs;
    };
    return { ...t, child, cpu, ...(JSON.parse(line) as { url: string; readKey: string }) };
  }),
);

const results = new Map<string, Figures[]>();
try {
  const rounds = Number(values.rounds);
  for (let round = 0; round < rounds; round++) {
    for (const s of servers) {
      for (const k of KINDS) {
        const cpuBefore = await s.cpu();
        const run = spawnSync("wrk", ["-t1", `-c${values.connections}`, `-d${values.duration}s`, "-s", "bench/search-wrk.lua", `${s.url}${k.path}`], {
          env: { ...process.env, BODIES: files[k.kind], BEHOLDER_KEY: s.readKey },
          encoding: "utf8",
        });
        const json = /WRK (\{.*\})/.exec(run.stdout)?.[1];
        if (!json) throw new Error(`wrk gave no figures: ${run.stdout} ${run.stderr}`);
        const key = `${s.name}/${k.kind}`;
        const figures = JSON.parse(json) as Omit<Figures, "cpuPerRequest">;
        const cpuPerRequest = ((await s.cpu()) - cpuBefore) / Math.max(1, figures.requests);
        results.set(key, [...(results.get(key) ?? []), { ...figures, cpuPerRequest }]);
        process.stderr.write(`round ${round + 1} ${key}: ${json}\n`);
      }
    }
  }
} finally {
  for (const s of servers) s.child.stdin?.end();
  rmSync(dir, { recursive: true, force: true });
}

const load = (await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" / ");
process.stdout.write(`wrk -t1 -c${values.connections} -d${values.duration}s, ${values.rounds} rounds, ${mix.length} queries in the mix; load average at the end ${load}\n\n`);
process.stdout.write(
  "| target | call | req/s (median, rounds) | p50 | p99 | req/s vs no-op (median of rounds) | server CPU per call | CPU vs no-op | errors / non-2xx |\n" +
    "|---|---|---|---|---|---|---|---|---|\n",
);
for (const s of servers) {
  const noop = results.get(`${s.name}/noop`) ?? [];
  for (const k of KINDS) {
    const f = results.get(`${s.name}/${k.kind}`) ?? [];
    const rps = f.map((x) => x.rps);
    const ratio = median(f.map((x, i) => x.rps / (noop[i]?.rps ?? NaN)));
    const cpu = median(f.map((x) => x.cpuPerRequest));
    const cpuRatio = median(f.map((x, i) => x.cpuPerRequest / (noop[i]?.cpuPerRequest ?? NaN)));
    process.stdout.write(
      `| ${s.name} | ${k.label} | ${Math.round(median(rps))} (${Math.round(Math.min(...rps))}–${Math.round(Math.max(...rps))}) | ` +
        `${median(f.map((x) => x.p50)).toFixed(2)} ms | ${median(f.map((x) => x.p99)).toFixed(2)} ms | ${(ratio * 100).toFixed(0)}% | ${Math.round(cpu)} µs | ${cpuRatio.toFixed(2)}× | ` +
        `${f.reduce((n, x) => n + x.errors, 0)} / ${f.reduce((n, x) => n + x.non2xx, 0)} |\n`,
    );
  }
}
