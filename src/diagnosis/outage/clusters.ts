import type { OnuStatusRow } from "./types.js";

/** A set of ONUs whose status changed within one window. */
export interface Cluster {
  rows: OnuStatusRow[];
  start: Date;
  end: Date;
}

/**
 * Groups the rows' change times into events: times further apart than `windowMs` never share one
 * (ONUs that went dark days apart are separate events), and inside a run of close times the densest
 * window of `windowMs` is the event. Newest event first. Rows without a change time join none.
 */
export function clusters(rows: OnuStatusRow[], windowMs: number, now: Date): Cluster[] {
  const timed = rows
    .filter((r) => r.lastStatusChange !== null)
    .map((r) => ({ r, t: Math.min(r.lastStatusChange!.getTime(), now.getTime()) }))
    .sort((a, b) => a.t - b.t);
  const runs: Array<typeof timed> = [];
  for (const x of timed) {
    const run = runs[runs.length - 1];
    if (run !== undefined && x.t - run[run.length - 1]!.t <= windowMs) run.push(x);
    else runs.push([x]);
  }
  const out: Cluster[] = [];
  for (const run of runs) {
    let bestFrom = 0;
    let bestTo = 0;
    for (let i = 0, j = 0; i < run.length; i++) {
      while (j + 1 < run.length && run[j + 1]!.t - run[i]!.t <= windowMs) j++;
      if (j - i > bestTo - bestFrom) [bestFrom, bestTo] = [i, j];
    }
    const members = run.slice(bestFrom, bestTo + 1);
    out.push({ rows: members.map((m) => m.r), start: new Date(members[0]!.t), end: new Date(members[members.length - 1]!.t) });
  }
  return out.reverse();
}

/**
 * The ONUs an event is measured against: admin-disabled ones cannot fail, and ONUs dark since well
 * before the event (more than `graceMs` before its start, or since an unknown time) were not taken
 * down by it. The grace keeps a cut whose ONUs report over a few polls from looking like two events.
 */
export function actionable(rows: OnuStatusRow[], eventStart: Date, graceMs: number): OnuStatusRow[] {
  const from = eventStart.getTime() - graceMs;
  return rows.filter((r) => {
    if (r.status === "admin_disabled") return false;
    if (r.status === "online") return true;
    return r.lastStatusChange !== null && r.lastStatusChange.getTime() >= from;
  });
}
