/**
 * The operators' CLI over a running server: `npm run beholder -- <command>` or `npx beholder`.
 * It talks only through the generated client (src/client/), never to the cache; keys for the first
 * key come from `npm run keys`, which does open the cache.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createBeholderClient } from "../client/node.js";
import { isEntryPoint, isParseArgsError, processIo, UsageError, type CliIo } from "./args.js";
import type { Command, CommandContext } from "./beholder/command.js";
import { health, keys, sync } from "./beholder/commands-admin.js";
import { diagnose, incidents, search, traffic } from "./beholder/commands-diagnosis.js";
import { describeError, EXIT, EXIT_CODES_TEXT } from "./beholder/exit.js";
import { createStyle, wantsColour } from "./beholder/style.js";

const COMMON = `Common options:
  --url URL     the server (default BEHOLDER_URL, else http://127.0.0.1:8500)
  --key KEY     the API key (default BEHOLDER_KEY); health needs none
  --cacert FILE trust this PEM certificate for an https:// URL (a self-signed server)
  --json        JSON on stdout (one document, or one line per streamed message)
  -h, --help    this text (exit 0)
Colour only on a terminal, never with NO_COLOR set.
${EXIT_CODES_TEXT}`;

interface Spec {
  run: Command;
  options: string[];
  usage: string;
  /** Needs a key (every command but health). */
  keyed: boolean;
}

const COMMANDS: Record<string, Spec> = {
  diagnose: {
    run: diagnose,
    options: ["watch", "traffic", "cache-only", "interval", "as"],
    keyed: true,
    usage: `npm run beholder -- diagnose <pppoe-user|onu-serial|customer-code> [--watch [--interval S]] [--traffic] [--cache-only] [--as user|serial|code]
  The verdict (coloured by action), the findings with their evidence, then each source's freshness.
  Digits are a customer code, a vendor prefix plus 8 hex digits an ONU serial, anything else a PPPoE user (--as overrides).
  --watch follows WatchDiagnosis and redraws on every change until Ctrl-C or the server ends it.`,
  },
  search: { run: search, options: ["limit"], keyed: true, usage: "npm run beholder -- search <text> [--limit N]       name, address, PPPoE user, DNI, phone, code, serial, MAC" },
  incidents: { run: incidents, options: ["olt", "limit"], keyed: true, usage: "npm run beholder -- incidents [--olt ID] [--limit N]  PON-down, partial-LOS and area-power incidents now" },
  traffic: {
    run: traffic,
    options: ["watch", "interval", "as"],
    keyed: true,
    usage: "npm run beholder -- traffic <pppoe-user> [--watch [--interval S]]   live rates next to the plan (--watch: follow them)",
  },
  sync: {
    run: sync,
    options: ["job", "source"],
    keyed: true,
    usage: `npm run beholder -- sync [--job inventory|status] [--source ispcube|smartolt|routeros]...   run (or join) a sync, with its progress (admin key)
  npm run beholder -- sync status                                                      the last run of each job and source, the next one`,
  },
  keys: {
    run: keys,
    options: ["scope"],
    keyed: true,
    usage: `npm run beholder -- keys create NAME [--scope read] [--scope admin]   create a key over the API (admin key); printed once
  npm run beholder -- keys list | keys revoke NAME
  (the very first key: npm run keys -- create NAME --scope admin, on the server's database)`,
  },
  health: { run: health, options: [], keyed: false, usage: "npm run beholder -- health        grpc.health.v1 for the server and each service (no key)" },
};

export const USAGE = `usage: npm run beholder -- <command> [options]   (or npx beholder <command>)
Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.replace(/\n/g, "\n  ")}`)
  .join("\n")}
${COMMON}`;

function usageOf(command: string | undefined): string {
  const spec = command === undefined ? undefined : COMMANDS[command];
  return spec ? `usage: ${spec.usage}\n${COMMON}` : USAGE;
}

const OPTIONS = {
  url: { type: "string" },
  key: { type: "string" },
  cacert: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  watch: { type: "boolean" },
  traffic: { type: "boolean" },
  "cache-only": { type: "boolean" },
  interval: { type: "string" },
  as: { type: "string" },
  limit: { type: "string" },
  olt: { type: "string" },
  job: { type: "string" },
  source: { type: "string", multiple: true },
  scope: { type: "string", multiple: true },
} as const;
const GLOBAL = new Set(["url", "key", "cacert", "json", "help"]);

export interface BeholderCliOptions {
  env?: Record<string, string | undefined>;
  /** stdout is a terminal (colour, redraw in place). Default: process.stdout.isTTY. */
  tty?: boolean;
  /** Ends watches and syncs being followed (the entry point aborts it on Ctrl-C). */
  signal?: AbortSignal;
  now?: () => Date;
}

export async function main(argv: readonly string[], io: CliIo = processIo, opts: BeholderCliOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const end = argv.indexOf("--");
  const firstWord = argv.find((a) => !a.startsWith("-"));
  const command = firstWord !== undefined && firstWord in COMMANDS ? firstWord : undefined;
  if ((end === -1 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h")) {
    io.out(`${usageOf(command)}\n`);
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
    const [name, ...args] = parsed.positionals;
    if (name === undefined) throw new UsageError("a command is needed");
    const spec = COMMANDS[name];
    if (!spec) throw new UsageError(`unknown command ${name}`);
    const stray = Object.keys(parsed.values).find((o) => !GLOBAL.has(o) && !spec.options.includes(o));
    if (stray) throw new UsageError(`${name} takes no --${stray}`);
    const url = parsed.values.url ?? env.BEHOLDER_URL ?? "http://127.0.0.1:8500";
    const key = parsed.values.key ?? env.BEHOLDER_KEY;
    if (spec.keyed && !key) {
      io.err(`beholder: no API key: pass --key or set BEHOLDER_KEY (first key: npm run keys -- create NAME --scope read --scope admin)\n`);
      return EXIT.auth;
    }
    let ca: Buffer | undefined;
    if (parsed.values.cacert !== undefined) {
      try {
        ca = readFileSync(parsed.values.cacert);
      } catch (err) {
        throw new UsageError(`--cacert: cannot read ${parsed.values.cacert} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
      }
    }
    let client;
    try {
      client = createBeholderClient(url, key, ca ? { ca } : {});
    } catch (err) {
      throw new UsageError(`--url: ${(err as Error).message}`);
    }
    const tty = opts.tty ?? process.stdout.isTTY === true;
    const json = parsed.values.json === true;
    const ctx: CommandContext = {
      client,
      io,
      style: createStyle(!json && wantsColour(tty, env)),
      tty: tty && !json,
      json,
      url,
      signal: opts.signal ?? new AbortController().signal,
      now: opts.now ?? (() => new Date()),
      timeoutMs: 30_000,
      args,
      options: parsed.values,
    };
    try {
      return await spec.run(ctx);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const { message, exit } = describeError(err, url);
      io.err(`beholder: ${message}\n`);
      return exit;
    }
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.err(`beholder: ${(err as Error).message}\n${usageOf(command)}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

if (isEntryPoint(import.meta.url)) {
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  main(process.argv.slice(2), processIo, { signal: stop.signal }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`beholder: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
