import type { OnuFacts, PeerOnu, SourceState, TriageFacts } from "../../src/diagnosis/triage/facts.js";
import type { OnuStatusRow } from "../../src/diagnosis/outage/types.js";
import { DEFAULT_THRESHOLDS, DEFAULT_TRIAGE_OPTIONS, type Thresholds, type TriageOptions } from "../../src/diagnosis/thresholds.js";
import { runRules } from "../../src/diagnosis/triage/triage.js";

/** 2026-12-02 14:35 in Buenos Aires. */
export const NOW = new Date("2026-12-02T17:35:00Z");
export const ago = (seconds: number): Date => new Date(NOW.getTime() - seconds * 1000);
export const MIN = 60;
export const HOUR = 3600;
export const DAY = 86_400;

export function options(overrides: Partial<Thresholds> = {}): TriageOptions {
  return { ...DEFAULT_TRIAGE_OPTIONS, thresholds: { ...DEFAULT_THRESHOLDS, ...overrides } };
}

const live = { observedAt: ago(2), freshness: "live" as const };

export function liveSources(): SourceState[] {
  return (["ispcube", "smartolt", "routeros"] as const).map((source) => ({ source, freshness: "live", asOf: ago(2), reason: null }));
}

export function onu(over: Partial<OnuFacts> = {}): OnuFacts {
  return {
    ...live,
    externalId: "HWTC0001",
    serial: "HWTC0001",
    oltId: "1",
    oltName: "OLT-NORTE",
    board: 0,
    port: 3,
    odbName: "NAP-C02",
    zoneName: "Centro",
    status: "online",
    lastStatusChange: ago(3 * DAY),
    adminEnabled: true,
    rxPowerDbm: -19.2,
    oltRxPowerDbm: -21.4,
    signalHistory: [],
    statusHistory: [],
    ...over,
  };
}

export function peer(i: number, over: Partial<PeerOnu> = {}): PeerOnu {
  return {
    externalId: `PEER${i}`,
    odbName: "NAP-C02",
    board: 0,
    port: 3,
    status: "online",
    rxPowerDbm: -19,
    recentRxPowerDbm: [],
    observedAt: ago(60),
    ...over,
  };
}

/** A healthy fibre customer: every source live, nothing wrong. */
export function facts(over: Partial<TriageFacts> = {}): TriageFacts {
  return {
    now: NOW,
    pppoeUser: "juan.perez",
    sources: liveSources(),
    knownIn: ["ispcube", "smartolt", "routeros"],
    customer: {
      ...live,
      code: "003365",
      name: "Juan Pérez",
      status: "enabled",
      statusRaw: "enabled",
      debt: "0.00",
      dueDebt: "0.00",
      blockedAt: null,
    },
    plan: { name: "50M", downloadKbps: 50_000, uploadKbps: 10_000 },
    pppoe: {
      ...live,
      secret: {
        disabled: false,
        callerId: null,
        lastLoggedOut: ago(3 * DAY),
        lastCallerId: "AA:BB:CC:00:00:01",
        lastDisconnectReason: "peer-request",
        previousCallerId: "AA:BB:CC:00:00:01",
      },
      session: { uptimeS: 3 * DAY, callerId: "AA:BB:CC:00:00:01", address: "100.64.0.10" },
    },
    sessionHistory: null,
    access: "fiber",
    onu: onu(),
    peers: { freshness: "cached", onus: [1, 2, 3, 4, 5].map((i) => peer(i)) },
    queue: { ...live, maxDownloadBps: 50_000_000, maxUploadBps: 10_000_000, downloadBps: 2_000_000, uploadBps: 300_000 },
    traffic: [],
    incident: null,
    routerLogouts: null,
    ...over,
  };
}

export function ruleIds(f: TriageFacts, opts: TriageOptions = options()): string[] {
  return runRules(f, opts).map((x) => x.ruleId);
}

export function row(id: string, over: Partial<OnuStatusRow> = {}): OnuStatusRow {
  return {
    externalId: id,
    oltId: "1",
    oltName: "OLT-NORTE",
    board: 0,
    port: 3,
    odbName: "NAP-C02",
    zoneName: "Centro",
    status: "online",
    lastStatusChange: ago(5 * DAY),
    ...over,
  };
}
