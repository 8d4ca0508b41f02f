import type { TrafficSample } from "../watch.js";
import { formatBps } from "../format.js";

const W = 320;
const H = 120;
const PAD = 4;

/** Live download and upload against the plan's download speed: a small line chart drawn in SVG. */
export function TrafficChart({ samples, planBps, hasSession }: { samples: TrafficSample[]; planBps: number | undefined; hasSession: boolean }) {
  if (!hasSession) return <p class="muted" data-testid="traffic-empty">Sin sesión PPPoE: no hay tráfico para mostrar.</p>;
  if (samples.length === 0) return <p class="muted" data-testid="traffic-empty">Esperando la primera muestra de tráfico del router…</p>;
  const last = samples[samples.length - 1] as TrafficSample;
  // One sample is a level, not a point: draw it across the chart until the next one comes.
  if (samples.length === 1) samples = [last, last];
  const top = Math.max(planBps ?? 0, ...samples.map((s) => Math.max(s.downloadBps, s.uploadBps)), 1) * 1.1;
  const span = Math.max(1, samples.length - 1);
  const px = (i: number): number => PAD + (i / span) * (W - 2 * PAD);
  const py = (v: number): number => H - PAD - (v / top) * (H - 2 * PAD);
  const line = (pick: (s: TrafficSample) => number): string => samples.map((s, i) => `${px(i).toFixed(1)},${py(pick(s)).toFixed(1)}`).join(" ");
  const share = planBps ? Math.round((last.downloadBps / planBps) * 100) : undefined;
  const summary = `Bajada ${formatBps(last.downloadBps)}, subida ${formatBps(last.uploadBps)}` +
    (planBps ? `; plan ${formatBps(planBps)} (${share} % del plan)` : "");
  return (
    <figure class="traffic" data-testid="traffic-chart">
      <svg viewBox={`0 0 ${W} ${H}`} class="traffic-svg" role="img" aria-label={`Tráfico en vivo. ${summary}`}>
        <rect class="chart-bg" x={0} y={0} width={W} height={H} />
        {planBps !== undefined && <line class="chart-plan" x1={PAD} x2={W - PAD} y1={py(planBps)} y2={py(planBps)} />}
        {planBps !== undefined && <text class="chart-plan-label" x={W - PAD - 2} y={py(planBps) - 3} text-anchor="end">plan {formatBps(planBps)}</text>}
        <text class="chart-axis" x={PAD + 2} y={PAD + 9}>{formatBps(top)}</text>
        <polyline class="chart-down" points={line((s) => s.downloadBps)} />
        <polyline class="chart-up" points={line((s) => s.uploadBps)} />
      </svg>
      <figcaption>
        <span class="key key-down">Bajada</span> <span class="key key-up">Subida</span>{" "}
        {planBps !== undefined && <span class="key key-plan">Velocidad del plan</span>}
        <span class="traffic-now">{summary}</span>
      </figcaption>
    </figure>
  );
}
