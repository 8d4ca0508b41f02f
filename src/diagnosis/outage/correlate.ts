import type { Thresholds } from "../thresholds.js";
import type { Incident, IncidentKind, OnuStatusRow, OutageSnapshot } from "./types.js";
import { actionable, clusters, type Cluster } from "./clusters.js";

/**
 * Incidents from the latest ONU status snapshot (triage.md §3). Pure. LOS and Power fail are counted
 * apart; bare Offline is never evidence; each event is reported once, at its widest scope.
 */
export function computeIncidents(rows: OnuStatusRow[], now: Date, t: Thresholds, asOf: Date | null = null): Incident[] {
  const poll = t.pollIntervalS * 1000;
  const oldest = now.getTime() - t.incidentMaxAgeS * 1000;
  const out: Incident[] = [];

  for (const port of groupBy(rows, (r) => (r.board === null || r.port === null ? null : `${r.oltId}:${r.board}:${r.port}`))) {
    const ref = port[0]!;
    const id = `pon:${ref.oltId}:${ref.board}:${ref.port}`;
    const grace = t.partialLosWindowCycles * poll;
    const down = losEvent(port, t.ponDownWindowCycles * poll, grace, now, oldest, (n) => Math.max(t.partialLosMinOnus, Math.ceil((t.ponDownPercent / 100) * n)));
    if (down !== null) {
      out.push(incident(id, "pon_down", "pon", port, down, t.ponDownWindowCycles * poll, asOf));
      continue;
    }
    const partial = losEvent(port, grace, grace, now, oldest, (n) => partialRequired(t, n));
    // One ODB's LOS is that ODB's incident (narrower cause, the splitter); several ODBs make it the port's.
    if (partial !== null && new Set(partial.rows.map((r) => r.odbName ?? "")).size > 1) {
      out.push(incident(id, "partial_los", "pon", port, partial, t.partialLosWindowCycles * poll, asOf));
    }
  }

  const covered = new Set(out.flatMap((i) => i.memberIds));
  for (const odb of groupBy(rows, (r) => (r.odbName === null ? null : `${r.oltId}:${r.odbName}`))) {
    const ref = odb[0]!;
    const partial = losEvent(odb, t.partialLosWindowCycles * poll, t.partialLosWindowCycles * poll, now, oldest, (n) => partialRequired(t, n));
    if (partial !== null && !partial.rows.every((r) => covered.has(r.externalId))) {
      out.push(incident(`odb:${ref.oltId}:${ref.odbName}`, "partial_los", "odb", odb, partial, t.partialLosWindowCycles * poll, asOf));
    }
    const power = powerEvent(odb, t, now, oldest);
    if (power !== null) out.push(incident(`power:${ref.oltId}:${ref.odbName}`, "area_power", "odb", odb, power, t.areaPowerWindowCycles * poll, asOf));
  }

  return out.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || a.id.localeCompare(b.id));
}

/**
 * The incidents of a snapshot as of the moment it was taken (its `asOf`, else its newest change):
 * for ListIncidents and for a diagnosis, which both read the snapshot the status job keeps.
 */
export function incidentsOf(snapshot: OutageSnapshot, t: Thresholds): Incident[] {
  let at = snapshot.asOf;
  if (at === null) {
    for (const r of snapshot.rows) if (r.lastStatusChange !== null && (at === null || r.lastStatusChange > at)) at = r.lastStatusChange;
  }
  return at === null ? [] : computeIncidents(snapshot.rows, at, t, snapshot.asOf);
}

/** The incident a given ONU belongs to: LOS incidents first (wider cause), then area power. */
export function findIncidentFor(incidents: Incident[], externalId: string): Incident | null {
  const mine = incidents.filter((i) => i.memberIds.includes(externalId));
  const rank: Record<IncidentKind, number> = { pon_down: 0, partial_los: 1, area_power: 2 };
  return mine.sort((a, b) => rank[a.kind] - rank[b.kind] || (a.scope === "pon" ? -1 : 1))[0] ?? null;
}

function partialRequired(t: Thresholds, n: number): number {
  return Math.max(t.partialLosMinOnus, Math.ceil((t.partialLosPercent / 100) * n));
}

