import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { TrafficSchema, type Diagnosis } from "../../../gen/beholder/v1/diagnosis_pb.js";
import type { WatchConfig } from "../../config.js";
import type { PppSession, TrafficReading } from "../../domain/types.js";
import type { Logger } from "../../logger.js";
import type { Vendors } from "../../vendors/index.js";
import type { TrafficMonitor } from "../../vendors/routeros/client.js";
import type { Gathered } from "../types.js";
import { changedFields } from "./changes.js";
import type { Mailbox } from "./mailbox.js";
import type { OnuPoller } from "./onu-poller.js";
import { applyReadings, subjectOf } from "./readings.js";
import { repeat, type Repeater } from "./repeat.js";
import type { LiveReadings, WatchEngine, WatchSubject } from "./types.js";

export interface Watcher {
  intervalMs: number;
  includeTraffic: boolean;
  box: Mailbox;
}

/** One watched subscriber: its pollers, its newest diagnosis, and the watchers sharing them. */
export interface SubjectWatch {
  readonly subject: WatchSubject;
  latest(): Diagnosis;
  add(watcher: Watcher): void;
  /** Returns how many watchers are left. */
  remove(watcher: Watcher): number;
  /** The shortest interval its watchers asked for. */
  intervalMs(): number;
  /** Stops every poller and the traffic stream (its /cancel sent and answered, or given up on). */
  stop(): Promise<void>;
}

export interface SubjectDeps {
  engine: WatchEngine;
  vendors: Vendors;
  onus: OnuPoller;
  config: WatchConfig;
  logger: Logger;
  now: () => Date;
}

const sessionKey = (s: PppSession | null | undefined): string | null | undefined =>
  s === undefined ? undefined : s === null ? null : `${s.sessionId ?? ""}|${s.address ?? ""}|${s.callerId ?? ""}`;

