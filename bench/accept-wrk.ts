/**
 * Accepting on several handles (SERVER_ACCEPT_HANDLES, src/server/accept-fanout.ts), one server per
 * handle count, alternating within each round so every comparison is of the same run:
 * - what it costs a server that is not under attack: wrk calls the no-op RPC (grpc.health.v1
 *   Health/Check, Connect JSON over HTTP/1.1, with a valid key as the script sends one) on a new
 *   connection per call (`Connection: close`, where every accept wakes every handle) and over
 *   kept-alive connections;
 * - what it buys: while wrk keeps the server saturated (`--busy-connections` callers with no pause,
 *   so each loop turn serves that many calls), 5,000 sockets from 50 addresses connect at once and send
 *   half a request line (a slowloris burst), and the normal client (bench/attack-probe.ts, its own
 *   process, a fresh connection every 250 ms, 10 s timeout) times GET /health for `--burst-seconds`.
 *   node --import tsx bench/accept-wrk.ts [--handles 1,32,256] [--rounds 3] [--duration 10] [--connections 16]
 *     [--busy-connections 128] [--burst 5000] [--burst-seconds 15]
 * Needs wrk (Debian: apt-get install -y wrk).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { median, percentile } from "./stats.js";

const { values } = parseArgs({
  options: {
    handles: { type: "string", default: "1,32,256" },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    "busy-connections": { type: "string", default: "128" },
    burst: { type: "string", default: "5000" },
    "burst-seconds": { type: "string", default: "15" },
  },
});
const counts = values.handles.split(",").map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 1024)) throw new Error(`--handles: handle counts 1-1024, not ${values.handles}`);

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

interface Burst {
  /** Each probe's time to its answer (ms), or null when it failed. */
  probes: (number | null)[];
  failures: string[];
  /** Calls wrk completed meanwhile, per second. */
  busyRps: number;
}
const bursts = new Map<number, Burst[]>();

/** Resolves once the child has exited. */
function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

async function burstWhileBusy(url: string, key: string): Promise<Burst> {
  const seconds = Number(values["burst-seconds"]);
  const { port } = new URL(url);
  // The prober starts first: loading it on a saturated machine would take seconds of the window.
  const prober = spawn(process.execPath, ["--import", "tsx", "bench/attack-probe.ts", "--port", port, "--interval-ms", "250", "--timeout-ms", "10000", "--stream"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const probes: (number | null)[] = [];
  const failures: string[] = [];
  let counting = false;
  const lines = createInterface({ input: prober.stdout! });
  await new Promise<void>((resolve) =>
    lines.on("line", (line) => {
      if (line === "ready") return resolve();
      const p = JSON.parse(line) as { ms: number; ok: boolean; why?: string };
      if (!counting) return;
      probes.push(p.ok ? p.ms : null);
      if (!p.ok) failures.push(`${p.why} after ${Math.round(p.ms)} ms`);
    }),
  );
  const wrk = spawn("wrk", ["-t1", `-c${values["busy-connections"]}`, `-d${seconds + 4}s`, "-s", "bench/search-wrk.lua", `${url}/grpc.health.v1.Health/Check`], {
    env: { ...process.env, BODIES: bodies, BEHOLDER_KEY: key },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let wrkOut = "";
  wrk.stdout?.on("data", (d: Buffer) => (wrkOut += d.toString()));
  await new Promise((r) => setTimeout(r, 2000));
  const sockets: net.Socket[] = [];
  for (let i = 0; i < Number(values.burst); i++) {
    const socket = net.connect({ port: Number(port), host: "127.0.0.1", localAddress: `127.0.2.${1 + Math.floor(i / 100)}` });
    socket.on("error", () => undefined);
    socket.resume();
    socket.once("connect", () => socket.write("GET /health HTTP/1.1\r\nHost: beholder\r\n"));
    sockets.push(socket);
  }
  // Probes that end from here on count (one that began just before the burst too).
  counting = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  prober.stdin?.end();
  await exited(prober);
  for (const socket of sockets) socket.destroy();
  await exited(wrk);
  const rps = /"rps":([\d.]+)/.exec(wrkOut)?.[1];
  return { probes, failures, busyRps: Number(rps ?? NaN) };
}
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    // The order flips every round, so no handle count always runs first (JIT warm-up, page cache).
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const k of KINDS) {
      for (const s of order) {
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
    for (const s of order) {
      const b = await burstWhileBusy(s.url, s.readKey);
      bursts.set(s.handles, [...(bursts.get(s.handles) ?? []), b]);
      process.stderr.write(`round ${round + 1} burst, ${s.handles} handle(s): ${JSON.stringify({ ...b, probes: b.probes.length })}\n`);
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

process.stdout.write(
  `\nA burst of ${values.burst} connections while ${values["busy-connections"]} wrk callers keep the server busy; the normal client's GET /health over a fresh connection every 250 ms for ${values["burst-seconds"]} s (10 s timeout), all rounds pooled:\n\n` +
    "| handles | probes | failed | p50 | p90 | max (answered) | wrk calls/s meanwhile (median) | failures |\n|---:|---:|---:|---:|---:|---:|---:|---|\n",
);
for (const handles of counts) {
  const b = bursts.get(handles) ?? [];
  const answered = b.flatMap((x) => x.probes.filter((p): p is number => p !== null)).sort((x, y) => x - y);
  const probes = b.reduce((n, x) => n + x.probes.length, 0);
  const failures = b.flatMap((x) => x.failures);
  process.stdout.write(
    `| ${handles} | ${probes} | ${failures.length} | ${Math.round(percentile(answered, 50))} ms | ${Math.round(percentile(answered, 90))} ms | ${Math.round(answered.at(-1) ?? NaN)} ms | ` +
      `${Math.round(median(b.map((x) => x.busyRps)))} | ${failures.join("; ") || "none"} |\n`,
  );
}
