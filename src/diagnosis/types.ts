import type { CachedOnu } from "../cache/diagnosis-reads.js";
import type { Connection, Customer, Plan, PppSecret, PppSession, QueueReading, RouterLogEntry, RouterTarget, TrafficReading, Vendor } from "../domain/types.js";
import type { Target } from "./target.js";

export type Freshness = "live" | "cached" | "unavailable";

/** Why a source could not be read live (mirrors the proto's UnavailableReason). */
export type UnavailableReason = "timeout" | "breaker_open" | "auth" | "rate_limited" | "disabled" | "error" | "bad_response";

/** Where one source's data came from and how old it is. */
export interface SourceReport {
  source: Vendor;
  freshness: Freshness;
  /** When the data was observed (for cached data: when the sync read it). */
  asOf: Date | null;
  /** Set when a live read was not made or failed. */
  reason: UnavailableReason | null;
  /** Safe to show: never credentials. */
  detail: string;
  /** How long the live read took, when one was attempted. */
  latencyMs: number | null;
}

/** How the router was chosen: the one holding the secret, the connection's ISPCube node, or MK_HOST. */
export type RouterVia = "secret" | "node" | "default";

export interface ChosenRouter extends RouterTarget {
  via: RouterVia;
}

/** What the RouterOS probe saw (live or from the cache's secret). */
export interface PppoeObservation {
  secret: PppSecret | null;
  /** Undefined when the session could not be read (cache only: the cache keeps no sessions). */
  session: PppSession | null | undefined;
  queue: QueueReading | null | undefined;
  traffic: TrafficReading | null | undefined;
  /** The router's newest log lines (every user), oldest first; undefined when not read. */
  logs: RouterLogEntry[] | undefined;
}

/** What the ONU probe saw, merged over the cached ONU. */
export interface OnuObservation {
  onu: CachedOnu;
  /** When the status and the levels were observed (live now, or when the sync read them). */
  statusAt: Date;
  signalAt: Date;
}

/** Everything gathered for one diagnosis, before the rules. */
export interface Gathered {
  target: Target;
  pppoeUser: string | null;
  knownIn: Vendor[];
  customer: Customer | null;
  connection: Connection | null;
  plan: Plan | null;
  router: ChosenRouter | null;
  pppoe: PppoeObservation;
  /** The secret as the cache held it (its last caller-id tells a swapped router). */
  cachedSecret: PppSecret | null;
  onu: OnuObservation | null;
  sources: SourceReport[];
}