/** `openingIntervalMs`: the first watcher's, used until it has joined. */
export function createSubjectWatch(gathered: Gathered, first: Diagnosis, openingIntervalMs: number, deps: SubjectDeps): SubjectWatch {
  const subject = subjectOf(gathered);
  const { engine, vendors, config, logger, now } = deps;
  const watchers = new Set<Watcher>();
  const readings: LiveReadings = {};
  const stopping = new AbortController();
  const log = logger.child({ watch: subject.key });
  let last = first;
  let dirty = false;
  let rebuilding: Promise<void> | undefined;

  const intervalMs = (): number => (watchers.size === 0 ? openingIntervalMs : Math.min(...[...watchers].map((w) => w.intervalMs)));

  function publish(next: Diagnosis): void {
    const fields = changedFields(last, next);
    last = next;
    if (fields.length === 0) return;
    for (const w of watchers) {
      const own = w.includeTraffic ? fields : fields.filter((f) => f !== "traffic");
      if (own.length === 0) continue;
      w.box.push({ diagnosis: w.includeTraffic ? next : { ...next, traffic: undefined }, changedFields: own });
    }
  }

  /** Rules again over the newest readings; one rebuild at a time, one more if something came meanwhile. */
  function refresh(): void {
    dirty = true;
    if (rebuilding) return;
    rebuilding = (async () => {
      while (dirty && !stopping.signal.aborted) {
        dirty = false;
        try {
          publish(await engine.conclude(applyReadings(gathered, readings)));
        } catch (err) {
          log.warn({ err: err instanceof Error ? err.message : String(err) }, "watch: rebuilding the diagnosis failed");
        }
      }
    })().finally(() => (rebuilding = undefined));
  }

  // --- PPPoE session, per user, at the watchers' interval ---
  const routers = vendors.routers;
  const user = subject.pppoeUser;
  const router = subject.router;
  let knownSession = sessionKey(gathered.pppoe.session);
  const currentSession = (): PppSession | null | undefined =>
    readings.pppoe ? readings.pppoe.session : gathered.pppoe.session;

  let sessionPoll: Repeater | undefined;
  if (routers && router && user) {
    sessionPoll = repeat(stopping.signal, intervalMs, async () => {
      try {
        // The stop signal cancels retries too: nothing reaches the router once nobody watches.
        const session = (await routers.activeSession(router, user, { signal: stopping.signal })) ?? null;
        const at = now();
        const key = sessionKey(session);
        if (key === knownSession) {
          // The same session, a newer uptime: kept for the next rebuild, not a change by itself.
          if (readings.pppoe) readings.pppoe = { ...readings.pppoe, session, at };
          return;
        }
        knownSession = key;
        // The session changed: the secret's last-logged-out and disconnect reason did too.
        const secret = await routers.secret(router, user, { signal: stopping.signal }).catch(() => undefined);
        readings.pppoe = { session, at, ...(secret !== undefined ? { secret } : {}) };
        refresh();
        syncTraffic();
      } catch (err) {
        log.debug({ err: err instanceof Error ? err.message : String(err) }, "watch: session read failed");
      }
    });
  }

  // --- customer (slow), which also re-reads what the cache says about incidents ---
  const ispcube = vendors.ispcube;
  const customerId = subject.customerId;
  void repeat(stopping.signal, () => config.customerIntervalMs, async () => {
    if (ispcube && customerId !== null) {
      try {
        readings.customer = { customer: await ispcube.customerById(customerId, { signal: stopping.signal }), at: now() };
      } catch (err) {
        log.debug({ err: err instanceof Error ? err.message : String(err) }, "watch: customer read failed");
      }
    }
    refresh();
  });

  // --- ONU status and levels, through the hub's bulk poller ---
  const onu = subject.onu;
  if (onu && gathered.onu) {
    const cached = gathered.onu.onu;
    let statusKey = `${cached.status}|${cached.lastStatusChange?.getTime() ?? ""}`;
    let signalKey = `${cached.rxPowerDbm}|${cached.oltRxPowerDbm}|${cached.signalCategory}`;
    deps.onus.add(subject.key, {
      place: onu,
      intervalMs,
      onStatus(r) {
        readings.onuStatus = r;
        const key = `${r.status}|${r.lastStatusChange?.getTime() ?? ""}`;
        if (key === statusKey) return;
        statusKey = key;
        refresh();
      },
      onSignal(r) {
        readings.onuSignal = r;
        const key = `${r.rxPowerDbm}|${r.oltRxPowerDbm}|${r.signalCategory}`;
        if (key === signalKey) return;
        signalKey = key;
        refresh();
      },
    });
  }

  // --- live traffic: one monitor-traffic per user while someone asks and a session is up ---
  let monitor: TrafficMonitor | undefined;
  let monitored: string | null | undefined;
  let trafficChain: Promise<void> = Promise.resolve();
  const wantsTraffic = (): boolean =>
    !stopping.signal.aborted && [...watchers].some((w) => w.includeTraffic) && currentSession() != null;

  function onSample(reading: TrafficReading): void {
    readings.traffic = reading;
    const traffic = create(TrafficSchema, {
      downloadBps: BigInt(Math.round(reading.downloadBps)),
      uploadBps: BigInt(Math.round(reading.uploadBps)),
      measuredAt: timestampFromDate(reading.at),
    });
    publish({ ...last, traffic });
  }

  function syncTraffic(): void {
    trafficChain = trafficChain.then(async () => {
      const session = sessionKey(currentSession());
      if (monitor && (!wantsTraffic() || session !== monitored)) {
        const m = monitor;
        monitor = undefined;
        await m.stop();
      }
      if (monitor || !wantsTraffic() || !routers || !router || !user) return;
      try {
        const started = await routers.monitorTraffic(router, user, {
          intervalS: config.trafficIntervalS,
          onSample,
          onEnd: (err) => {
            if (monitor === started) monitor = undefined;
            if (err) log.debug({ err: err.message }, "watch: traffic stream ended");
          },
        });
        monitor = started;
        monitored = session;
      } catch (err) {
        // The next session poll tries again.
        log.debug({ err: err instanceof Error ? err.message : String(err) }, "watch: traffic stream did not start");
      }
    });
  }

  return {
    subject,
    latest: () => last,
    add(watcher) {
      watchers.add(watcher);
      deps.onus.replan();
      sessionPoll?.reschedule();
      if (watcher.includeTraffic) syncTraffic();
    },
    remove(watcher) {
      watchers.delete(watcher);
      deps.onus.replan();
      sessionPoll?.reschedule();
      if (watcher.includeTraffic) syncTraffic();
      return watchers.size;
    },
    intervalMs,
    async stop() {
      stopping.abort();
      deps.onus.remove(subject.key);
      syncTraffic();
      await trafficChain;
      await rebuilding;
    },
  };
}
