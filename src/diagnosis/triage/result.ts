import type { Incident } from "../outage/types.js";
import type { ThresholdUnit } from "../thresholds.js";
import type { Freshness, SourceName } from "./facts.js";

/** The output of triage; maps 1:1 to proto Finding, Evidence, Threshold, Verdict (the api layer maps). */

export type Severity = "info" | "warning" | "critical";

/** A reading a finding rests on. */
export interface Evidence {
  source: SourceName;
  /** Dotted name of what was read, e.g. "onu.rx_power_dbm". */
  field: string;
  /** The value as text, e.g. "-27.6". */
  value: string;
  observedAt: Date | null;
  freshness: Freshness;
}

export interface ThresholdUsed {
  /** Config name, e.g. "onu_rx_critical_dbm". */
  name: string;
  value: number;
  unit: ThresholdUnit;
}

/** One rule that fired, on which readings, against which thresholds. */
export interface Finding {
  /** Stable rule id (see rules/index.ts), e.g. "optical.rx_critical". */
  ruleId: string;
  severity: Severity;
  /** One sentence for the agent, in Spanish. */
  summary: string;
  evidence: Evidence[];
  thresholds: ThresholdUsed[];
}

export type Action = "no_action" | "remote" | "dispatch" | "billing" | "network_incident";
export type Confidence = "high" | "medium" | "low";

export interface Verdict {
  action: Action;
  /** The rule that decided the action (a finding's ruleId, or "all_green"). */
  ruleId: string;
  confidence: Confidence;
  /** Why the confidence is not high; empty when it is. */
  confidenceReason: string;
  /** For the support agent (Spanish, Argentina; trade words allowed). */
  agentMessage: string;
  /** What a chatbot may say to the customer (Argentine Spanish, vos, no jargon). */
  customerMessage: string;
}

export interface TriageResult {
  findings: Finding[];
  verdict: Verdict;
  /** The incident named by the verdict, if any (the one from the facts). */
  incident: Incident | null;
  /** Plain text for pasting into a ticket. */
  ticketText: string;
}
