import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { Source } from "../../gen/beholder/v1/common_pb.js";
import {
  SyncJob,
  SyncPhase,
  SyncService,
  type JobStatusSchema,
  type RunSyncResponseSchema,
  type SyncRunSchema,
  type SourceRunSchema,
  type TargetFailureSchema,
  type OnuLinksSchema,
  FailureReason,
} from "../../gen/beholder/v1/sync_pb.js";
import { SyncBusyError, type SyncRunner } from "../sync/runner.js";
import type { SyncSchedule } from "../sync/schedule.js";
import type { RunOutcome, SourceResult, SyncJobName, SyncPhaseName, SyncProgress, SyncRunRecord, SyncSourceName, TargetFailure, TargetFailureReason } from "../sync/types.js";
import { durationFromMs, timestampFromDate } from "./time.js";
import { invalid } from "./validate.js";

const JOBS: Record<SyncJobName, SyncJob> = { inventory: SyncJob.INVENTORY, status: SyncJob.STATUS };
const SOURCES: Record<SyncSourceName, Source> = { ispcube: Source.ISPCUBE, smartolt: Source.SMARTOLT, routeros: Source.ROUTEROS };
const REASONS: Record<TargetFailureReason, FailureReason> = {
  connection_refused: FailureReason.CONNECTION_REFUSED,
  connection_reset: FailureReason.CONNECTION_RESET,
  timeout: FailureReason.TIMEOUT,
  auth: FailureReason.AUTH,
  protocol: FailureReason.PROTOCOL,
  other: FailureReason.OTHER,
};
const PHASES: Record<SyncPhaseName | RunOutcome, SyncPhase> = {
  queued: SyncPhase.QUEUED,
  fetching: SyncPhase.FETCHING,
  writing: SyncPhase.WRITING,
  done: SyncPhase.DONE,
  failed: SyncPhase.FAILED,
  skipped: SyncPhase.SKIPPED,
  running: SyncPhase.FETCHING,
};

/**
 * RunSync starts a job or, when that job is already running, joins it (the response says
 * `joined`); a different job while one runs is FailedPrecondition. Either way the stream carries
 * progress until the run ends; hanging up does not stop the run.
 */
export function createSyncService(deps: {
  runner: SyncRunner;
  schedule: SyncSchedule;
  draining: AbortSignal;
  /** SMARTOLT_ONU_LINK, reported beside the link counts. */
  onuLink?: string;
}): ServiceImpl<typeof SyncService> {
  const { runner, schedule } = deps;
  return {
    async *runSync(req, ctx) {
      const job = jobName(req.job);
      const sources = req.sources.map(sourceName);
      let started;
      try {
        started = await runner.start(job, sources);
      } catch (err) {
        if (err instanceof SyncBusyError) throw new ConnectError(err.message, Code.FailedPrecondition);
        throw err;
      }
      const signal = AbortSignal.any([ctx.signal, deps.draining]);
      for await (const p of started.handle.follow({ join: started.joined, signal })) yield progress(p, started.joined);
    },

    async getSyncStatus() {
      const current = runner.current;
      const jobs = ["inventory", "status"] as const;
      const lastRuns = await Promise.all(jobs.map((job) => runner.lastRun(job)));
      return {
        jobs: jobs.map((job, i): MessageInitShape<typeof JobStatusSchema> => {
          const next = schedule.nextRun(job);
          const last = lastRuns[i];
          return {
            job: JOBS[job],
            running: current !== undefined && !current.finished && current.job === job,
            lastRun: last ? run(last) : undefined,
            nextRunAt: next ? timestampFromDate(next) : undefined,
            schedule: schedule.describe(job),
          };
        }),
        onuLinks: onuLinks(lastRuns[0], deps.onuLink ?? "auto"),
      };
    },
  } satisfies ServiceImpl<typeof SyncService>;
}

function jobName(job: SyncJob): SyncJobName {
  if (job === SyncJob.INVENTORY) return "inventory";
  if (job === SyncJob.STATUS) return "status";
  throw invalid("job must be SYNC_JOB_INVENTORY or SYNC_JOB_STATUS");
}

function sourceName(source: Source): SyncSourceName {
  const name = (Object.keys(SOURCES) as SyncSourceName[]).find((k) => SOURCES[k] === source);
  if (!name) throw invalid("sources must be SOURCE_ISPCUBE, SOURCE_SMARTOLT or SOURCE_ROUTEROS");
  return name;
}

function progress(p: SyncProgress, joined: boolean): MessageInitShape<typeof RunSyncResponseSchema> {
  return {
    runId: p.runId,
    job: JOBS[p.job],
    source: SOURCES[p.source],
    phase: PHASES[p.phase],
    done: BigInt(p.done),
    total: BigInt(p.total),
    error: p.error ?? "",
    at: timestampFromDate(p.at),
    joined,
    failures: (p.failures ?? []).map(failure),
  };
}

function failure(f: TargetFailure): MessageInitShape<typeof TargetFailureSchema> {
  return { target: f.target, error: f.error, host: f.host ?? "", port: f.port ?? 0, reason: REASONS[f.reason ?? "other"] };
}

/**
 * The link counts of the inventory's last join: every commit rebuilds it, so the last source that
 * committed (routers after ISPCube and SmartOLT) says how the cache stands.
 */
function onuLinks(last: SyncRunRecord | undefined, mode: string): MessageInitShape<typeof OnuLinksSchema> | undefined {
  const joined = last?.sources.filter((s) => s.counts.onusUnlinked !== undefined).at(-1);
  if (!last || !joined) return undefined;
  return {
    mode,
    byUsername: BigInt(joined.counts.onusLinkedByUsername ?? 0),
    byName: BigInt(joined.counts.onusLinkedByName ?? 0),
    unlinked: BigInt(joined.counts.onusUnlinked ?? 0),
    asOf: last.finishedAt ? timestampFromDate(last.finishedAt) : undefined,
  };
}

function run(r: SyncRunRecord): MessageInitShape<typeof SyncRunSchema> {
  return {
    runId: r.id,
    startedAt: timestampFromDate(r.startedAt),
    finishedAt: r.finishedAt ? timestampFromDate(r.finishedAt) : undefined,
    duration: r.finishedAt ? durationFromMs(r.finishedAt.getTime() - r.startedAt.getTime()) : undefined,
    outcome: PHASES[r.outcome],
    sources: r.sources.map(sourceRun),
  };
}

function sourceRun(s: SourceResult): MessageInitShape<typeof SourceRunSchema> {
  return {
    source: SOURCES[s.source],
    outcome: PHASES[s.outcome],
    counts: Object.fromEntries(Object.entries(s.counts).map(([k, v]) => [k, BigInt(v)])),
    duration: durationFromMs(s.durationMs),
    error: s.error ?? "",
    stale: s.stale,
    dataAsOf: s.dataAsOf ? timestampFromDate(s.dataAsOf) : undefined,
    failures: (s.failures ?? []).map(failure),
  };
}
