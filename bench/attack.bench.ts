/**
 * `npm run bench -- attack`: the transport attacks of issue 11 at full scale against a Beholder in
 * its own process (bench/attack-server.ts), with a normal client probing GET /health from another
 * loopback address all along. `--before /work/main` runs the same against another checkout first.
 * Every loop is bounded by a count and a deadline; everything is on loopback.
 */
import { execPath } from "node:process";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";
import { connectRawH2, grpcRequest, type RawH2 } from "../test/helpers/raw-h2.js";
import { summarize, type Latency } from "./stats.js";

export interface AttackOptions {
  root: string;
  slowlorisSockets: number;
  floodStreams: number;
  watches: number;
  resetRounds: number;
  resetsPerRound: number;
  holdMs: number;
}

export interface ScenarioResult {
  name: string;
  attack: string;
  probes: Latency;
  probeMaxMs: number;
  probeFailures: number;
  rssPeakMb: number;
  fdsPeak: number;
  note: string;
}

interface Child {
  port: number;
  readKey: string;
  samples: { rss: number; fds: number }[];
  proc: ChildProcess;
}

async function startChild(root: string): Promise<Child> {
  const proc = spawn(execPath, ["--import", "tsx", "bench/attack-server.ts", "--root", root], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout! });
  const samples: { rss: number; fds: number }[] = [];
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`attack server exited (${code})`)));
    lines.on("line", (line) => {
      const msg = JSON.parse(line) as { port?: number; readKey?: string; rss?: number; fds?: number };
      if (msg.port !== undefined) resolve({ port: msg.port, readKey: msg.readKey ?? "", samples, proc });
      else samples.push({ rss: msg.rss ?? 0, fds: msg.fds ?? 0 });
    });
  });
}

/** The normal client, in its own process (bench/attack-probe.ts). */
async function probe(port: number): Promise<{ stop(): Promise<{ latencies: number[]; failures: number }> }> {
  const proc = spawn(execPath, ["--import", "tsx", "bench/attack-probe.ts", "--port", String(port)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  proc.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    if (out.startsWith("ready\n")) onReady();
  });
  const exited = new Promise((r) => proc.once("exit", r));
  await ready;
  return {
    async stop() {
      proc.stdin?.end();
      await exited;
      return JSON.parse(out.slice("ready\n".length).trim()) as { latencies: number[]; failures: number };
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measure(child: Child, name: string, attack: string, run: () => Promise<string>): Promise<ScenarioResult> {
  const from = child.samples.length;
  const p = await probe(child.port);
  const note = await run();
  await sleep(500);
  const { latencies, failures } = await p.stop();
  const window = child.samples.slice(from);
  return {
    name,
    attack,
    probes: summarize(latencies),
    probeMaxMs: Math.max(0, ...latencies),
    probeFailures: failures,
    rssPeakMb: Math.round(Math.max(0, ...window.map((s) => s.rss)) / 2 ** 20),
    fdsPeak: Math.max(0, ...window.map((s) => s.fds)),
    note,
  };
}

function socketFrom(port: number, localAddress: string, first: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: "127.0.0.1", localAddress });
    s.on("error", () => resolve(undefined));
    s.resume();
    s.once("connect", () => {
      s.write(first);
      resolve(s);
    });
  });
}

async function slowloris(child: Child, o: AttackOptions): Promise<string> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < o.slowlorisSockets; i += 250) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(250, o.slowlorisSockets - i) }, (_, j) =>
        socketFrom(child.port, `127.0.1.${1 + Math.floor((i + j) / 100)}`, "GET /health HTTP/1.1\r\nHost: beholder\r\n"),
      ),
    );
    for (const s of batch) if (s) sockets.push(s);
  }
  const held = (): number => sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
  const atStart = held();
  await sleep(o.holdMs);
  const after = held();
  for (const s of sockets) s.destroy();
  return `${o.slowlorisSockets} sockets from ${Math.ceil(o.slowlorisSockets / 100)} addresses; ${atStart} open after connecting, ${after} still open after ${o.holdMs / 1000} s`;
}

