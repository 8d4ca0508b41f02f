/** Sort-based summaries of latency samples (milliseconds). */
export interface Latency {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.length ? sum / sorted.length : NaN };
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

