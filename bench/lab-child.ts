/**
 * A lab in its own process for benchmarks, so the measured process holds only Beholder. Prints one
 * JSON line (like `npm run lab -- --json`) plus the environment Beholder needs; with `--loop`, then
 * `{"labLoopMaxMs"}` every second: the lab's own worst event-loop delay, to tell a slow vendor
 * simulator from a slow Beholder.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { generateScenario } from "../lab/scenario/generate.js";
import { startLab } from "../lab/lab.js";
import { beholderEnvForLab } from "../lab/beholder-env.js";

const { values } = parseArgs({
  options: {
    subscribers: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    "smartolt-hourly": { type: "string" },
    "smartolt-rps": { type: "string" },
    loop: { type: "boolean", default: false },
  },
});
const scenario = generateScenario({ subscribers: Number(values.subscribers), seed: Number(values.seed) });
if (values["smartolt-hourly"]) {
  scenario.smartolt.rateLimits = { ...scenario.smartolt.rateLimits, hourly: Number(values["smartolt-hourly"]) };
}
if (values["smartolt-rps"]) {
  const rps = Number(values["smartolt-rps"]);
  scenario.smartolt.rateLimits = { ...scenario.smartolt.rateLimits, perSecond: rps, burst: Math.ceil(rps * 1.5) };
}
const lab = await startLab({ scenario });
process.stdout.write(
  `${JSON.stringify({
    control: lab.control.url,
    env: beholderEnvForLab(lab),
    counts: {
      customers: scenario.ispcube.customers.filter((c) => !c.deletedAt && !c.temporary).length,
      connections: scenario.ispcube.connections.length,
      onus: scenario.smartolt.onus.length,
      secrets: scenario.routers.reduce((n, r) => n + r.secrets.length, 0),
      routers: scenario.routers.length,
    },
  })}\n`,
);
if (values.loop) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  setInterval(() => {
    process.stdout.write(`${JSON.stringify({ labLoopMaxMs: Math.round(delay.max / 1e6) })}\n`);
    delay.reset();
  }, 1000).unref();
}
const stop = (): void => void lab.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The parent holds our stdin: when it dies (a test that timed out, a killed benchmark), so do we.
process.stdin.on("end", stop).resume();
