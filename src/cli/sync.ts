/**
 * Runs a sync from a terminal, like the old `python -m app.jobs.sync`:
 *   npm run sync [-- --job inventory|status] [--source ispcube|smartolt|routeros]... [--json]
 * A progress bar per source on a terminal; one JSON line per event with --json (or when piped).
 * Exit codes: 0 done, 1 a source failed, 2 bad arguments or config, 3 another sync holds the lease.
 */
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { ConfigError, loadConfig, readEnv } from "../config.js";
import { createSyncContext } from "../context.js";
import { createLogger } from "../logger.js";
import { SyncBusyError } from "../sync/runner.js";
import type { SyncJobName, SyncProgress, SyncSourceName } from "../sync/types.js";
import { EXIT_USAGE, isEntryPoint, processIo, runCli, UsageError, type CliIo } from "./args.js";

const JOBS: readonly SyncJobName[] = ["inventory", "status"];
const SOURCES: readonly SyncSourceName[] = ["ispcube", "smartolt", "routeros"];

export const USAGE = `usage: npm run sync [-- --job inventory|status] [--source ispcube|smartolt|routeros]... [--json]
  --job      inventory (the default) or status
  --source   only these sources (repeatable; default all three)
  --json     one JSON line per progress event and per source result (the default when piped)
Reads config/.env and the environment like the server (DB_PATH, SMARTOLT_*, ISPCUBE_*, MK_*).
Exit codes: 0 done, 1 a source failed, 2 bad arguments or config, 3 another sync holds the lease.`;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli("sync", USAGE, argv, io, async () => {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        job: { type: "string", default: "inventory" },
        source: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
    const job = values.job as SyncJobName;
    const sources = (values.source ?? []) as SyncSourceName[];
    if (!JOBS.includes(job)) throw new UsageError(`--job must be one of ${JOBS.join(", ")}`);
    const badSource = sources.find((s) => !SOURCES.includes(s));
    if (badSource) throw new UsageError(`--source must be one of ${SOURCES.join(", ")} (got ${badSource})`);

    let config;
    try {
      // This process only runs the one sync: never the schedules.
      config = loadConfig({ ...readEnv(), SYNC_SCHEDULE: "off" });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.err(`sync: ${err.message}\n`);
      return EXIT_USAGE;
    }
    const json = values.json || !process.stdout.isTTY;
    const logger = createLogger({ level: "warn", format: json ? "json" : config.log.format }, process.stderr);
    // Only the sync's parts: no key store, rate limits, search workers or schedules.
    const ctx = await createSyncContext(config, { logger });
    try {
      const { handle } = ctx.runner.start(job, sources);
      const show = json ? printJson(io) : createBars();
      for await (const p of handle.follow({ join: false })) show.update(p);
      const record = await handle.done;
      show.stop();
      for (const s of record.sources) {
        const counts = Object.entries(s.counts).map(([k, v]) => `${k}=${v}`).join(" ");
        const line = `${s.source}: ${s.outcome}${counts ? ` (${counts})` : ""}${s.error ? ` — ${s.error}` : ""}`;
        io.out(json ? `${JSON.stringify({ result: s })}\n` : `${line}\n`);
      }
      return record.outcome === "done" ? 0 : 1;
    } catch (err) {
      if (err instanceof SyncBusyError) {
        io.err(`sync: ${err.message}\n`);
        return 3;
      }
      throw err;
    } finally {
      await ctx.close();
    }
  });
}

interface Display {
  update(p: SyncProgress): void;
  stop(): void;
}

function printJson(io: CliIo): Display {
  return { update: (p) => io.out(`${JSON.stringify(p)}\n`), stop: () => undefined };
}

function createBars(): Display {
  const multi = new cliProgress.MultiBar(
    { format: " {source} |{bar}| {value}/{total} {phase}", hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(p) {
      let bar = bars.get(p.source);
      const payload = { source: p.source.padEnd(8), phase: p.error ? `${p.phase}: ${p.error}` : p.phase };
      if (!bar) {
        bar = multi.create(Math.max(p.total, 1), p.done, payload);
        bars.set(p.source, bar);
      }
      bar.setTotal(Math.max(p.total, p.done, 1));
      bar.update(p.done, payload);
    },
    stop: () => multi.stop(),
  };
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`sync: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
