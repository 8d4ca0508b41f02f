/**
 * The normal client of `npm run bench -- attack` and `-- faults`, in its own process so the attackers'
 * and the load's loops do not delay it: GET /health over a fresh connection from 127.0.0.2, one after
 * another every `--interval-ms` (50), until stdin closes.
 *
 * Without `--stream` it prints `{"latencies": [ms...], "failures": n}` at the end. With `--stream` it
 * prints one line per probe as it ends, `{"ms","ok","why"?}` (`why`: the HTTP status, the socket
 * error's code or "timeout while <stage>"), so the caller can tell when each failure happened and what it was.
 */
import http from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "interval-ms": { type: "string", default: "50" },
    "timeout-ms": { type: "string", default: "30000" },
    stream: { type: "boolean", default: false },
  },
});
const port = Number(values.port);
const intervalMs = Number(values["interval-ms"]);
const timeoutMs = Number(values["timeout-ms"]);
const latencies: number[] = [];
let failures = 0;
let running = true;
process.stdin.resume();
process.stdin.once("end", () => (running = false));

function once(): Promise<void> {
  return new Promise((resolve) => {
    const t = performance.now();
    let settled = false;
    const done = (why?: string): void => {
      if (settled) return;
      settled = true;
      const ms = performance.now() - t;
      if (why === undefined) latencies.push(ms);
      else failures++;
      if (values.stream) process.stdout.write(`${JSON.stringify({ ms, ok: why === undefined, ...(why === undefined ? {} : { why }) })}\n`);
      resolve();
    };
    let stage = "connecting";
    const req = http.get({ host: "127.0.0.1", port, path: "/health", localAddress: "127.0.0.2", agent: false, timeout: timeoutMs }, (res) => {
      stage = "reading the answer";
      res.resume();
      res.once("end", () => done(res.statusCode === 200 ? undefined : `HTTP ${res.statusCode}`));
      res.once("error", (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    });
    req.once("socket", (socket) => socket.once("connect", () => (stage = "waiting for the answer")));
    req.once("timeout", () => {
      // Where it stalled: no TCP connection yet (the listen backlog), or connected and unanswered.
      done(`timeout while ${stage}`);
      req.destroy();
    });
    req.on("error", (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

process.stdout.write("ready\n");
while (running) {
  await once();
  await new Promise((r) => setTimeout(r, intervalMs));
}
if (!values.stream) process.stdout.write(`${JSON.stringify({ latencies, failures })}\n`);
