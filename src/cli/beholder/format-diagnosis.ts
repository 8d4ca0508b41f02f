/** Pure text renderings of a diagnosis and a traffic reading, for the beholder CLI. */
import { timestampDate, type Duration, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Freshness, Source, UnavailableReason, type SourceStatus } from "../../../gen/beholder/v1/common_pb.js";
import { Action, Confidence, Severity, type Diagnosis, type Evidence, type Finding, type Traffic } from "../../../gen/beholder/v1/diagnosis_pb.js";
import type { Style } from "./style.js";

/** An enum value's name without its prefix, lower-case: Action.NETWORK_INCIDENT → "network incident". */
export function enumWord(names: Record<number, string>, value: number): string {
  return (names[value] ?? String(value)).toLowerCase().replace(/_/g, " ");
}

export function actionColour(style: Style, action: Action): (s: string) => string {
  switch (action) {
    case Action.DISPATCH:
      return style.red;
    case Action.NETWORK_INCIDENT:
      return style.magenta;
    case Action.BILLING:
      return style.yellow;
    case Action.REMOTE:
      return style.cyan;
    case Action.NO_ACTION:
      return style.green;
    default:
      return (s) => s;
  }
}

export function time(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toISOString().replace(/\.\d{3}Z$/, "Z") : "—";
}

export function ms(d: Duration | undefined): number {
  return d ? Number(d.seconds) * 1000 + Math.round(d.nanos / 1e6) : 0;
}

/** "3 min ago", "2 h ago", from an instant and now. */
export function age(ts: Timestamp | undefined, now: Date): string {
  if (!ts) return "";
  const s = Math.max(0, Math.round((now.getTime() - timestampDate(ts).getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function mbps(bps: bigint | number): string {
  return `${(Number(bps) / 1e6).toFixed(1)} Mbit/s`;
}

const SEVERITY_WORD: Record<Severity, string> = {
  [Severity.UNSPECIFIED]: "INFO",
  [Severity.INFO]: "INFO",
  [Severity.WARNING]: "WARN",
  [Severity.CRITICAL]: "CRIT",
};

/** The verdict first (coloured by action), then findings with their evidence, then each source's freshness. */
export function formatDiagnosis(d: Diagnosis, style: Style, now: Date): string {
  const lines: string[] = [];
  const v = d.verdict;
  const action = v?.action ?? Action.UNSPECIFIED;
  const who = [d.pppoeUser || d.onu?.serial || d.customer?.code || "?", d.customer?.name, d.customer?.code ? `#${d.customer.code}` : ""].filter(Boolean).join("  ");
  lines.push(`${style.bold(actionColour(style, action)(enumWord(Action, action).toUpperCase()))}  ${who}`);
  if (v) {
    lines.push(`  confidence ${enumWord(Confidence, v.confidence)}${v.confidenceReason ? ` (${v.confidenceReason})` : ""}; rule ${v.ruleId}`);
    if (v.agentMessage) lines.push(`  agent:    ${v.agentMessage}`);
    if (v.customerMessage) lines.push(`  customer: ${v.customerMessage}`);
  }
  if (d.incident) lines.push(`  incident: ${style.magenta(d.incident.summary || d.incident.id)} (since ${time(d.incident.startedAt)})`);
  lines.push("", style.bold("Findings"));
  if (d.findings.length === 0) lines.push("  none");
  for (const f of d.findings) lines.push(...formatFinding(f, style));
  lines.push("", style.bold("Sources"));
  for (const s of d.sources) lines.push(formatSource(s, style, now));
  return `${lines.join("\n")}\n`;
}

function formatFinding(f: Finding, style: Style): string[] {
  const word = SEVERITY_WORD[f.severity];
  const colour = f.severity === Severity.CRITICAL ? style.red : f.severity === Severity.WARNING ? style.yellow : style.dim;
  const lines = [`  ${colour(word.padEnd(4))} ${f.ruleId}: ${f.summary}`];
  for (const e of f.evidence) lines.push(`         ${style.dim("·")} ${formatEvidence(e)}`);
  if (f.thresholds.length > 0) lines.push(`         ${style.dim(`thresholds: ${f.thresholds.map((t) => `${t.name} ${t.value}${t.unit ? ` ${t.unit}` : ""}`).join(", ")}`)}`);
  return lines;
}

function formatEvidence(e: Evidence): string {
  const src = enumWord(Source, e.source);
  return `${src} ${e.field} = ${e.value}${e.observedAt ? ` at ${time(e.observedAt)}` : ""}${e.freshness ? ` (${enumWord(Freshness, e.freshness)})` : ""}`;
}

export function formatSource(s: SourceStatus, style: Style, now: Date): string {
  const fresh = enumWord(Freshness, s.freshness).toUpperCase();
  const colour = s.freshness === Freshness.LIVE ? style.green : s.freshness === Freshness.CACHED ? style.yellow : style.red;
  const parts = [`  ${enumWord(Source, s.source).padEnd(9)} ${colour(fresh.padEnd(11))}`];
  if (s.asOf) parts.push(`as of ${time(s.asOf)} (${age(s.asOf, now)})`);
  if (s.reason) parts.push(`reason: ${enumWord(UnavailableReason, s.reason)}`);
  if (s.detail) parts.push(s.detail);
  if (s.latency) parts.push(style.dim(`${ms(s.latency)} ms`));
  return parts.join("  ");
}

export function formatTraffic(user: string, t: Traffic | undefined, plan: { downloadKbps: bigint; uploadKbps: bigint } | undefined): string {
  if (!t) return `${user}: no traffic reading (no PPPoE session, or the router did not answer)`;
  const of = plan && plan.downloadKbps > 0n ? ` of ${Number(plan.downloadKbps) / 1000}/${Number(plan.uploadKbps) / 1000} Mbit/s` : "";
  return `${user}: down ${mbps(t.downloadBps)}  up ${mbps(t.uploadBps)}${of}  at ${time(t.measuredAt)}`;
}
