import { levelOf, LEVEL_LABEL, type Band } from "../bands.js";
import { formatDbm } from "../format.js";

/** The scale drawn, in dBm: from a dead link to well past overload. */
const MIN = -32;
const MAX = -4;
const W = 300;
const x = (v: number): number => ((Math.min(MAX, Math.max(MIN, v)) - MIN) / (MAX - MIN)) * W;

/** One optical level on its bands: failed | critical | warning | good | overload, and a marker at the value. */
export function LevelBar({ label, value, band, testId }: { label: string; value: number | undefined; band: Band; testId: string }) {
  const level = value === undefined ? undefined : levelOf(value, band);
  const low = band.failed ?? band.critical;
  const segments: [from: number, to: number, cls: string][] = [
    [MIN, low, "band-failed"],
    ...(band.failed !== undefined ? [[band.failed, band.critical, "band-critical"] as [number, number, string]] : []),
    [band.critical, band.warning, "band-warning"],
    [band.warning, band.overload, "band-good"],
    [band.overload, MAX, "band-overload"],
  ];
  const range = `bueno entre ${formatDbm(band.warning)} y ${formatDbm(band.overload)}`;
  return (
    <div class="level" data-testid={testId} data-level={level ?? "none"}>
      <div class="level-text">
        <span class="level-label">{label}</span>
        <strong class="level-value">{formatDbm(value)}</strong>
        {level && <span class={`chip level-${level}`}>{LEVEL_LABEL[level]}</span>}
      </div>
      <svg class="level-bar" viewBox={`0 0 ${W} 18`} preserveAspectRatio="none" role="img"
        aria-label={`${label}: ${formatDbm(value)}${level ? `, ${LEVEL_LABEL[level]}` : ""} (${range})`}>
        {segments.map(([from, to, cls]) => <rect key={cls} class={cls} x={x(from)} y={4} width={Math.max(0, x(to) - x(from))} height={10} />)}
        {value !== undefined && <rect class="level-marker" x={x(value) - 2} y={0} width={4} height={18} />}
      </svg>
      <span class="muted small">{range}</span>
    </div>
  );
}
