import type { OnuSignalReading } from "../../domain/types.js";
import type { OnuLiveStatus, SmartOltClient } from "../../vendors/smartolt/client.js";
import { probe, type ProbeOutcome } from "../probe.js";
import type { UnavailableReason } from "../types.js";

/** One live read of an ONU: its status and its levels, and when they were read. */
export interface OnuLiveReading {
  status: OnuLiveStatus;
  signal: OnuSignalReading;
  at: Date;
}

export interface OnuReaderOptions {
  /** Read live only when the newest known status is older than this. */
  liveAfterMs: number;
  /** Stop reading live when fewer calls than this are left in the hour. */
  reserveCalls: number;
  now: () => Date;
  /**
   * Live reads in flight at most: SmartOLT is paced (calls per second), so more would wait past the
   * diagnosis' budget and spend calls nobody waits for.
   */
  maxInFlight: number;
  /** Attempts a read may make (1 + the guard's retries): what an in-flight read may still spend. */
  attemptsPerCall: number;
  /** Live readings remembered per ONU (they are fresher than the cache until the next status job). */
  memoSize?: number;
}

/** What the policy decided for one ONU, before or after a live read. */
export type OnuRead =
  | { kind: "live"; reading: OnuLiveReading; latencyMs: number }
  /** A live reading from an earlier diagnosis, younger than liveAfterMs. */
  | { kind: "recent"; reading: OnuLiveReading }
  /** No live read was made: the cache is fresh enough, or the budget is kept for the sync. */
  | { kind: "skipped"; reason: UnavailableReason | null; detail: string }
  | { kind: "failed"; reason: UnavailableReason; detail: string; latencyMs: number };

export interface OnuReader {
  read(externalId: string, cachedStatusAt: Date, budgetMs: number, signal?: AbortSignal): Promise<OnuRead>;
  /** Live SmartOLT calls this reader has started (two per live read). */
  calls(): number;
}

/** A live read costs two calls: get_onu_status and get_onu_signal. */
const CALLS_PER_READ = 2;
const DEFAULT_MEMO = 5000;

/**
 * SmartOLT's hourly budget is shared by the whole account, so a diagnosis reads an ONU live only when
 * what is known is older than `liveAfterMs`, never while another diagnosis is already reading the same
 * ONU (they share that read), and never into the calls the scheduled sync needs.
 */
export function createOnuReader(client: SmartOltClient, o: OnuReaderOptions): OnuReader {
  const inFlight = new Map<string, Promise<OnuLiveReading>>();
  const memo = new Map<string, OnuLiveReading>();
  const memoSize = o.memoSize ?? DEFAULT_MEMO;
  let calls = 0;

  function remember(externalId: string, reading: OnuLiveReading): void {
    memo.delete(externalId);
    memo.set(externalId, reading);
    // Insertion order: the first key is the oldest reading.
    if (memo.size > memoSize) memo.delete(memo.keys().next().value as string);
  }

  function shared(externalId: string): Promise<OnuLiveReading> {
    const existing = inFlight.get(externalId);
    if (existing) return existing;
    calls += CALLS_PER_READ;
    const read = Promise.all([client.onuStatus(externalId), client.onuSignal(externalId)])
      .then(([status, signal]) => {
        const reading = { status, signal, at: o.now() };
        remember(externalId, reading);
        return reading;
      })
      .finally(() => inFlight.delete(externalId));
    inFlight.set(externalId, read);
    // Every waiter may give up before it settles; the outcome is still observed here.
    read.catch(() => undefined);
    return read;
  }

  return {
    async read(externalId, cachedStatusAt, budgetMs, signal) {
      const nowMs = o.now().getTime();
      const recent = memo.get(externalId);
      const newest = Math.max(cachedStatusAt.getTime(), recent?.at.getTime() ?? 0);
      if (nowMs - newest < o.liveAfterMs) {
        if (recent && recent.at.getTime() >= cachedStatusAt.getTime()) return { kind: "recent", reading: recent };
        return { kind: "skipped", reason: null, detail: `cached status is ${ageText(nowMs - newest)} old, under the ${ageText(o.liveAfterMs)} that calls for a live read` };
      }
      if (!inFlight.has(externalId)) {
        const { used, limit, windowResetsAt } = client.budget();
        // Reads in flight may still retry: count what they could spend, not only what they have.
        const committed = (inFlight.size + 1) * CALLS_PER_READ * o.attemptsPerCall;
        if (limit - used - committed < o.reserveCalls) {
          return {
            kind: "skipped",
            reason: "rate_limited",
            detail: `live reads paused: ${Math.max(0, limit - used)} of this hour's ${limit} SmartOLT calls are left and ${o.reserveCalls} are kept for the sync (until ${windowResetsAt.toISOString()})`,
          };
        }
        if (inFlight.size >= o.maxInFlight) {
          return {
            kind: "skipped",
            reason: "rate_limited",
            detail: `${inFlight.size} live reads already wait for SmartOLT's pace; answering from the cache`,
          };
        }
      }
      const outcome: ProbeOutcome<OnuLiveReading> = await probe(budgetMs, signal, () => shared(externalId));
      if (outcome.ok) return { kind: "live", reading: outcome.value, latencyMs: outcome.latencyMs };
      return { kind: "failed", reason: outcome.reason, detail: outcome.detail, latencyMs: outcome.latencyMs };
    },
    calls: () => calls,
  };
}

export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}
