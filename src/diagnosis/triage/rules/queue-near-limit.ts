import type { Rule } from "../rule.js";
import { evidence, finding, threshold } from "../rule.js";
import { queueLimits, queueSaturated } from "./queue-saturated.js";
import { formatRate } from "../../format.js";

/** The queue's current rate at the limit, but not observed long enough to call it sustained. */
export const queueNearLimit: Rule = {
  id: "queue.near_limit",
  evaluate(facts, options) {
    const q = facts.queue;
    if (q === null || queueSaturated.evaluate(facts, options) !== null) return null;
    const { down, up } = queueLimits(q, facts);
    const pct = options.thresholds.queueSaturationPercent / 100;
    const isDown = down > 0 && q.downloadBps >= pct * down;
    if (!isDown && !(up > 0 && q.uploadBps >= pct * up)) return null;
    const [rate, limit] = isDown ? [q.downloadBps, down] : [q.uploadBps, up];
    return finding(
      "queue.near_limit",
      "info",
      `Cola en ${formatRate(rate)} de ${formatRate(limit)} en este momento (no sostenido): puede estar usando todo su plan.`,
      [evidence("routeros", isDown ? "queue.download_bps" : "queue.upload_bps", String(rate), q)],
      [threshold(options, "queueSaturationPercent")],
    );
  },
};
