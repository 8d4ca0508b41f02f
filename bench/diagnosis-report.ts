import type { DiagnosisBenchResult } from "./diagnosis.bench.js";
import { LAB_LATENCY_MS } from "./diagnosis.bench.js";
import { machineLine, section, type RunInfo } from "./report.js";

const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

export function diagnosisSection(r: DiagnosisBenchResult, run: RunInfo): string {
  const slowest = Math.max(...Object.values(LAB_LATENCY_MS));
  const target = 1.2 * slowest;
  const lines = [
    "### Diagnosis: results",
    "",
    machineLine(run),
    "",
    `Lab: a generated ISP of ${r.options.subscribers} subscribers in this process, vendor latencies SmartOLT ${LAB_LATENCY_MS.smartolt} ms, ` +
      `ISPCube ${LAB_LATENCY_MS.ispcube} ms, RouterOS ${LAB_LATENCY_MS.routeros} ms (lab faults). Calls are Connect JSON over HTTP/1.1 to a real server on 127.0.0.1, one at a time after 10 unmeasured.`,
    "",
    "#### Latency",
    "",
    "| what | n | p50 | p99 | mean |",
    "|---|---|---|---|---|",
    `| GetDiagnosis, every source live (SmartOLT status + signal, ISPCube customer, RouterOS secret, session, queue, log) | ${r.live.n} | ${ms(r.live.p50)} | ${ms(r.live.p99)} | ${ms(r.live.mean)} |`,
    `| the same vendor reads one after the other (the old system's way), same clients | ${r.sequential.n} | ${ms(r.sequential.p50)} | ${ms(r.sequential.p99)} | ${ms(r.sequential.mean)} |`,
    `| GetDiagnosis with cache_only | ${r.cachedOnly.n} | ${ms(r.cachedOnly.p50)} | ${ms(r.cachedOnly.p99)} | ${ms(r.cachedOnly.mean)} |`,
    `| no-op RPC (grpc.health.v1 Health/Check, Connect JSON), same run | ${r.noop.n} | ${ms(r.noop.p50)} | ${ms(r.noop.p99)} | ${ms(r.noop.mean)} |`,
    "",
    "#### SmartOLT calls for a burst of distinct users",
    "",
    "| cache | diagnoses (in flight) | SmartOLT calls | SmartOLT live / cached | paused for the sync's reserve | Beholder's hourly budget used / limit (reserve) | wall |",
    "|---|---|---|---|---|---|---|",
    ...r.bursts.map(
      (b) =>
        `| ${b.cache === "fresh" ? "fresh (status job just ran)" : "older than DIAG_SMARTOLT_LIVE_AFTER_S"} | ${b.diagnoses} (${r.options.burstConcurrency}) | ${b.smartoltCalls} | ${b.live} / ${b.cached} | ${b.pausedForReserve} | ${b.budgetUsed} / ${b.budgetLimit} (${b.reserve}) | ${(b.wallMs / 1000).toFixed(1)} s |`,
    ),
    "",
    ...r.bursts.filter((b) => b.errors > 0).map((b) => `Burst (${b.cache}): ${b.errors} calls failed; the first: ${b.firstError ?? "?"}`),
    "",
    "#### Targets",
    "",
    "| target | value | pass |",
    "|---|---|---|",
    `| live p50 ≤ 1.2 × the slowest source (${ms(target)}) | ${ms(r.live.p50)} (${(r.live.p50 / slowest).toFixed(2)} ×) | ${r.live.p50 <= target ? "yes" : "no"} |`,
    `| live p50 below the sequential sum's p50 | ${(r.sequential.p50 / r.live.p50).toFixed(2)} × faster | ${r.live.p50 < r.sequential.p50 ? "yes" : "no"} |`,
    `| cache-only p99 against the no-op RPC's p99 | ${(r.cachedOnly.p99 / r.noop.p99).toFixed(1)} × (${ms(r.cachedOnly.p99)} vs ${ms(r.noop.p99)}) | — |`,
    ...r.bursts.map(
      (b) =>
        `| burst (${b.cache} cache) leaves the sync's reserve | ${b.budgetUsed} used of ${b.budgetLimit}, reserve ${b.reserve} | ${b.budgetUsed <= b.budgetLimit - b.reserve ? "yes" : "no"} |`,
    ),
  ];
  return section("diagnosis", lines.join("\n"));
}
