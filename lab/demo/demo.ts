/**
 * The quick start: `npm run demo` runs the lab on the demo ISP and Beholder against it, syncs, and
 * prints a key and commands to try. DEMO_DB_PATH moves the cache (default data/demo.db). Ctrl-C
 * stops everything and exits 0; a second Ctrl-C exits at once.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../../src/config.js";
import { isEntryPoint, processIo, runCli, type CliIo } from "../../src/cli/args.js";
import { buildConsole } from "../../scripts/build-console.js";
import { runDemo, type Demo } from "./run-demo.js";

export const USAGE = `usage: npm run demo [-- --help]
Builds the agent console, runs the lab on the demo ISP and Beholder against it, syncs, and prints an API key,
the console's address and commands to try.
Environment: PORT (default 8500, a free port if that is busy), DEMO_DB_PATH (default data/demo.db), LOG_LEVEL.
Ctrl-C stops everything and exits 0.`;

/** A second signal sooner than this is the same Ctrl-C, delivered twice. */
const SAME_CTRL_C_MS = 500;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli("demo", USAGE, argv, io, async () => {
    parseArgs({ args: [...argv], options: { help: { type: "boolean", short: "h" } } });
    return runUntilStopped();
  });
}

async function runUntilStopped(): Promise<number> {
  const abort = new AbortController();
  let demo: Demo | undefined;
  let stoppingSince: number | undefined;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stoppingSince !== undefined) {
        // npm forwards the terminal's SIGINT to its child, which got it from the terminal as well.
        if (performance.now() - stoppingSince < SAME_CTRL_C_MS) return;
        process.stderr.write(`\n${signal} again: exiting without cleaning up\n`);
        process.exit(130);
      }
      stoppingSince = performance.now();
      process.stdout.write(`\n${signal}: stopping Beholder and the lab…\n`);
      abort.abort(new Error(`stopped by ${signal}`));
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });

  // The agent console's files (esbuild: well under a second); the demo serves them on /console/.
  try {
    const built = await buildConsole();
    process.stdout.write(`Agent console built in ${built.ms} ms into ${built.dir}\n`);
  } catch (err) {
    process.stdout.write(`Agent console not built (${err instanceof Error ? err.message : String(err)}); /console/ will say so\n`);
  }
  try {
    demo = await runDemo({
      env: process.env,
      ...(process.env.DEMO_DB_PATH ? { dbPath: process.env.DEMO_DB_PATH } : {}),
      out: (line) => process.stdout.write(`${line}\n`),
      signal: abort.signal,
    });
  } catch (err) {
    // runDemo has already closed what it started.
    if (abort.signal.aborted) return 0;
    throw err;
  }
  await stopped;
  await demo.close();
  process.stdout.write("stopped\n");
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(err instanceof ConfigError ? 2 : 1);
    },
  );
}