/** The newest LOS event of the group that reaches `required(actionable ONUs)`. */
function losEvent(
  group: OnuStatusRow[],
  windowMs: number,
  graceMs: number,
  now: Date,
  oldest: number,
  required: (n: number) => number,
): Cluster | null {
  const los = group.filter((r) => r.status === "los");
  for (const c of clusters(los, windowMs, now)) {
    if (c.end.getTime() < oldest) break;
    if (c.rows.length >= required(actionable(group, c.start, graceMs).length)) return c;
  }
  return null;
}

/** More than the configured share of the ODB's ONUs in Power fail within the window. */
function powerEvent(group: OnuStatusRow[], t: Thresholds, now: Date, oldest: number): Cluster | null {
  const pf = group.filter((r) => r.status === "power_fail");
  const windowMs = t.areaPowerWindowCycles * t.pollIntervalS * 1000;
  for (const c of clusters(pf, windowMs, now)) {
    if (c.end.getTime() < oldest) break;
    const n = actionable(group, c.start, windowMs).length;
    if (c.rows.length >= t.areaPowerMinOnus && c.rows.length * 100 > t.areaPowerPercent * n) return c;
  }
  return null;
}

function incident(
  id: string,
  kind: IncidentKind,
  scope: "pon" | "odb",
  group: OnuStatusRow[],
  c: Cluster,
  windowMs: number,
  asOf: Date | null,
): Incident {
  const ref = c.rows[0]!;
  const from = c.start.getTime() - windowMs;
  const to = c.end.getTime() + windowMs;
  // Dark ONUs whose change falls around the event belong to it even when they are not evidence.
  const members = group.filter(
    (r) =>
      (r.status === "los" || r.status === "power_fail" || r.status === "offline") &&
      r.lastStatusChange !== null &&
      r.lastStatusChange.getTime() >= from &&
      r.lastStatusChange.getTime() <= to,
  );
  const ids = new Set([...c.rows, ...members].map((r) => r.externalId));
  const inEvent = group.filter((r) => ids.has(r.externalId));
  const odbs = new Set(c.rows.map((r) => r.odbName).filter((n) => n !== null));
  const base: Omit<Incident, "summary"> = {
    id,
    kind,
    scope,
    oltId: ref.oltId,
    oltName: ref.oltName,
    board: ref.board,
    port: ref.port,
    odbName: scope === "odb" ? ref.odbName : null,
    zoneName: mostCommon(c.rows.map((r) => r.zoneName)),
    onusTotal: group.length,
    onusAffected: c.rows.length,
    losCount: inEvent.filter((r) => r.status === "los").length,
    powerFailCount: inEvent.filter((r) => r.status === "power_fail").length,
    startedAt: c.start,
    memberIds: [...ids].sort(),
    asOf,
  };
  return { ...base, summary: summary(base, odbs.size) };
}

function summary(i: Omit<Incident, "summary">, odbCount: number): string {
  const pon = `PON ${i.board ?? "?"}/${i.port ?? "?"} de ${i.oltName}`;
  const extra = i.kind === "area_power" ? (i.losCount > 0 ? ` (y ${i.losCount} en LOS)` : "") : i.powerFailCount > 0 ? ` (y ${i.powerFailCount} en Power fail)` : "";
  if (i.kind === "pon_down") return `Corte en ${pon}: ${i.onusAffected}/${i.onusTotal} ONUs en LOS${extra}: alimentador, SFP o puerto de la OLT`;
  if (i.kind === "area_power") return `Corte de energía en la zona de ${i.odbName} (${pon}): ${i.onusAffected}/${i.onusTotal} ONUs en Power fail${extra}`;
  if (i.scope === "pon") return `Corte parcial en ${pon}: ${i.onusAffected}/${i.onusTotal} ONUs en LOS en ${odbCount} NAPs${extra}: fibra de distribución`;
  return `Corte en ${i.odbName} (${pon}): ${i.onusAffected}/${i.onusTotal} ONUs en LOS${extra}: fibra de distribución o splitter`;
}

function groupBy(rows: OnuStatusRow[], key: (r: OnuStatusRow) => string | null): OnuStatusRow[][] {
  const m = new Map<string, OnuStatusRow[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    const g = m.get(k);
    if (g === undefined) m.set(k, [r]);
    else g.push(r);
  }
  return [...m.values()];
}

function mostCommon(values: Array<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)!) best = v;
  return best;
}
