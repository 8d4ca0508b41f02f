import type { OnuFacts } from "../facts.js";
import type { Thresholds } from "../../thresholds.js";
import { median } from "../../format.js";

/** The ONU's own recent Rx median, from the kept samples inside the lookback; null with too few. */
export function ownRxMedian(onu: OnuFacts, now: Date, t: Thresholds): { median: number; samples: number } | null {
  const from = now.getTime() - t.rxMedianLookbackS * 1000;
  const values = onu.signalHistory
    .filter((s) => s.rxPowerDbm !== null && s.at.getTime() >= from && s.at <= now)
    .map((s) => s.rxPowerDbm as number);
  if (values.length < t.rxMedianMinSamples) return null;
  return { median: median(values)!, samples: values.length };
}

/** A peer's drop against its own median (samples kept by the sync); null with too few samples. */
export function peerDrop(current: number | null, samples: number[], t: Thresholds): number | null {
  if (current === null || samples.length < t.rxMedianMinSamples) return null;
  return median(samples)! - current;
}
