import { setTimeout as sleep } from "node:timers/promises";
import type { OnuStatus } from "../../domain/types.js";
import type { Logger } from "../../logger.js";
import { isVendorError } from "../../vendors/errors.js";
import type { SmartOltClient } from "../../vendors/smartolt/client.js";
import { groupKeyFor, planOnuPolls, type OnuPlace, type PlanOptions, type PollPlan } from "./plan.js";

/** One watched ONU: where it is, the interval its watchers want, where its readings go. */
export interface OnuWatch {
  place: OnuPlace & { externalId: string };
  intervalMs(): number;
  onStatus(reading: { status: OnuStatus; lastStatusChange: Date | null; at: Date }): void;
  onSignal(reading: { rxPowerDbm: number | null; oltRxPowerDbm: number | null; signalCategory: string; at: Date }): void;
}

export interface OnuPoller {
  /** Starts polling the ONU's group (and the loop, if it was idle). */
  add(key: string, watch: OnuWatch): void;
  /** The last watch of the loop stops it at once: no SmartOLT call after that. */
  remove(key: string): void;
  /** Recomputes the plan (a watcher's interval changed). */
  replan(): void;
  plan(): PollPlan;
  /** Bulk calls made so far. */
  calls(): number;
  running(): boolean;
  close(): void;
}

export interface OnuPollerOptions extends Omit<PlanOptions, "wantedIntervalMs"> {
  /** Used when nobody is watched (the plan still answers). */
  defaultIntervalMs: number;
}

/**
 * The hub's one SmartOLT poller: every round reads each group (a PON port, or a whole OLT) once
 * with `get_onus_statuses`, every `signalEvery` rounds `get_onus_signals` too, and hands each
 * watched ONU its row. Rounds are spaced by the plan, which the budget share stretches.
 */
export function createOnuPoller(smartolt: SmartOltClient, o: OnuPollerOptions, deps: { logger: Logger; now: () => Date }): OnuPoller {
  const watches = new Map<string, OnuWatch>();
  let closed = false;
  let current = computePlan();
  let loop: AbortController | undefined;
  /** Aborted when the plan changes, so a long wait is measured again against the new interval. */
  let nap: AbortController | undefined;
  let lastRoundAt = Number.NEGATIVE_INFINITY;
  let round = 0;
  let calls = 0;

  function computePlan(): PollPlan {
    const all = [...watches.values()];
    const wanted = Math.min(...all.map((w) => w.intervalMs()), Number.POSITIVE_INFINITY);
    return planOnuPolls(
      all.map((w) => w.place),
      { ...o, wantedIntervalMs: Number.isFinite(wanted) ? wanted : o.defaultIntervalMs },
    );
  }

  async function readGroup(plan: PollPlan, key: string, signals: boolean, signal: AbortSignal): Promise<void> {
    const group = plan.groups.find((g) => g.key === key);
    if (!group) return;
    const members = [...watches.values()].filter((w) => groupKeyFor(w.place, plan) === key);
    if (members.length === 0) return;
    try {
      calls++;
      // The signal cancels retries too: nothing reaches SmartOLT once nobody watches.
      const rows = await smartolt.bulkStatuses(group.filter, { signal });
      const at = deps.now();
      const byId = new Map(rows.map((r) => [r.externalId, r]));
      for (const w of members) {
        const row = byId.get(w.place.externalId);
        if (row) w.onStatus({ status: row.status, lastStatusChange: row.lastStatusChange, at });
      }
      if (!signals) return;
      calls++;
      const levels = await smartolt.bulkSignals(group.filter, { signal });
      const signalAt = deps.now();
      const levelsById = new Map(levels.map((r) => [r.externalId, r]));
      for (const w of members) {
        const row = levelsById.get(w.place.externalId);
        if (row) w.onSignal({ rxPowerDbm: row.rxPowerDbm, oltRxPowerDbm: row.oltRxPowerDbm, signalCategory: row.signalCategory, at: signalAt });
      }
    } catch (err) {
      // A refused or failed read leaves the last reading standing; the next round tries again.
      const level = isVendorError(err, "rate_limited") || isVendorError(err, "breaker_open") ? "debug" : "warn";
      deps.logger[level]({ group: key, err: err instanceof Error ? err.message : String(err) }, "watch: bulk onu read failed");
    }
  }

  async function run(signal: AbortSignal): Promise<void> {
    signal.addEventListener("abort", () => nap?.abort(), { once: true });
    while (!signal.aborted && watches.size > 0) {
      const wait = lastRoundAt + current.statusIntervalMs - Date.now();
      if (wait > 0) {
        nap = new AbortController();
        try {
          await sleep(wait, undefined, { signal: nap.signal });
        } catch {
          continue; // closed (the loop ends) or replanned (measure again)
        }
        continue;
      }
      lastRoundAt = Date.now();
      const plan = current;
      const signals = round % o.signalEvery === o.signalEvery - 1;
      round++;
      for (const g of plan.groups) {
        if (signal.aborted) return;
        await readGroup(plan, g.key, signals, signal);
      }
    }
  }

  function ensureLoop(): void {
    if (watches.size === 0) {
      loop?.abort();
      loop = undefined;
      return;
    }
    if (loop) return;
    const controller = new AbortController();
    loop = controller;
    void run(controller.signal).finally(() => {
      if (loop === controller) loop = undefined;
      // Someone joined while the last round finished: keep going.
      if (watches.size > 0 && !loop && !closed) ensureLoop();
    });
  }

  return {
    add(key, watch) {
      if (closed) return;
      watches.set(key, watch);
      current = computePlan();
      nap?.abort();
      ensureLoop();
    },
    remove(key) {
      if (!watches.delete(key)) return;
      current = computePlan();
      nap?.abort();
      ensureLoop();
    },
    replan() {
      current = computePlan();
      nap?.abort();
    },
    plan: () => current,
    calls: () => calls,
    running: () => loop !== undefined,
    close() {
      closed = true;
      watches.clear();
      ensureLoop();
    },
  };
}
