/** The watch benchmark's section of docs/BENCHMARKS.md. */
import { machineLine, section, type RunInfo } from "./report.js";
import type { WatchBenchResult, WatchPhase } from "./watch.bench.js";

const f1 = (x: number): string => x.toFixed(1);
const table = (head: string[], rows: (string | number)[][]): string =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

function endpoints(p: WatchPhase): string {
  const parts: string[] = [];
  for (const [vendor, byOp] of Object.entries(p.byEndpoint)) {
    // RouterOS keys are "<router> <command>": add routers up per command.
    const merged: Record<string, number> = {};
    for (const [op, n] of Object.entries(byOp)) {
      const key = vendor === "routeros" ? op.slice(op.indexOf(" ") + 1) : op;
      merged[key] = (merged[key] ?? 0) + n;
    }
    for (const [op, n] of Object.entries(merged)) parts.push(`${vendor} ${op} ${f1((n / p.windowS) * 60)}`);
  }
  return parts.join("; ") || "none";
}

export function watchSection(r: WatchBenchResult, run: RunInfo): string {
  const o = r.options;
  const rows = r.phases.map((p) => [
    `${p.streams} streams / ${p.users} users`,
    `${p.ready}/${p.streams} in ${f1(p.openMs / 1000)} s`,
    `${f1(p.rssMb.before)} → ${f1(p.rssMb.mean)} (max ${f1(p.rssMb.max)})`,
    `${f1(p.loopDelayMs.p50)} / ${f1(p.loopDelayMs.p99)} / ${f1(p.loopDelayMs.max)}`,
    f1(p.perMinute.smartolt ?? 0),
    f1(p.perMinute.routeros ?? 0),
    f1(p.perMinute.ispcube ?? 0),
    `${p.updates} / ${p.heartbeats}`,
    `${p.onuStatusIntervalS} s${p.stretched ? " (stretched)" : ""}, ${p.onuGroups} groups`,
  ]);
  const body = [
    `### Watch: ${o.streams} streams over ${o.users} users for ${o.seconds} s`,
    "",
    machineLine(run),
    "",
    `A generated ISP of ${o.subscribers} subscribers (seed 1) in the lab (its own process); ${o.users} users with an online ONU and a`,
    "PPPoE session, spread over the ISP; the clients (gRPC over h2c) in a third process. The baseline is one stream per user in the",
    "same run, on the same server. Default watch settings: 10 s interval, SmartOLT share 30% of 1,000 calls/h.",
    "",
    table(
      ["phase", "opened", "RSS MB (before → mean, max)", "loop delay ms p50 / p99 / max", "SmartOLT /min", "RouterOS /min", "ISPCube /min", "updates / heartbeats", "ONU poll"],
      rows,
    ),
    "",
    ...r.phases.map((p) => `- ${p.streams} streams, calls per minute by endpoint: ${endpoints(p)}.`),
    ...r.phases.filter((p) => p.breakersOpen > 0).map((p) => `- ${p.streams} streams: ${p.breakersOpen} breakers were still open when the window started.`),
    ...r.phases
      .filter((p) => p.afterCancel.calls > 0)
      .map((p) => `- ${p.streams} streams, calls in the 5 s after cancelling: ${JSON.stringify(p.afterCancel.byEndpoint)}.`),
    "",
    ...r.targets.map((t) => `- ${t.name}: ${t.value} — ${t.pass ? "**pass**" : "**FAIL**"}`),
  ];
  return section("watch", body.join("\n"));
}
