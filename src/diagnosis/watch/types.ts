import type { Diagnosis } from "../../../gen/beholder/v1/diagnosis_pb.js";
import type { Customer, OnuStatus, PppSecret, PppSession, RouterTarget, TrafficReading } from "../../domain/types.js";
import type { Gathered } from "../types.js";
import type { Target } from "../target.js";
import type { OnuPlace } from "./plan.js";

/**
 * What the watch hub needs from the diagnosis engine: the gather step once per watched subscriber
 * (live, as GetDiagnosis), and the pure rest (rules, outage, presentation) as often as a poll brings
 * something new. The hub never asks the engine to read a vendor again: it brings the readings.
 */
export interface WatchEngine {
  /** Everything about the subscriber, read live under the diagnosis budget; NotFound when nobody knows it. */
  gather(target: Target, opts: { signal?: AbortSignal }): Promise<Gathered>;
  /** Findings, verdict, incident and the message, from gathered facts (cache reads at most). */
  conclude(gathered: Gathered): Promise<Diagnosis>;
}

/** The newest live readings of one watched subscriber, each stamped with when it was read. */
export interface LiveReadings {
  onuStatus?: { status: OnuStatus; lastStatusChange: Date | null; at: Date };
  onuSignal?: { rxPowerDbm: number | null; oltRxPowerDbm: number | null; signalCategory: string; at: Date };
  /** `session` null: the router was read and the user has no session. */
  pppoe?: { session: PppSession | null; secret?: PppSecret | null; at: Date };
  customer?: { customer: Customer; at: Date };
  traffic?: TrafficReading;
}

/** What the pollers need to know about a watched subscriber, from its first gather. */
export interface WatchSubject {
  /** One key per subscriber, whatever identifier the watchers used: watchers of one key share pollers. */
  key: string;
  pppoeUser: string | null;
  onu: (OnuPlace & { externalId: string }) | null;
  router: RouterTarget | null;
  customerId: number | null;
}

/** The cadence a stream is polled at, as WatchPolling reports it. */
export interface PollingInfo {
  onuStatusIntervalMs: number;
  onuSignalIntervalMs: number;
  sessionIntervalMs: number;
  customerIntervalMs: number;
  stretched: boolean;
  onuGroups: number;
}

/** One message for a watcher: the whole diagnosis and what changed since its previous one. */
export interface WatchUpdate {
  diagnosis: Diagnosis;
  changedFields: string[];
}
