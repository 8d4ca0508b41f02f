import type { CustomerStatus, OnuStatus, Vendor } from "../../domain/types.js";
import type { Incident } from "../outage/types.js";

/**
 * The input of triage: one snapshot of everything known about one subscriber, each group carrying
 * where and when it was observed. Built by the gather step (diagnosis/, I/O); read by pure rules.
 *
 * Absence is spelled out: a group that is `null` means "not read" (its source unavailable and nothing
 * cached) unless its doc says otherwise, so a rule never mistakes "unknown" for "missing".
 */

export type SourceName = Vendor;
export type Freshness = "live" | "cached" | "unavailable";

/** How one source answered this diagnosis (proto SourceStatus). */
export interface SourceState {
  source: SourceName;
  freshness: Freshness;
  /** When the data was observed at the vendor (for cached: when it was synced); null if unavailable. */
  asOf: Date | null;
  /** Why the live read failed or was skipped (safe to show), e.g. "timeout", "breaker open". */
  reason: string | null;
}

/** Where and when a group of values was observed; every Evidence is built from one. */
export interface Observation {
  observedAt: Date | null;
  freshness: Freshness;
}

export interface CustomerFacts extends Observation {
  code: string;
  name: string;
  status: CustomerStatus;
  /** ISPCube's status string as sent. */
  statusRaw: string;
  /** Decimal strings with two fraction digits ("30100.00"); negative is a credit. */
  debt: string;
  dueDebt: string;
  blockedAt: Date | null;
}

export interface PlanFacts {
  name: string;
  downloadKbps: number;
  uploadKbps: number;
}

export interface SecretFacts {
  disabled: boolean;
  /** MAC the secret is locked to, if any. */
  callerId: string | null;
  lastLoggedOut: Date | null;
  lastCallerId: string | null;
  lastDisconnectReason: string | null;
  /** last-caller-id as the cache held it before this read; a different one now means a new router. */
  previousCallerId?: string | null;
}

export interface SessionFacts {
  uptimeS: number;
  callerId: string | null;
  address: string | null;
}

/** What the router knows of the user: read together, so one observation covers both. */
export interface PppoeFacts extends Observation {
  /** null: the router has no secret with this name. */
  secret: SecretFacts | null;
  /** null: no active session (the router was read and has none). */
  session: SessionFacts | null;
}

/** The user's logins and logouts from the router log, oldest first (for flapping). */
export interface SessionHistory extends Observation {
  /** Start of the period the log covers: no event before it is known. */
  since: Date;
  events: Array<{ at: Date; kind: "login" | "logout" }>;
}

export interface SignalSample {
  at: Date;
  rxPowerDbm: number | null;
  oltRxPowerDbm: number | null;
}

export interface OnuFacts extends Observation {
  externalId: string;
  serial: string;
  oltId: string;
  oltName: string;
  board: number | null;
  port: number | null;
  odbName: string | null;
  zoneName: string | null;
  status: OnuStatus;
  lastStatusChange: Date | null;
  adminEnabled: boolean;
  /** ONU receive power (downstream), dBm; null without a reading. */
  rxPowerDbm: number | null;
  /** OLT receive power for this ONU (upstream), dBm; null without a reading. */
  oltRxPowerDbm: number | null;
  /** The ONU's kept signal samples (any order), for its own recent median. May include the current one. */
  signalHistory: SignalSample[];
  /** The ONU's recent status changes (any order), e.g. from the kept status events; for "the ONU drops too". */
  statusHistory: Array<{ at: Date; status: OnuStatus }>;
}

/**
 * Another ONU on the same ODB or the same PON port, as currently known (usually the cached bulk
 * status and signal). Give every ONU of the port and of the ODB except the customer's own.
 */
export interface PeerOnu {
  externalId: string;
  odbName: string | null;
  board: number | null;
  port: number | null;
  status: OnuStatus;
  rxPowerDbm: number | null;
  /** Its kept Rx samples, for its own median (the PON degrading rule); empty if unknown. */
  recentRxPowerDbm: number[];
  observedAt: Date | null;
}

export interface PeerFacts {
  freshness: Freshness;
  onus: PeerOnu[];
}

export interface QueueFacts extends Observation {
  /** max-limit; 0 means none (the plan's speed is used instead). */
  maxDownloadBps: number;
  maxUploadBps: number;
  downloadBps: number;
  uploadBps: number;
}

export interface TrafficSample {
  at: Date;
  downloadBps: number;
  uploadBps: number;
}

/** PPPoE logouts of every user on the subscriber's router, from its log (corroborates area events). */
export interface RouterLogouts extends Observation {
  times: Date[];
}

/**
 * "fiber": the subscriber should have an ONU; "fixed_wireless": no ONU by design; "unknown": the
 * systems do not say (an ONU-less subscriber is then diagnosed on PPPoE and billing alone).
 */
export type AccessKind = "fiber" | "fixed_wireless" | "unknown";

export interface TriageFacts {
  /** The instant of the diagnosis; no rule reads the clock. */
  now: Date;
  /** Normalised PPPoE user, or null (a bridged ONU asked for by serial). */
  pppoeUser: string | null;
  /** One entry per source. */
  sources: SourceState[];
  /** Systems in which this subscriber exists (proto Diagnosis.known_in). */
  knownIn: SourceName[];
  /** null: not in ISPCube, or ISPCube unread (see sources). */
  customer: CustomerFacts | null;
  plan: PlanFacts | null;
  /** null: the router was not read (no router, or unavailable with nothing cached). */
  pppoe: PppoeFacts | null;
  /** null: the router log was not read. */
  sessionHistory: SessionHistory | null;
  access: AccessKind;
  /** null: no ONU for this subscriber in SmartOLT, or SmartOLT unread (see sources and `access`). */
  onu: OnuFacts | null;
  /** null: peers unknown. */
  peers: PeerFacts | null;
  queue: QueueFacts | null;
  /** Recent rates of the user's queue or interface, oldest first; empty when not sampled. */
  traffic: TrafficSample[];
  /** The incident the subscriber's ONU belongs to (outage.findIncidentFor), if any. */
  incident: Incident | null;
  routerLogouts: RouterLogouts | null;
}
