/**
 * Runs a sync from a terminal, like the old `python -m app.jobs.sync`:
 *   npm run sync [-- --job inventory|status] [--source ispcube|smartolt|routeros]... [--json]
 * A progress bar per source on a terminal; one JSON line per event with --json (or when piped).
 * Exit codes: 0 done, 1 a source failed, 2 bad arguments or config, 3 another sync holds the lease.
 */
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { ConfigError, loadConfig, readEnv } from "../config.js";
import { createAppContext } from "../context.js";
import { createLogger } from "../logger.js";
import { SyncBusyError } from "../sync/runner.js";
import type { SyncJobName, SyncProgress, SyncSourceName } from "../sync/types.js";

const JOBS: readonly SyncJobName[] = ["inventory", "status"];
const SOURCES: readonly SyncSourceName[] = ["ispcube", "smartolt", "routeros"];

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      job: { type: "string", default: "inventory" },
      source: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
    },
  });
  const job = values.job as SyncJobName;
  const sources = (values.source ?? []) as SyncSourceName[];
  if (!JOBS.includes(job)) return usage(`--job must be one of ${JOBS.join(", ")}`);
  const badSource = sources.find((s) => !SOURCES.includes(s));
  if (badSource) return usage(`--source must be one of ${SOURCES.join(", ")} (got ${badSource})`);

  // This process only runs the one sync: never the schedules.
  const config = loadConfig({ ...readEnv(), SYNC_SCHEDULE: "off" });
  const json = values.json || !process.stdout.isTTY;
  const logger = createLogger({ level: "warn", format: json ? "json" : config.log.format }, process.stderr);
  const app = await createAppContext(config, { logger });
  try {
    const { handle } = await app.sync.runner.start(job, sources);
    const show = json ? printJson : createBars();
    for await (const p of handle.follow({ join: false })) show.update(p);
    const record = await handle.done;
    show.stop();
    for (const s of record.sources) {
      const counts = Object.entries(s.counts).map(([k, v]) => `${k}=${v}`).join(" ");
      const line = `${s.source}: ${s.outcome}${counts ? ` (${counts})` : ""}${s.error ? ` — ${s.error}` : ""}`;
      if (json) process.stdout.write(`${JSON.stringify({ result: s })}\n`);
      else process.stdout.write(`${line}\n`);
    }
    return record.outcome === "done" ? 0 : 1;
  } catch (err) {
    if (err instanceof SyncBusyError) {
      process.stderr.write(`sync: ${err.message}\n`);
      return 3;
    }
    throw err;
  } finally {
    await app.close();
  }
}

interface Display {
  update(p: SyncProgress): void;
  stop(): void;
}

const printJson: Display = {
  update: (p) => process.stdout.write(`${JSON.stringify(p)}\n`),
  stop: () => undefined,
};

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

function usage(problem: string): number {
  process.stderr.write(`sync: ${problem}\nusage: npm run sync [-- --job inventory|status] [--source ispcube|smartolt|routeros]... [--json]\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const badInput = err instanceof ConfigError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`sync: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(badInput ? 2 : 1);
  },
);
