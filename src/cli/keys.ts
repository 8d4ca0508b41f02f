/**
 * API key administration: `npm run keys -- create NAME [--scope read|admin]...`, `list`, `revoke NAME`.
 * Works on the cache database named by DB_PATH (config/.env or the environment).
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, readEnv } from "../config.js";
import { createLogger } from "../logger.js";
import { openOrm } from "../cache/orm.js";
import { createKeyStore, KeyError, SCOPES, type Scope } from "../auth/keys.js";

const USAGE = `usage:
  npm run keys -- create NAME [--scope read] [--scope admin]   create a key (default scope: read); prints it once
  npm run keys -- list                                        list keys (never their secrets)
  npm run keys -- revoke NAME                                 revoke a key`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { scope: { type: "string", multiple: true }, json: { type: "boolean", default: false } },
  });
  const [command, name] = positionals;
  const config = loadConfig(readEnv());
  const logger = createLogger({ level: "warn", format: "json" }, process.stderr);
  const orm = await openOrm(config.db.path, logger);
  const keys = createKeyStore(orm, undefined);
  try {
    switch (command) {
      case "create": {
        if (!name) return usage();
        const scopes = (values.scope ?? ["read"]) as Scope[];
        const created = await keys.create(name, scopes);
        if (values.json) {
          process.stdout.write(`${JSON.stringify({ name: created.name, scopes: created.scopes, key: created.key })}\n`);
        } else {
          process.stdout.write(`created key ${created.name} (scopes: ${created.scopes.join(", ")})\n`);
          process.stdout.write(`\n  ${created.key}\n\nStore it now: it is shown only once.\n`);
        }
        return 0;
      }
      case "list": {
        const list = await keys.list();
        if (values.json) {
          process.stdout.write(`${JSON.stringify(list)}\n`);
          return 0;
        }
        if (list.length === 0) process.stdout.write("no keys\n");
        for (const k of list) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
          process.stdout.write(`${k.name.padEnd(24)} ${k.scopes.join(",").padEnd(12)} created ${k.createdAt.toISOString()}  ${state}\n`);
        }
        return 0;
      }
      case "revoke": {
        if (!name) return usage();
        if (!(await keys.revoke(name))) {
          process.stderr.write(`no active key named ${name}\n`);
          return 1;
        }
        process.stdout.write(`revoked ${name} (servers stop accepting it within 5 s)\n`);
        return 0;
      }
      default:
        return usage();
    }
  } finally {
    await orm.close();
  }
}

function usage(): number {
  process.stderr.write(`${USAGE}\nscopes: ${SCOPES.join(", ")}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Bad input (a taken name, an unknown scope, a bad flag, bad config) exits 2; anything else 1.
    const badInput = err instanceof KeyError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`keys: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(badInput ? 2 : 1);
  },
);
