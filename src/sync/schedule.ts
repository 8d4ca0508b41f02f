import { setTimeout as sleep } from "node:timers/promises";
import { Cron } from "croner";
import type { SyncConfig } from "../config.js";
import type { Logger } from "../logger.js";
import { SyncBusyError, type SyncRunner } from "./runner.js";
import type { SyncJobName } from "./types.js";

export interface SyncSchedule {
  /** When the job runs next, or null when it is not scheduled in this process. */
  nextRun(job: SyncJobName): Date | null;
  /** The expression and time zone, for GetSyncStatus. */
  describe(job: SyncJobName): string;
  stop(): void;
}

/**
 * The inventory (nightly) and the status refresh (every few minutes) on croner. A scheduled status
 * run starts after a random delay, as SmartOLT asks (shared/vendors/smartolt.md §3), and is skipped
 * when another run holds the sync.
 */
export function scheduleSync(runner: SyncRunner, config: SyncConfig, logger: Logger): SyncSchedule {
  const stop = new AbortController();
  const trigger = async (job: SyncJobName, jitterMs: number): Promise<void> => {
    try {
      if (jitterMs > 0) await sleep(Math.random() * jitterMs, undefined, { signal: stop.signal });
      await runner.start(job);
    } catch (err) {
      if (stop.signal.aborted) return;
      if (err instanceof SyncBusyError) logger.info({ job, reason: err.message }, "scheduled sync skipped");
      else logger.error({ job, err }, "scheduled sync could not start");
    }
  };
  const options = { timezone: config.timezone, protect: true, paused: !config.scheduled };
  const jobs: Record<SyncJobName, Cron> = {
    inventory: new Cron(config.inventoryCron, options, () => void trigger("inventory", 0)),
    status: new Cron(config.statusCron, options, () => void trigger("status", config.statusJitterMs)),
  };
  const expressions: Record<SyncJobName, string> = { inventory: config.inventoryCron, status: config.statusCron };
  return {
    nextRun: (job) => (config.scheduled ? jobs[job].nextRun() : null),
    describe: (job) => `${expressions[job]} (${config.timezone})${config.scheduled ? "" : ", not scheduled in this process"}`,
    stop() {
      stop.abort();
      for (const j of Object.values(jobs)) j.stop();
    },
  };
}
