import { parseArgs } from "node:util";
import { isEntryPoint, isParseArgsError, processIo, UsageError, wantsHelp, type CliIo } from "../src/cli/args.js";
import { startLab } from "./lab.js";
import type { Lab } from "./lab.js";
import { demoScenario } from "./scenario/demo.js";
import { generateScenario } from "./scenario/generate.js";
import { loadScenario } from "./scenario/load.js";
import { validateScenario } from "./scenario/validate.js";
import type { Scenario } from "./scenario/types.js";

export const USAGE = `usage: npm run lab -- [--scenario <file>|demo] [--subscribers N --seed S] [--json]
       [--host 127.0.0.1] [--smartolt-port N] [--ispcube-port N] [--control-port N] [--router-base-port N]
Without --scenario or --subscribers it serves the demo ISP.`;

/**
 * Runs the lab until SIGINT/SIGTERM; with --json, stdout carries exactly one JSON line. Resolves
 * with an exit code for --help (0) and bad arguments (2), and with undefined once the lab is up.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number | undefined> {
  if (wantsHelp(argv)) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  try {
    await serve(argv, io);
    return undefined;
  } catch (err) {
    if (!(err instanceof UsageError) && !isParseArgsError(err)) throw err;
    io.err(`lab: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
}

async function serve(argv: readonly string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: "string" },
      subscribers: { type: "string" },
      seed: { type: "string", default: "1" },
      json: { type: "boolean", default: false },
      host: { type: "string", default: "127.0.0.1" },
      "smartolt-port": { type: "string" },
      "ispcube-port": { type: "string" },
      "control-port": { type: "string" },
      "router-base-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const scenario = await chooseScenario(values.scenario, values.subscribers, values.seed ?? "1");
  const lab = await startLab({
    scenario,
    host: values.host ?? "127.0.0.1",
    ports: {
      smartolt: port("smartolt-port", values["smartolt-port"]),
      ispcube: port("ispcube-port", values["ispcube-port"]),
      control: port("control-port", values["control-port"]),
      routerBase: port("router-base-port", values["router-base-port"]),
    },
  });
  io.out(values.json ? `${JSON.stringify(describeLab(lab))}\n` : humanReadable(lab));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    lab.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function chooseScenario(file: string | undefined, subscribers: string | undefined, seed: string): Promise<Scenario> {
  if (file !== undefined && file !== "demo") return loadScenario(file);
  if (subscribers !== undefined) {
    const n = Number(subscribers);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--subscribers must be a positive integer, got ${subscribers}`);
    return validateScenario(generateScenario({ subscribers: n, seed }), { skipSchema: true });
  }
  return demoScenario(new Date().toISOString());
}

function port(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${flag} must be a port number, got ${value}`);
  return n;
}

/** Everything a client needs to reach the lab: addresses and credentials. */
export function describeLab(lab: Lab): Record<string, unknown> {
  return {
    scenario: lab.scenario.name,
    now: lab.clock.now().toISOString(),
    smartolt: lab.smartolt,
    ispcube: lab.ispcube,
    routers: lab.routers,
    control: lab.control,
  };
}

function humanReadable(lab: Lab): string {
  const s = lab.scenario;
  const lines = [
    `Beholder lab: scenario "${s.name}" (${s.smartolt.onus.length} ONUs, ${s.ispcube.customers.length} customers, ${s.routers.length} routers)`,
    `  clock      ${lab.clock.now().toISOString()}`,
    `  SmartOLT   ${lab.smartolt.url}   X-Token: ${lab.smartolt.token}`,
    `  ISPCube    ${lab.ispcube.url}   api-key: ${lab.ispcube.apiKey}  client-id: ${lab.ispcube.clientId}  user: ${lab.ispcube.username}  password: ${lab.ispcube.password}`,
    ...lab.routers.map((r) => `  RouterOS   ${r.name.padEnd(10)} ${r.host}:${r.port}  v${r.version}  user: ${r.user}  password: ${r.password}`),
    `  control    ${lab.control.url}   (docs/scenarios.md)`,
    "Ctrl-C to stop.",
  ];
  return `${lines.join("\n")}\n`;
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => code === undefined || process.exit(code),
    (err: unknown) => {
      process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
