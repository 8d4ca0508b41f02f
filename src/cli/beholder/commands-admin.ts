/** beholder sync | sync status | keys | health. */
import { toJson } from "@bufbuild/protobuf";
import { Source } from "../../../gen/beholder/v1/common_pb.js";
import { KeyScope, ListKeysResponseSchema, CreateKeyResponseSchema, RevokeKeyResponseSchema, type KeyInfo } from "../../../gen/beholder/v1/keys_pb.js";
import { GetSyncStatusResponseSchema, RunSyncResponseSchema, SyncJob, SyncPhase, type RunSyncResponse } from "../../../gen/beholder/v1/sync_pb.js";
import { HealthCheckResponse_ServingStatus as Serving } from "../../../gen/grpc/health/v1/health_pb.js";
import { UsageError } from "../args.js";
import { list, opt, printJson, type CommandContext } from "./command.js";
import { EXIT } from "./exit.js";
import { enumWord, ms, time } from "./format-diagnosis.js";

const JOBS: Record<string, SyncJob> = { inventory: SyncJob.INVENTORY, status: SyncJob.STATUS };
const SOURCES: Record<string, Source> = { ispcube: Source.ISPCUBE, smartolt: Source.SMARTOLT, routeros: Source.ROUTEROS };
const SCOPES: Record<string, KeyScope> = { read: KeyScope.READ, admin: KeyScope.ADMIN };
const BEHOLDER_SERVICES = ["beholder.v1.DiagnosisService", "beholder.v1.SearchService", "beholder.v1.SyncService", "beholder.v1.KeyService"];

