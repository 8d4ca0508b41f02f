/**
 * Which bulk SmartOLT reads cover the watched ONUs, and how often the budget lets them run. Pure:
 * the hub calls it whenever the set of watched ONUs changes.
 *
 * `get_onus_statuses` and `get_onus_signals` take `olt_id`, `board` and `port` filters
 * (shared/vendors/smartolt.md §2.2), so one call covers every watched ONU of a PON port; an OLT with
 * many watched ports is cheaper read whole.
 */

/** Where an ONU hangs, as far as the bulk filters go. */
export interface OnuPlace {
  oltId: string;
  board: number | null;
  port: number | null;
}

export interface OnuGroup {
  /** `pon:<olt>:<board>:<port>` or `olt:<olt>`. */
  key: string;
  filter: { oltId: string; board?: number; port?: number };
}

export interface PlanOptions {
  /** The shortest interval any watcher asked for (already clamped to the configured bounds). */
  wantedIntervalMs: number;
  /** The account's hourly SmartOLT budget and the share of it watches may spend. */
  hourlyBudget: number;
  budgetPercent: number;
  /** One signal read per this many status reads of a group. */
  signalEvery: number;
  /** More watched ports than this on one OLT: one call for the OLT. */
  portsPerOltCall: number;
}

export interface PollPlan {
  groups: OnuGroup[];
  statusIntervalMs: number;
  signalIntervalMs: number;
  /** The budget, not the watchers, set the status interval. */
  stretched: boolean;
}

const HOUR_MS = 3_600_000;

export function planOnuPolls(places: readonly OnuPlace[], o: PlanOptions): PollPlan {
  const portsByOlt = new Map<string, Set<string>>();
  for (const p of places) {
    const ports = portsByOlt.get(p.oltId) ?? new Set<string>();
    portsByOlt.set(p.oltId, ports);
    ports.add(p.board === null || p.port === null ? "*" : `${p.board}:${p.port}`);
  }
  const groups: OnuGroup[] = [];
  for (const [oltId, ports] of [...portsByOlt].sort(([a], [b]) => a.localeCompare(b))) {
    // An ONU saved without a position can only be found by reading its whole OLT.
    if (ports.has("*") || ports.size > o.portsPerOltCall) {
      groups.push({ key: `olt:${oltId}`, filter: { oltId } });
      continue;
    }
    for (const bp of [...ports].sort()) {
      const [board, port] = bp.split(":").map(Number) as [number, number];
      groups.push({ key: `pon:${oltId}:${board}:${port}`, filter: { oltId, board, port } });
    }
  }
  const callsPerHour = Math.max(1, Math.floor((o.hourlyBudget * o.budgetPercent) / 100));
  // Each status round reads every group once, plus a signal read every `signalEvery` rounds
  // (integer arithmetic: 1.1 × 3,600,000 / 300 is not 13,200 in floating point).
  const budgetMs = Math.ceil((groups.length * (o.signalEvery + 1) * HOUR_MS) / (o.signalEvery * callsPerHour));
  const statusIntervalMs = Math.max(o.wantedIntervalMs, budgetMs);
  return {
    groups,
    statusIntervalMs,
    signalIntervalMs: statusIntervalMs * o.signalEvery,
    stretched: budgetMs > o.wantedIntervalMs,
  };
}

/** The group of a plan that covers this ONU. */
export function groupKeyFor(place: OnuPlace, plan: PollPlan): string | undefined {
  const pon = `pon:${place.oltId}:${place.board}:${place.port}`;
  const olt = `olt:${place.oltId}`;
  return plan.groups.find((g) => g.key === pon || g.key === olt)?.key;
}
