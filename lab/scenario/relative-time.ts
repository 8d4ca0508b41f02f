import type { Scenario } from "./types.js";

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const DURATION = /^([+-]?)((?:\d+(?:ms|w|d|h|m|s))+)$/;
const PART = /(\d+)(ms|w|d|h|m|s)/g;

/** Parses "2h", "-1d30m", "+90s", "250ms" into milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  let total = 0;
  for (const [, n, unit] of (match[2] ?? "").matchAll(PART)) total += Number(n) * (UNIT_MS[unit ?? ""] ?? 0);
  return match[1] === "-" ? -total : total;
}

/** An instant written as ISO-8601 or as a signed duration relative to `nowMs`, as ISO-8601 UTC. */
export function resolveInstant(value: string, nowMs: number): string {
  if (value.startsWith("-") || value.startsWith("+")) {
    const offset = parseDuration(value);
    if (offset !== undefined) return new Date(nowMs + offset).toISOString();
  }
  return value;
}

/**
 * Rewrites every relative instant of a scenario (e.g. `"lastStatusChange": "-25m"`) into ISO-8601 UTC
 * against `scenario.now`, in place. Simulators only ever see absolute instants.
 */
export function resolveRelativeTimes(scenario: Scenario): Scenario {
  const now = Date.parse(scenario.now);
  const at = (v: string): string => resolveInstant(v, now);
  const maybe = (v: string | null | undefined): string | null | undefined => (typeof v === "string" ? at(v) : v);
  for (const onu of scenario.smartolt.onus) {
    onu.lastStatusChange = at(onu.lastStatusChange);
    onu.updatedAt = at(onu.updatedAt);
    onu.authorizationDate = at(onu.authorizationDate);
  }
  const isp = scenario.ispcube;
  for (const c of isp.customers) {
    c.createdAt = at(c.createdAt);
    if (c.blockDate !== undefined) c.blockDate = maybe(c.blockDate);
    if (c.deletedAt !== undefined) c.deletedAt = maybe(c.deletedAt);
  }
  for (const c of isp.connections) {
    c.createdAt = at(c.createdAt);
    if (c.deleteDate !== undefined) c.deleteDate = maybe(c.deleteDate);
  }
  for (const t of isp.tickets ?? []) t.createdAt = at(t.createdAt);
  for (const router of scenario.routers) {
    for (const s of router.secrets) if (s.lastLoggedOut !== undefined) s.lastLoggedOut = maybe(s.lastLoggedOut);
    for (const s of router.active) s.since = at(s.since);
    for (const l of router.logs) l.time = at(l.time);
  }
  return scenario;
}
