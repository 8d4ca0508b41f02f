/**
 * The normal client of `npm run bench -- attack`, in its own process so the attacker's loops do not
 * delay it: GET /health over a fresh connection from 127.0.0.2, one after another every 50 ms, until
 * stdin closes; then prints `{"latencies": [ms...], "failures": n}`.
 */
import http from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { port: { type: "string" } } });
const port = Number(values.port);
const latencies: number[] = [];
let failures = 0;
let running = true;
process.stdin.resume();
process.stdin.once("end", () => (running = false));

function once(): Promise<void> {
  return new Promise((resolve) => {
    const t = performance.now();
    let failed = false;
    const req = http.get({ host: "127.0.0.1", port, path: "/health", localAddress: "127.0.0.2", agent: false, timeout: 30_000 }, (res) => {
      res.resume();
      res.once("end", () => {
        if (res.statusCode === 200) latencies.push(performance.now() - t);
        else failures++;
        resolve();
      });
    });
    req.once("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => {
      if (failed) return;
      failed = true;
      failures++;
      resolve();
    });
  });
}

process.stdout.write("ready\n");
while (running) {
  await once();
  await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write(`${JSON.stringify({ latencies, failures })}\n`);
