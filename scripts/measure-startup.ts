/**
 * Start-up time and memory of the server run through tsx (npm start) against the compiled build
 * (npm run build; node dist/src/main.js), alternating runs on the same machine:
 *   npm run build && node --import tsx scripts/measure-startup.ts [runs]
 * Time: spawn to the "listening" log line. Memory: process_resident_memory_bytes from /metrics
 * (METRICS_ACCESS=loopback) right after.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Sample {
  ms: number;
  rssMb: number;
}

async function once(args: string[]): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), "beholder-startup-"));
  const env = { ...process.env, DB_PATH: join(dir, "s.db"), PORT: "0", SYNC_SCHEDULE: "off", LOG_FORMAT: "json", METRICS_ACCESS: "loopback" };
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"] });
  let logs = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (b: Buffer) => {
      logs += b.toString();
      const m = /"url":"(http:\/\/[^"]+)".*"msg":"listening"/.exec(logs);
      if (m) resolve(m[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
  const ms = performance.now() - started;
  const text = await (await fetch(`${url}/metrics`)).text();
  const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
  return { ms, rssMb: rss / 1e6 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const runs = Number(process.argv[2] ?? 5);
const variants: [string, string[]][] = [
  ["tsx (npm start)", ["--import", "tsx", "src/main.ts"]],
  ["compiled (node dist/src/main.js)", ["dist/src/main.js"]],
];
const results = new Map<string, Sample[]>(variants.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of variants) results.get(name)?.push(await once(args));
}
for (const [name, samples] of results) {
  const ms = median(samples.map((s) => s.ms));
  const rss = median(samples.map((s) => s.rssMb));
  process.stdout.write(`${name.padEnd(34)} start-up median ${ms.toFixed(0)} ms   RSS at listening median ${rss.toFixed(1)} MB   (${runs} runs)\n`);
}
