import type { QueueFacts, TriageFacts } from "../facts.js";
import type { Rule } from "../rule.js";
import { evidence, finding, threshold } from "../rule.js";
import { formatDuration, formatRate } from "../../format.js";

/** §4: the queue at its max-limit for a sustained period: the customer fills their own plan. */
export const queueSaturated: Rule = {
  id: "queue.saturated",
  evaluate(facts, options) {
    const q = facts.queue;
    if (q === null || facts.traffic.length === 0) return null;
    const t = options.thresholds;
    const limits = queueLimits(q, facts);
    const samples = [...facts.traffic].sort((a, b) => a.at.getTime() - b.at.getTime());
    const last = samples[samples.length - 1]!;
    const from = last.at.getTime() - t.queueSustainedS * 1000;
    if (samples[0]!.at.getTime() > from) return null; // not observed long enough to say "sustained"
    const window = samples.filter((s) => s.at.getTime() >= from);
    const pct = t.queueSaturationPercent / 100;
    const dir =
      limits.down > 0 && window.every((s) => s.downloadBps >= pct * limits.down)
        ? ("down" as const)
        : limits.up > 0 && window.every((s) => s.uploadBps >= pct * limits.up)
          ? ("up" as const)
          : null;
    if (dir === null) return null;
    const limit = dir === "down" ? limits.down : limits.up;
    const avg = window.reduce((s, x) => s + (dir === "down" ? x.downloadBps : x.uploadBps), 0) / window.length;
    const obs = { observedAt: last.at, freshness: q.freshness };
    return finding(
      "queue.saturated",
      "warning",
      `Cola en ${formatRate(avg)} de ${formatRate(limit)} de ${dir === "down" ? "bajada" : "subida"} sostenido ${formatDuration(t.queueSustainedS)}: el cliente usa todo su plan.`,
      [evidence("routeros", `traffic.${dir === "down" ? "download" : "upload"}_bps.mean`, String(Math.round(avg)), obs), evidence("routeros", `queue.max_${dir === "down" ? "download" : "upload"}_bps`, String(limit), q)],
      [threshold(options, "queueSaturationPercent"), threshold(options, "queueSustainedS")],
    );
  },
};

/** max-limit per direction; a queue without one is limited by the plan's speed. */
export function queueLimits(q: QueueFacts, facts: TriageFacts): { down: number; up: number } {
  return {
    down: q.maxDownloadBps > 0 ? q.maxDownloadBps : (facts.plan?.downloadKbps ?? 0) * 1000,
    up: q.maxUploadBps > 0 ? q.maxUploadBps : (facts.plan?.uploadKbps ?? 0) * 1000,
  };
}