async function streamFlood(child: Child, o: AttackOptions): Promise<string> {
  const raw = await connectRawH2(child.port, "127.0.0.1", "127.0.2.1");
  await Promise.race([raw.settings, raw.closed]);
  const fields = grpcRequest("/beholder.v1.SearchService/Search", `127.0.0.1:${child.port}`);
  let sent = 0;
  for (; sent < o.floodStreams && !raw.socket.destroyed; sent++) {
    raw.headers(1 + 2 * sent, fields, false);
    if (sent % 500 === 499) await sleep(10);
  }
  const closed = await Promise.race([raw.closed.then(() => true), sleep(o.holdMs).then(() => false)]);
  raw.socket.destroy();
  return `${sent} streams without a key and never finished, one connection; ${closed ? "the server closed the connection" : `still open after ${o.holdMs / 1000} s`}`;
}

async function watchFlood(child: Child, o: AttackOptions): Promise<string> {
  const perConnection = 1000;
  const conns: RawH2[] = [];
  const fields = grpcRequest("/grpc.health.v1.Health/Watch", `127.0.0.1:${child.port}`);
  const empty = new Uint8Array(5);
  for (let c = 0; c * perConnection < o.watches; c++) {
    const raw = await connectRawH2(child.port, "127.0.0.1", `127.0.3.${1 + (c % 200)}`).catch(() => undefined);
    if (!raw) continue;
    conns.push(raw);
    // A server too busy to answer SETTINGS within the hold time gets the streams anyway.
    await Promise.race([raw.settings, raw.closed, sleep(o.holdMs)]);
    for (let i = 0; i < perConnection && c * perConnection + i < o.watches; i++) {
      raw.headers(1 + 2 * i, fields, false);
      raw.data(1 + 2 * i, empty, true);
      if (i % 250 === 249) await sleep(10);
    }
  }
  await sleep(o.holdMs);
  const open = conns.filter((c) => !c.socket.destroyed).length;
  for (const c of conns) c.socket.destroy();
  return `${o.watches} grpc.health.v1 Watch streams without a key, ${perConnection} per connection from ${conns.length} connections; ${open} connections still open after ${o.holdMs / 1000} s`;
}

async function resetFlood(child: Child, o: AttackOptions): Promise<string> {
  const fields = grpcRequest("/grpc.health.v1.Health/Check", `127.0.0.1:${child.port}`);
  let streams = 0;
  let goaways = 0;
  let refused = 0;
  for (let r = 0; r < o.resetRounds; r++) {
    const raw = await connectRawH2(child.port, "127.0.0.1", "127.0.4.1").catch(() => undefined);
    if (!raw) {
      refused++;
      await sleep(100);
      continue;
    }
    const ready = await Promise.race([raw.settings.then(() => true), raw.closed.then(() => false)]);
    if (!ready) {
      refused++;
      continue;
    }
    for (let i = 0; i < o.resetsPerRound && !raw.socket.destroyed; i++) {
      raw.headers(1 + 2 * i, fields, false);
      raw.reset(1 + 2 * i);
      streams++;
      if (i % 500 === 499) await sleep(1);
    }
    // GOAWAY, or the socket closed right behind it: either way the server ended the connection.
    const ended = await Promise.race([raw.goaway.then(() => true), sleep(10_000).then(() => false)]);
    if (ended) goaways++;
    raw.socket.destroy();
  }
  return `${o.resetRounds} connections × up to ${o.resetsPerRound} HEADERS+RST_STREAM: ${streams} streams sent, ${goaways} connections ended by the server, ${refused} refused`;
}

export async function benchAttack(o: AttackOptions): Promise<ScenarioResult[]> {
  const child = await startChild(o.root);
  try {
    const results: ScenarioResult[] = [];
    results.push(await measure(child, "baseline", "none", async () => (await sleep(3000), "3 s of probes alone")));
    const scenarios: [string, (c: Child, o: AttackOptions) => Promise<string>][] = [
      ["slowloris", slowloris],
      ["h2 stream flood", streamFlood],
      ["watch flood", watchFlood],
      ["rapid reset", resetFlood],
    ];
    for (const [name, run] of scenarios) {
      process.stderr.write(`attack (${o.root}): ${name}...\n`);
      results.push(await measure(child, name, name, () => run(child, o)));
      await sleep(1000);
    }
    return results;
  } finally {
    child.proc.stdin?.end();
    await new Promise((r) => child.proc.once("exit", r));
  }
}

export function attackTable(label: string, results: ScenarioResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.probes.n} | ${r.probeFailures} | ${r.probes.p50.toFixed(1)} | ${r.probeMaxMs.toFixed(0)} | ${r.rssPeakMb} | ${r.fdsPeak} | ${r.note} |`,
  );
  return [
    `**${label}**`,
    "",
    "| scenario | /health answered | failed | p50 ms | max ms | server RSS peak MB | server fds peak | what happened |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
