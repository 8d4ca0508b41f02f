/**
 * API key administration: `npm run keys -- create NAME [--scope read|admin]...`, `list`, `revoke NAME`.
 * Works on the cache database named by DB_PATH (config/.env or the environment), and says which.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, readEnv, type Env } from "../config.js";
import { createLogger } from "../logger.js";
import { openOrm } from "../cache/orm.js";
import { createKeyStore, KeyError, SCOPES, type Scope } from "../auth/keys.js";
import { EXIT_USAGE, isEntryPoint, processIo, runCli, UsageError, type CliIo } from "./args.js";

export const USAGE = `usage:
  npm run keys -- create NAME [--scope read] [--scope admin] [--json]   create a key (default scope: read); prints it once
  npm run keys -- list [--json]                                        list keys (never their secrets)
  npm run keys -- revoke NAME                                          revoke a key
  npm run keys -- --help                                               this text
The database is DB_PATH (config/.env or the environment; default data/diag.db).
Scopes: ${SCOPES.join(", ")}. Exit codes: 0 done, 1 no such key, 2 bad arguments or config.`;

export interface KeysCliOptions {
  /** Default: config/.env under the environment, as the server reads it. */
  env?: Env;
  io?: CliIo;
}

export async function main(argv: readonly string[], opts: KeysCliOptions = {}): Promise<number> {
  const io = opts.io ?? processIo;
  return runCli("keys", USAGE, argv, io, async () => {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { scope: { type: "string", multiple: true }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    });
    const [command, name, ...extra] = positionals;
    if (command !== "create" && command !== "list" && command !== "revoke") {
      throw new UsageError(command === undefined ? "a command is needed" : `unknown command ${command}`);
    }
    if (command !== "list" && !name) throw new UsageError(`${command} needs a key NAME`);
    if (extra.length > 0 || (command === "list" && name)) throw new UsageError(`unexpected argument ${extra[0] ?? name}`);
    let config;
    try {
      config = loadConfig(opts.env ?? readEnv());
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.err(`keys: ${err.message}\n`);
      return EXIT_USAGE;
    }
    // Human output starts with the database; with --json stdout is only JSON, so it goes to stderr.
    const where = `database ${resolve(config.db.path)}\n`;
    if (values.json) io.err(where);
    else io.out(where);

    const logger = createLogger({ level: "warn", format: "json" }, process.stderr);
    const orm = await openOrm(config.db.path, logger, { onuLink: config.sync.onuLink });
    const keys = createKeyStore(orm, undefined);
    try {
      switch (command) {
        case "create": {
          const scopes = (values.scope ?? ["read"]) as Scope[];
          const created = await keys.create(name as string, scopes);
          if (values.json) {
            io.out(`${JSON.stringify({ name: created.name, scopes: created.scopes, key: created.key })}\n`);
          } else {
            io.out(`created key ${created.name} (scopes: ${created.scopes.join(", ")})\n`);
            io.out(`\n  ${created.key}\n\nStore it now: it is shown only once.\n`);
          }
          return 0;
        }
        case "list": {
          const list = await keys.list();
          if (values.json) {
            io.out(`${JSON.stringify(list)}\n`);
            return 0;
          }
          if (list.length === 0) io.out("no keys\n");
          for (const k of list) {
            const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
            io.out(`${k.name.padEnd(24)} ${k.scopes.join(",").padEnd(12)} created ${k.createdAt.toISOString()}  ${state}\n`);
          }
          return 0;
        }
        case "revoke": {
          if (!(await keys.revoke(name as string))) {
            io.err(`keys: no active key named ${name}\n`);
            return 1;
          }
          io.out(`revoked ${name} (servers stop accepting it within 5 s)\n`);
          return 0;
        }
      }
    } catch (err) {
      // A taken name or an unknown scope is bad input: the message says which, no stack trace.
      if (!(err instanceof KeyError)) throw err;
      io.err(`keys: ${err.message}\n`);
      return EXIT_USAGE;
    } finally {
      await orm.close();
    }
  });
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`keys: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