export async function sync(ctx: CommandContext): Promise<number> {
  if (ctx.args[0] === "status") {
    if (ctx.args.length > 1) throw new UsageError(`unexpected argument ${ctx.args[1]}`);
    if (opt(ctx, "job") !== undefined || list(ctx, "source").length > 0) throw new UsageError("sync status takes no --job or --source");
    return syncStatus(ctx);
  }
  if (ctx.args.length > 0) throw new UsageError(`unexpected argument ${ctx.args[0]} (did you mean: sync status?)`);
  const jobName = opt(ctx, "job") ?? "inventory";
  const job = JOBS[jobName];
  if (job === undefined) throw new UsageError("--job must be inventory or status");
  const sources = list(ctx, "source").map((s) => {
    const source = SOURCES[s];
    if (source === undefined) throw new UsageError(`--source must be ispcube, smartolt or routeros (got ${s})`);
    return source;
  });
  const last = new Map<Source, RunSyncResponse>();
  let announced = false;
  let drawn = 0;
  for await (const p of ctx.client.sync.runSync({ job, sources }, { signal: ctx.signal })) {
    if (ctx.json) {
      printJson(ctx.io, toJson(RunSyncResponseSchema, p));
    } else {
      if (!announced) {
        ctx.io.err(`${p.joined ? "joined the running" : "started"} ${jobName} sync ${p.runId}\n`);
        announced = true;
      }
      const before = last.get(p.source);
      last.set(p.source, p);
      if (ctx.tty) {
        // One bar per source, redrawn in place: back up over the block drawn last time.
        ctx.io.out(`${drawn > 0 ? `\u001b[${drawn}A` : ""}${[...last.values()].map((q) => `\u001b[2K${progressLine(q)}\n`).join("")}`);
        drawn = last.size;
      } else if (!before || before.phase !== p.phase || before.error !== p.error) {
        // Piped: one line per phase change (and per failure), not per page.
        ctx.io.out(`${progressLine(p)}\n`);
      }
    }
    last.set(p.source, p);
  }
  const failed = [...last.values()].filter((p) => p.phase === SyncPhase.FAILED);
  if (!ctx.json) {
    for (const p of last.values()) ctx.io.out(`${resultLine(ctx, p)}\n`);
  }
  return failed.length > 0 ? EXIT.unhealthy : EXIT.ok;
}

function progressLine(p: RunSyncResponse): string {
  const count = p.total > 0n ? `${p.done}/${p.total}` : p.done > 0n ? `${p.done}` : "";
  const bar = p.total > 0n ? ` [${"#".repeat(Math.round((Number(p.done) / Number(p.total)) * 20)).padEnd(20, ".")}]` : "";
  return `${enumWord(Source, p.source).padEnd(9)} ${enumWord(SyncPhase, p.phase).padEnd(9)}${bar} ${count}${p.error ? ` — ${p.error}` : ""}`.trimEnd();
}

function resultLine(ctx: CommandContext, p: RunSyncResponse): string {
  const colour = p.phase === SyncPhase.FAILED ? ctx.style.red : p.phase === SyncPhase.DONE ? ctx.style.green : ctx.style.yellow;
  const failures = p.failures.map((f) => `${f.target}: ${f.error}`).join("; ");
  return `${enumWord(Source, p.source).padEnd(9)} ${colour(enumWord(SyncPhase, p.phase))}${p.done > 0n ? ` (${p.done} items)` : ""}${p.error ? ` — ${p.error}` : ""}${failures && !p.error ? ` — ${failures}` : ""}`;
}

async function syncStatus(ctx: CommandContext): Promise<number> {
  const res = await ctx.client.sync.getSyncStatus({}, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx.io, toJson(GetSyncStatusResponseSchema, res));
    return 0;
  }
  let unhealthy = false;
  for (const j of res.jobs) {
    const next = j.nextRunAt ? `next ${time(j.nextRunAt)}` : "not scheduled";
    ctx.io.out(`${ctx.style.bold(enumWord(SyncJob, j.job))}${j.running ? ctx.style.cyan(" running") : ""}  ${next}${j.schedule ? ` (${j.schedule})` : ""}\n`);
    const r = j.lastRun;
    if (!r) {
      ctx.io.out("  never run\n");
      continue;
    }
    ctx.io.out(`  last run ${r.runId}: ${enumWord(SyncPhase, r.outcome)}, ${time(r.startedAt)}, ${(ms(r.duration) / 1000).toFixed(1)} s\n`);
    for (const s of r.sources) {
      if (s.outcome === SyncPhase.FAILED || s.stale) unhealthy = true;
      const counts = Object.entries(s.counts).map(([k, v]) => `${k}=${v}`).join(" ");
      const colour = s.outcome === SyncPhase.FAILED ? ctx.style.red : ctx.style.green;
      ctx.io.out(`    ${enumWord(Source, s.source).padEnd(9)} ${colour(enumWord(SyncPhase, s.outcome))}${counts ? ` ${counts}` : ""}  data as of ${time(s.dataAsOf)}${s.stale ? ctx.style.yellow(" (stale)") : ""}${s.error ? ` — ${s.error}` : ""}\n`);
    }
  }
  return unhealthy ? EXIT.unhealthy : EXIT.ok;
}

export async function keys(ctx: CommandContext): Promise<number> {
  const [sub, name, ...extra] = ctx.args;
  if (sub !== "create" && sub !== "list" && sub !== "revoke") throw new UsageError(sub === undefined ? "keys needs create, list or revoke" : `unknown keys command ${sub}`);
  if (sub !== "list" && !name) throw new UsageError(`keys ${sub} needs a key NAME`);
  if (extra.length > 0 || (sub === "list" && name)) throw new UsageError(`unexpected argument ${extra[0] ?? name}`);
  if (sub !== "create" && list(ctx, "scope").length > 0) throw new UsageError("--scope goes with keys create");
  if (sub === "create") {
    const scopes = list(ctx, "scope").map((s) => {
      const scope = SCOPES[s];
      if (scope === undefined) throw new UsageError(`--scope must be read or admin (got ${s})`);
      return scope;
    });
    const res = await ctx.client.keys.createKey({ name: name as string, scopes }, { timeoutMs: ctx.timeoutMs });
    if (ctx.json) printJson(ctx.io, toJson(CreateKeyResponseSchema, res));
    else ctx.io.out(`created key ${res.info?.name} (scopes: ${scopeWords(res.info)})\n\n  ${res.key}\n\nStore it now: it is shown only once.\n`);
    return 0;
  }
  if (sub === "revoke") {
    const res = await ctx.client.keys.revokeKey({ name: name as string }, { timeoutMs: ctx.timeoutMs });
    if (ctx.json) printJson(ctx.io, toJson(RevokeKeyResponseSchema, res));
    else ctx.io.out(`revoked ${res.info?.name} (servers stop accepting it within 5 s)\n`);
    return 0;
  }
  const res = await ctx.client.keys.listKeys({}, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx.io, toJson(ListKeysResponseSchema, res));
    return 0;
  }
  if (res.keys.length === 0) ctx.io.out("no keys\n");
  for (const k of res.keys) {
    const state = k.revokedAt ? ctx.style.dim(`revoked ${time(k.revokedAt)}`) : ctx.style.green("active");
    ctx.io.out(`${k.name.padEnd(24)} ${scopeWords(k).padEnd(12)} bh_${k.keyId}_…  created ${time(k.createdAt)}  ${state}\n`);
  }
  return 0;
}

function scopeWords(k: KeyInfo | undefined): string {
  return (k?.scopes ?? []).map((s) => enumWord(KeyScope, s)).join(",");
}

/** grpc.health.v1 for the server and each service; needs no key. */
export async function health(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw new UsageError(`unexpected argument ${ctx.args[0]}`);
  const names = ["", ...BEHOLDER_SERVICES];
  const answers = await Promise.all(names.map((service) => ctx.client.health.check({ service }, { timeoutMs: ctx.timeoutMs })));
  const statuses = Object.fromEntries(names.map((n, i) => [n || "server", Serving[answers[i]?.status ?? Serving.UNKNOWN] ?? "UNKNOWN"]));
  const serving = answers.every((a) => a.status === Serving.SERVING);
  if (ctx.json) printJson(ctx.io, { serving, statuses });
  else for (const [n, s] of Object.entries(statuses)) ctx.io.out(`${n.padEnd(30)} ${s === "SERVING" ? ctx.style.green(s) : ctx.style.red(s)}\n`);
  return serving ? EXIT.ok : EXIT.unhealthy;
}
