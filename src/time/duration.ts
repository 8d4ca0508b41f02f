/**
 * A duration in the words agents read, in the diagnosis's sentences and in the console alike:
 * "40 s", "25 min", "2 h", "2 h 10 min", "3 d". Pure (no Node API): the console imports it too.
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 || h >= 10 ? `${h} h` : `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d`;
}
