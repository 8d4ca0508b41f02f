/** `YYYY-MM-DD HH:MM:SS` in a zone, without offset: how SmartOLT and RouterOS 7 write instants. */
export function localTime(d: Date, timeZone: string): string {
  // sv-SE formats as ISO-like "2026-03-10 14:10:00".
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(d);
}

/** RouterOS' interval notation: `3d4h12m5s`, `1w2d3h`, `0s`. */
export function routerOsDuration(seconds: number): string {
  let s = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of [["w", 604_800], ["d", 86_400], ["h", 3600], ["m", 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join("");
}
