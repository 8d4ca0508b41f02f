import type { OnuPeer, SignalSample, StatusEvent } from "../cache/diagnosis-reads.js";
import type { RouterLogEntry } from "../domain/types.js";
import type { Incident, OnuStatusRow } from "./outage/types.js";
import type { AccessKind, PeerOnu, SessionHistory, SourceState, TriageFacts } from "./triage/facts.js";
import type { Gathered, SourceReport } from "./types.js";

/** What the cache adds around the subscriber: neighbours and history, read beside the live probes. */
export interface Surroundings {
  /** ONUs of the same PON port and ODB, the subscriber's own included. */
  neighbours: OnuPeer[];
  samples: SignalSample[];
  events: StatusEvent[];
  incident: Incident | null;
}

const FIXED_WIRELESS = /inal[aá]mbric|wireless|\bwifi\b|antena|radioenlace/i;
const FIBRE = /fibra|ftth|fiber|gpon/i;

/** Gathered observations → the pure triage's input. No I/O; `now` is the diagnosis' instant. */
export function toFacts(g: Gathered, around: Surroundings, now: Date): TriageFacts {
  const report = (s: SourceReport["source"]): SourceReport | undefined => g.sources.find((r) => r.source === s);
  const obs = (s: SourceReport["source"], at: Date | null): { observedAt: Date | null; freshness: SourceReport["freshness"] } => ({
    observedAt: at,
    freshness: report(s)?.freshness ?? "unavailable",
  });
  const routerLive = report("routeros")?.freshness === "live";
  const routerAt = report("routeros")?.asOf ?? null;
  const own = g.onu?.onu.externalId;
  const { pppoe } = g;

  return {
    now,
    pppoeUser: g.pppoeUser,
    sources: g.sources.map(sourceState),
    knownIn: g.knownIn,
    customer: g.customer
      ? {
          ...obs("ispcube", report("ispcube")?.asOf ?? null),
          code: g.customer.code,
          name: g.customer.name,
          status: g.customer.status,
          statusRaw: g.customer.statusRaw,
          debt: g.customer.debt,
          dueDebt: g.customer.dueDebt,
          blockedAt: g.customer.blockedAt,
        }
      : null,
    plan: g.plan ? { name: g.plan.name, downloadKbps: g.plan.downloadKbps, uploadKbps: g.plan.uploadKbps } : null,
    // The cache keeps secrets but no sessions: without a live read the session is unknown, not absent.
    pppoe: routerLive
      ? {
          ...obs("routeros", routerAt),
          secret: pppoe.secret
            ? {
                disabled: pppoe.secret.disabled,
                callerId: pppoe.secret.callerId,
                lastLoggedOut: pppoe.secret.lastLoggedOut,
                lastCallerId: pppoe.secret.lastCallerId,
                lastDisconnectReason: pppoe.secret.lastDisconnectReason,
                previousCallerId: g.cachedSecret?.lastCallerId ?? null,
              }
            : null,
          session: pppoe.session ? { uptimeS: pppoe.session.uptimeS, callerId: pppoe.session.callerId, address: pppoe.session.address } : null,
        }
      : null,
    sessionHistory: routerLive && pppoe.logs && g.pppoeUser ? sessionHistory(pppoe.logs, g.pppoeUser, routerAt) : null,
    access: accessKind(g),
    onu: g.onu
      ? {
          ...obs("smartolt", g.onu.statusAt),
          externalId: g.onu.onu.externalId,
          serial: g.onu.onu.serial,
          oltId: g.onu.onu.oltId,
          oltName: g.onu.onu.oltName,
          board: g.onu.onu.board,
          port: g.onu.onu.port,
          odbName: g.onu.onu.odbName,
          zoneName: g.onu.onu.zoneName,
          status: g.onu.onu.status,
          lastStatusChange: g.onu.onu.lastStatusChange,
          adminEnabled: g.onu.onu.adminEnabled,
          rxPowerDbm: g.onu.onu.rxPowerDbm,
          oltRxPowerDbm: g.onu.onu.oltRxPowerDbm,
          signalHistory: around.samples
            .filter((s) => s.externalId === own)
            .map((s) => ({ at: s.at, rxPowerDbm: s.rxPowerDbm, oltRxPowerDbm: s.oltRxPowerDbm })),
          statusHistory: around.events.filter((e) => e.externalId === own).map((e) => ({ at: e.changedAt ?? e.at, status: e.status })),
        }
      : null,
    peers: g.onu ? { freshness: "cached", onus: peers(around, own) } : null,
    queue:
      routerLive && pppoe.queue
        ? {
            ...obs("routeros", routerAt),
            maxDownloadBps: pppoe.queue.maxDownloadBps,
            maxUploadBps: pppoe.queue.maxUploadBps,
            downloadBps: pppoe.queue.downloadBps,
            uploadBps: pppoe.queue.uploadBps,
          }
        : null,
    traffic: pppoe.traffic ? [{ at: pppoe.traffic.at, downloadBps: pppoe.traffic.downloadBps, uploadBps: pppoe.traffic.uploadBps }] : [],
    incident: around.incident,
    routerLogouts: routerLive && pppoe.logs ? { observedAt: routerAt, freshness: "live", times: logouts(pppoe.logs) } : null,
  };
}

