/** beholder diagnose | traffic | search | incidents: the read-scope commands. */
import { toJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { CustomerStatus, OnuStatus, Source } from "../../../gen/beholder/v1/common_pb.js";
import {
  GetDiagnosisResponseSchema,
  GetLiveTrafficResponseSchema,
  IncidentKind,
  ListIncidentsResponseSchema,
  WatchDiagnosisResponseSchema,
  WatchEventKind,
  type WatchDiagnosisResponse,
} from "../../../gen/beholder/v1/diagnosis_pb.js";
import { SearchResponseSchema } from "../../../gen/beholder/v1/search_pb.js";
import { UsageError } from "../args.js";
import { flag, opt, printJson, type CommandContext } from "./command.js";
import { EXIT } from "./exit.js";
import { enumWord, formatDiagnosis, formatTraffic, ms, time } from "./format-diagnosis.js";

type Target = { pppoeUser: string } | { onuSerial: string } | { customerCode: string };

/** A SmartOLT serial (vendor prefix + 8 hex digits) or a customer code (digits); anything else is a PPPoE user. */
export function targetOf(value: string, as: string | undefined): Target {
  const v = value.trim();
  if (as === "user") return { pppoeUser: v };
  if (as === "serial") return { onuSerial: v };
  if (as === "code") return { customerCode: v };
  if (as !== undefined) throw new UsageError("--as must be user, serial or code");
  if (/^\d{1,10}$/.test(v)) return { customerCode: v };
  if (/^[A-Za-z]{4}[0-9A-Fa-f]{8}$/.test(v)) return { onuSerial: v };
  return { pppoeUser: v };
}

function oneArg(ctx: CommandContext, what: string): string {
  const [value, ...extra] = ctx.args;
  if (!value) throw new UsageError(`a ${what} is needed`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  return value;
}

function intervalOf(ctx: CommandContext): { seconds: bigint } | undefined {
  const raw = opt(ctx, "interval");
  if (raw === undefined) return undefined;
  const s = Number(raw);
  if (!Number.isInteger(s) || s < 1 || s > 3600) throw new UsageError("--interval must be whole seconds, 1 to 3600");
  return { seconds: BigInt(s) };
}

export async function diagnose(ctx: CommandContext): Promise<number> {
  const target = targetOf(oneArg(ctx, "PPPoE user, ONU serial or customer code"), opt(ctx, "as"));
  const includeTraffic = flag(ctx, "traffic");
  if (flag(ctx, "watch")) {
    if (flag(ctx, "cache-only")) throw new UsageError("--cache-only does not go with --watch");
    return watch(ctx, { ...target, includeTraffic, interval: intervalOf(ctx) }, (m) => renderWatch(ctx, m));
  }
  if (opt(ctx, "interval") !== undefined) throw new UsageError("--interval goes with --watch");
  const res = await ctx.client.diagnosis.getDiagnosis({ ...target, includeTraffic, cacheOnly: flag(ctx, "cache-only") }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) printJson(ctx.io, toJson(GetDiagnosisResponseSchema, res));
  else if (res.diagnosis) ctx.io.out(formatDiagnosis(res.diagnosis, ctx.style, ctx.now()));
  return 0;
}

/** Follows WatchDiagnosis until the server ends it (OK) or Ctrl-C; both exit 0. */
async function watch(
  ctx: CommandContext,
  req: Target & { includeTraffic: boolean; interval: { seconds: bigint } | undefined },
  render: (m: WatchDiagnosisResponse) => void,
): Promise<number> {
  try {
    for await (const m of ctx.client.diagnosis.watchDiagnosis(req, { signal: ctx.signal })) {
      if (ctx.json) printJson(ctx.io, toJson(WatchDiagnosisResponseSchema, m));
      else render(m);
    }
    if (!ctx.json) ctx.io.err("the server ended the watch (it does after its maximum duration or when stopping); run it again to go on\n");
    return 0;
  } catch (err) {
    if (ctx.signal.aborted && ConnectError.from(err).code === Code.Canceled) return 0;
    throw err;
  }
}

function renderWatch(ctx: CommandContext, m: WatchDiagnosisResponse): void {
  if (m.kind === WatchEventKind.HEARTBEAT || !m.diagnosis) return;
  const when = time(m.diagnosis.generatedAt);
  const what = m.kind === WatchEventKind.FULL ? "first reading" : `changed: ${m.changedFields.join(", ")}`;
  const polling = m.polling
    ? `ONU every ${ms(m.polling.onuStatusInterval) / 1000} s${m.polling.stretched ? " (stretched by SmartOLT's budget)" : ""}, session every ${ms(m.polling.sessionInterval) / 1000} s`
    : "";
  const footer = ctx.style.dim(`watching · ${when} · ${what}${polling ? ` · ${polling}` : ""} · Ctrl-C to stop`);
  // On a terminal the screen is redrawn in place; piped, each change follows the last.
  if (ctx.tty) ctx.io.out(`\u001b[H\u001b[2J${formatDiagnosis(m.diagnosis, ctx.style, ctx.now())}\n${footer}\n`);
  else ctx.io.out(`${m.kind === WatchEventKind.FULL ? "" : "\n"}--- ${when} ${what}\n${formatDiagnosis(m.diagnosis, ctx.style, ctx.now())}`);
}

export async function traffic(ctx: CommandContext): Promise<number> {
  const target = targetOf(oneArg(ctx, "PPPoE user"), opt(ctx, "as"));
  if (flag(ctx, "watch")) {
    let last = "";
    return watch(ctx, { ...target, includeTraffic: true, interval: intervalOf(ctx) }, (m) => {
      const d = m.diagnosis;
      if (!d || (m.kind !== WatchEventKind.FULL && !m.changedFields.includes("traffic"))) return;
      const line = formatTraffic(d.pppoeUser, d.traffic, d.plan);
      if (line === last) return;
      last = line;
      ctx.io.out(ctx.tty ? `\r\u001b[2K${line}` : `${line}\n`);
    });
  }
  if (opt(ctx, "interval") !== undefined) throw new UsageError("--interval goes with --watch");
  const res = await ctx.client.diagnosis.getLiveTraffic(target, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) printJson(ctx.io, toJson(GetLiveTrafficResponseSchema, res));
  else ctx.io.out(`${formatTraffic(res.pppoeUser, res.traffic, res.plan)}${res.router ? ` (router ${res.router.name})` : ""}\n`);
  return 0;
}

function limitOf(ctx: CommandContext, max: number): number {
  const raw = opt(ctx, "limit");
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--limit must be 1 to ${max}`);
  return n;
}

export async function search(ctx: CommandContext): Promise<number> {
  if (ctx.args.length === 0) throw new UsageError("search needs the text to look for");
  const res = await ctx.client.search.search({ query: ctx.args.join(" "), pageSize: limitOf(ctx, 100) }, { timeoutMs: ctx.timeoutMs });
  // No match is "not found" for scripts too, JSON or not.
  if (ctx.json) {
    printJson(ctx.io, toJson(SearchResponseSchema, res));
    return res.results.length === 0 ? EXIT.notFound : EXIT.ok;
  }
  if (res.results.length === 0) {
    ctx.io.err("no matches\n");
    return EXIT.notFound;
  }
  for (const r of res.results) {
    const status = r.customerStatus ? enumWord(CustomerStatus, r.customerStatus) : "";
    const onu = r.onuSerial ? `${r.onuSerial} ${r.onuStatus ? enumWord(OnuStatus, r.onuStatus) : ""}`.trim() : "";
    const known = r.knownIn.map((s) => enumWord(Source, s)).join("+");
    ctx.io.out(`${ctx.style.bold((r.pppoeUser || "(no pppoe)").padEnd(20))} ${r.customerName.padEnd(28)} ${r.customerCode.padEnd(8)} ${status.padEnd(10)} ${onu.padEnd(22)} ${ctx.style.dim(known)}\n`);
  }
  if (res.nextPageToken) ctx.io.err("more results: narrow the text, or --limit up to 100\n");
  return 0;
}

export async function incidents(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw new UsageError(`unexpected argument ${ctx.args[0]}`);
  const res = await ctx.client.diagnosis.listIncidents({ oltId: opt(ctx, "olt") ?? "", pageSize: limitOf(ctx, 500) }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx.io, toJson(ListIncidentsResponseSchema, res));
    return 0;
  }
  ctx.io.out(`${res.totalSize} incident(s), from the status snapshot of ${time(res.asOf)} (${ms(res.snapshotAge) / 1000} s old)\n`);
  for (const i of res.incidents) {
    const where = [i.oltName || i.oltId, `PON ${i.board}/${i.port}`, i.odbName].filter(Boolean).join(" ");
    ctx.io.out(`  ${ctx.style.magenta(enumWord(IncidentKind, i.kind).padEnd(12))} ${where}: ${i.onusAffected}/${i.onusTotal} ONUs (LOS ${i.losCount}, power ${i.powerFailCount}) since ${time(i.startedAt)}\n`);
    if (i.summary) ctx.io.out(`      ${i.summary}\n`);
  }
  return 0;
}
