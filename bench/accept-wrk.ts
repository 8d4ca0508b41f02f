/**
 * What accepting on several handles (SERVER_ACCEPT_HANDLES, src/server/accept-fanout.ts) costs a server
 * that is not under attack: wrk calls the no-op RPC (grpc.health.v1 Health/Check, Connect JSON over
 * HTTP/1.1, with a valid key as the script sends one) on a new connection per call (`Connection: close`, where every accept wakes every handle)
 * and over kept-alive connections, against one server per handle count, alternating within each round
 * so every ratio compares figures of the same run.
 *   node --import tsx bench/accept-wrk.ts [--handles 1,32] [--rounds 3] [--duration 10] [--connections 16]
 * Needs wrk (Debian: apt-get install -y wrk).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { median } from "./stats.js";

const { values } = parseArgs({
  options: {
    handles: { type: "string", default: "1,32" },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
  },
});
const counts = values.handles.split(",").map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) throw new Error(`--handles: handle counts 1-256, not ${values.handles}`);

const dir = mkdtempSync(join(tmpdir(), "beholder-accept-"));
const bodies = join(dir, "noop.txt");
writeFileSync(bodies, "{}\n");
const KINDS = [
  { kind: "close", label: "new connection per call", headers: ["-H", "Connection: close"] },
  { kind: "keepalive", label: "kept-alive connections", headers: [] },
] as const;

const servers = await Promise.all(
  counts.map(async (handles) => {
    const db = join(dir, `h${handles}.db`);
    const child = spawn(process.execPath, ["--import", "tsx", "bench/search-wrk-server.ts", "--db", db, "--accept-handles", String(handles)], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((res, rej) => {
      lines.once("line", res);
      child.once("exit", (code) => rej(new Error(`the server with ${handles} handles exited with ${code}`)));
    });
    const cpu = async (): Promise<number> => {
      const next = new Promise<string>((res) => lines.once("line", res));
      child.stdin.write("cpu\n");
      return (JSON.parse(await next) as { cpuUs: number }).cpuUs;
    };
    return { handles, child, cpu, ...(JSON.parse(first) as { url: string; readKey: string }) };
  }),
);

interface Figures {
  rps: number;
  p99: number;
  errors: number;
  cpuPerCall: number;
}
const results = new Map<string, Figures[]>();
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const k of KINDS) {
      for (const s of servers) {
        const before = await s.cpu();
        const run = spawnSync(
          "wrk",
          ["-t1", `-c${values.connections}`, `-d${values.duration}s`, ...k.headers, "-s", "bench/search-wrk.lua", `${s.url}/grpc.health.v1.Health/Check`],
          { env: { ...process.env, BODIES: bodies, BEHOLDER_KEY: s.readKey }, encoding: "utf8" },
        );
        const json = /WRK (\{.*\})/.exec(run.stdout)?.[1];
        if (!json) throw new Error(`wrk gave no figures: ${run.stdout} ${run.stderr}`);
        const f = JSON.parse(json) as { requests: number; rps: number; p99: number; errors: number; non2xx: number };
        const cpuPerCall = ((await s.cpu()) - before) / Math.max(1, f.requests);
        const key = `${k.kind}/${s.handles}`;
        results.set(key, [...(results.get(key) ?? []), { rps: f.rps, p99: f.p99, errors: f.errors + f.non2xx, cpuPerCall }]);
        process.stderr.write(`round ${round + 1} ${k.kind}, ${s.handles} handle(s): ${json}, ${cpuPerCall.toFixed(1)} µs CPU per call\n`);
      }
    }
  }
} finally {
  for (const s of servers) s.child.stdin.end();
  await Promise.all(servers.map((s) => (s.child.exitCode === null ? new Promise((res) => s.child.once("exit", res)) : undefined)));
  rmSync(dir, { recursive: true, force: true });
}

const base = counts[0] as number;
process.stdout.write(
  `wrk -t1 -c${values.connections} -d${values.duration}s on the no-op RPC, ${values.rounds} rounds; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(" / ")}\n\n` +
    `| connections | handles | req/s (median, range) | p99 | server CPU per call (median) | CPU vs ${base} handle${base === 1 ? "" : "s"} (median of rounds) | errors |\n` +
    "|---|---:|---|---:|---:|---:|---:|\n",
);
for (const k of KINDS) {
  const baseline = results.get(`${k.kind}/${base}`) ?? [];
  for (const handles of counts) {
    const f = results.get(`${k.kind}/${handles}`) ?? [];
    const rps = f.map((x) => x.rps);
    const ratio = median(f.map((x, i) => x.cpuPerCall / (baseline[i]?.cpuPerCall ?? NaN)));
    process.stdout.write(
      `| ${k.label} | ${handles} | ${Math.round(median(rps))} (${Math.round(Math.min(...rps))}–${Math.round(Math.max(...rps))}) | ${median(f.map((x) => x.p99)).toFixed(2)} ms | ` +
        `${Math.round(median(f.map((x) => x.cpuPerCall)))} µs | ${ratio.toFixed(2)}× | ${f.reduce((n, x) => n + x.errors, 0)} |\n`,
    );
  }
}