/** The snapshot rows outage correlation runs on: cached neighbours, with the subscriber's ONU as just read. */
export function outageRows(g: Gathered, neighbours: OnuPeer[]): OnuStatusRow[] {
  const own = g.onu?.onu;
  return neighbours.map((n) => {
    const o = own && own.externalId === n.externalId ? own : n;
    return {
      externalId: n.externalId,
      oltId: n.oltId,
      oltName: n.oltName,
      board: n.board,
      port: n.port,
      odbName: n.odbName,
      zoneName: n.zoneName,
      status: o.status,
      lastStatusChange: o.lastStatusChange,
    };
  });
}

function sourceState(r: SourceReport): SourceState {
  const reason = r.reason ? `${r.reason.replace("_", " ")}: ${r.detail}` : r.detail || null;
  return { source: r.source, freshness: r.freshness, asOf: r.asOf, reason };
}

function accessKind(g: Gathered): AccessKind {
  if (g.onu) return "fiber";
  const plan = g.plan?.name ?? "";
  if (FIXED_WIRELESS.test(plan)) return "fixed_wireless";
  if (FIBRE.test(plan)) return "fiber";
  return "unknown";
}

function peers(around: Surroundings, own: string | undefined): PeerOnu[] {
  const rx = new Map<string, number[]>();
  for (const s of around.samples) {
    if (s.rxPowerDbm === null) continue;
    const list = rx.get(s.externalId) ?? [];
    list.push(s.rxPowerDbm);
    rx.set(s.externalId, list);
  }
  return around.neighbours
    .filter((n) => n.externalId !== own)
    .map((n) => ({
      externalId: n.externalId,
      odbName: n.odbName,
      board: n.board,
      port: n.port,
      status: n.status,
      rxPowerDbm: n.rxPowerDbm,
      recentRxPowerDbm: rx.get(n.externalId) ?? [],
      observedAt: n.signalObservedAt,
    }));
}

const LOGGED = /^(\S+) logged (in|out)\b/;

/** The user's logins and logouts in the router's log (RouterOS' `account` topic lines). */
export function sessionHistory(logs: RouterLogEntry[], user: string, observedAt: Date | null): SessionHistory | null {
  const timed = logs.filter((l) => l.time !== null);
  const first = timed[0]?.time;
  if (!first) return null;
  const events: SessionHistory["events"] = [];
  for (const l of timed) {
    const m = LOGGED.exec(l.message);
    if (m && m[1]?.toLowerCase() === user) events.push({ at: l.time as Date, kind: m[2] === "in" ? "login" : "logout" });
  }
  return { observedAt, freshness: "live", since: first, events };
}

function logouts(logs: RouterLogEntry[]): Date[] {
  return logs.filter((l) => l.time !== null && / logged out\b/.test(l.message)).map((l) => l.time as Date);
}
