import { setMaxListeners } from "node:events";
import type { Diagnosis } from "../../../gen/beholder/v1/diagnosis_pb.js";
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { Vendors } from "../../vendors/index.js";
import type { Target } from "../target.js";
import { createMailbox } from "./mailbox.js";
import { createOnuPoller, type OnuPoller, type OnuPollerOptions } from "./onu-poller.js";
import { planOnuPolls } from "./plan.js";
import { subjectOf } from "./readings.js";
import { createSubjectWatch, type SubjectWatch, type Watcher } from "./subject.js";
import type { PollingInfo, WatchEngine, WatchUpdate } from "./types.js";

/** One open stream's view of the hub. */
export interface WatchStream {
  /** The diagnosis the stream starts with (FULL). */
  first: Diagnosis;
  /** The next change, or undefined once `signal` aborts or the stream is closed. */
  next(signal: AbortSignal): Promise<WatchUpdate | undefined>;
  polling(): PollingInfo;
  /** Leaves the hub; the last watcher of a subscriber stops its pollers and traffic stream. */
  close(): Promise<void>;
}

export interface WatchStats {
  /** Subscribers watched, each with one set of pollers. */
  subscribers: number;
  watchers: number;
  onuGroups: number;
  onuPollerRunning: boolean;
  /** Bulk SmartOLT calls the hub has made. */
  smartoltCalls: number;
  /** monitor-traffic streams open on the routers. */
  trafficStreams: number;
}

/**
 * Watchers of the same subscriber share one set of pollers (session, customer, traffic), and every
 * watched ONU shares the hub's one bulk SmartOLT poller: vendor calls grow with subscribers and PON
 * ports, not with open streams.
 */
export interface WatchHub {
  /** Joins (or starts) the watch of a subscriber; NotFound and the like come from the engine. */
  open(target: Target, opts: { intervalMs: number; includeTraffic: boolean }): Promise<WatchStream>;
  stats(): WatchStats;
  close(): Promise<void>;
}

export interface WatchHubDeps {
  engine: WatchEngine;
  vendors: Vendors;
  config: Config;
  logger: Logger;
  now?: () => Date;
}

export function createWatchHub(deps: WatchHubDeps): WatchHub {
  const { engine, vendors, config, logger } = deps;
  const now = deps.now ?? ((): Date => new Date());
  const w = config.watch;
  const planOptions = {
    hourlyBudget: config.vendors.smartolt?.hourlyBudget ?? 1000,
    budgetPercent: w.smartoltBudgetPercent,
    signalEvery: w.signalEvery,
    portsPerOltCall: w.portsPerOltCall,
    defaultIntervalMs: w.defaultIntervalMs,
  };
  const onus: OnuPoller = vendors.smartolt
    ? createOnuPoller(vendors.smartolt, planOptions, { logger, now })
    : idlePoller(planOptions);
  const subjects = new Map<string, SubjectWatch>();
  /** `kind:value` of a request → the subject key it resolved to. */
  const aliases = new Map<string, string>();
  const opening = new Map<string, Promise<SubjectWatch>>();
  const stopping = new Set<Promise<void>>();
  const gatherStop = new AbortController();
  // Every gather in flight listens to it.
  setMaxListeners(0, gatherStop.signal);
  let watcherCount = 0;

  async function subjectFor(target: Target, intervalMs: number): Promise<SubjectWatch> {
    const alias = `${target.kind}:${target.value}`;
    const known = subjects.get(aliases.get(alias) ?? "");
    if (known) return known;
    let pending = opening.get(alias);
    if (!pending) {
      pending = (async () => {
        const gathered = await engine.gather(target, { signal: gatherStop.signal });
        const key = subjectOf(gathered).key;
        const first = subjects.get(key) ? undefined : await engine.conclude(gathered);
        // Another identifier of the same subscriber may have won the race while this one gathered.
        const existing = subjects.get(key);
        if (existing || !first) return existing as SubjectWatch;
        const created = createSubjectWatch(gathered, first, intervalMs, { engine, vendors, onus, config: w, logger, now });
        subjects.set(key, created);
        return created;
      })().finally(() => opening.delete(alias));
      opening.set(alias, pending);
    }
    const subject = await pending;
    aliases.set(alias, subject.subject.key);
    return subject;
  }

  function release(subject: SubjectWatch): void {
    const key = subject.subject.key;
    if (subjects.get(key) !== subject) return;
    subjects.delete(key);
    for (const [alias, k] of aliases) if (k === key) aliases.delete(alias);
    const stopped = subject.stop().catch((err: unknown) => logger.warn({ err, watch: key }, "watch: stopping failed"));
    stopping.add(stopped);
    void stopped.finally(() => stopping.delete(stopped));
  }

  return {
    async open(target, opts) {
      const subject = await subjectFor(target, opts.intervalMs);
      const box = createMailbox();
      const watcher: Watcher = { intervalMs: opts.intervalMs, includeTraffic: opts.includeTraffic, box };
      subject.add(watcher);
      watcherCount++;
      let closed = false;
      return {
        first: subject.latest(),
        next: (signal) => box.next(signal),
        polling() {
          const plan = onus.plan();
          const s = subject.subject;
          return {
            onuStatusIntervalMs: s.onu ? plan.statusIntervalMs : 0,
            onuSignalIntervalMs: s.onu ? plan.signalIntervalMs : 0,
            sessionIntervalMs: s.router && s.pppoeUser && vendors.routers ? subject.intervalMs() : 0,
            customerIntervalMs: w.customerIntervalMs,
            stretched: s.onu !== null && plan.stretched,
            onuGroups: plan.groups.length,
          };
        },
        async close() {
          if (closed) return;
          closed = true;
          watcherCount--;
          box.close();
          if (subject.remove(watcher) === 0) release(subject);
          await Promise.all(stopping);
        },
      };
    },
    stats: () => ({
      subscribers: subjects.size,
      watchers: watcherCount,
      onuGroups: onus.plan().groups.length,
      onuPollerRunning: onus.running(),
      smartoltCalls: onus.calls(),
      trafficStreams: vendors.routers?.openStreams() ?? 0,
    }),
    async close() {
      gatherStop.abort();
      for (const s of [...subjects.values()]) release(s);
      onus.close();
      await Promise.all(stopping);
    },
  };
}

/** Without SmartOLT there is nothing to poll; the plan still answers for WatchPolling. */
function idlePoller(o: OnuPollerOptions): OnuPoller {
  const plan = planOnuPolls([], { ...o, wantedIntervalMs: o.defaultIntervalMs });
  return { add() {}, remove() {}, replan() {}, plan: () => plan, calls: () => 0, running: () => false, close() {} };
}
