import type { Incident, OnuStatusRow, OutageSnapshot } from "./outage/types.js";
import type { TriageFacts } from "./triage/facts.js";
import type { TriageResult } from "./triage/result.js";

/** The pure half of the engine, injected so the I/O half is tested against the real rules. */
export interface TriageRules {
  triage(facts: TriageFacts): TriageResult;
  /** The incident the ONU belongs to in these rows, at its widest scope. */
  incidentFor(rows: OnuStatusRow[], externalId: string, asOf: Date | null): Incident | null;
  /** Every current incident of a snapshot, each reported once at its widest scope. */
  incidents(snapshot: OutageSnapshot): Incident[];
}
