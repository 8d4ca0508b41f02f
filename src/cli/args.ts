import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where a CLI writes; tests pass their own to run `main(argv)` in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Bad arguments: the CLI prints the problem and its usage, and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Exit codes every CLI shares: 0 done (or --help), 2 bad arguments. */
export const EXIT_USAGE = 2;

export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** An error parseArgs (node:util) throws for an unknown option or a missing value. */
export function isParseArgsError(err: unknown): boolean {
  return typeof (err as { code?: unknown } | null)?.code === "string" && (err as { code: string }).code.startsWith("ERR_PARSE_ARGS");
}

/**
 * Runs a CLI's body with the shared rules: `--help`/`-h` prints the usage and returns 0; an unknown
 * option or a UsageError prints the problem and the usage and returns 2, never a stack trace.
 */
export async function runCli(name: string, usage: string, argv: readonly string[], io: CliIo, body: () => Promise<number>): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(`${usage}\n`);
    return 0;
  }
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.err(`${name}: ${(err as Error).message}\n${usage}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/** True when `moduleUrl` is the script node was started with (not an import from a test). */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
