import type { OnuStatus } from "../../domain/types.js";

/** One row of the latest ONU status snapshot the sync keeps (one per ONU). */
export interface OnuStatusRow {
  externalId: string;
  oltId: string;
  oltName: string;
  board: number | null;
  port: number | null;
  odbName: string | null;
  zoneName: string | null;
  status: OnuStatus;
  /** SmartOLT's last_status_change; null when it gave none (the ONU then joins no event). */
  lastStatusChange: Date | null;
}

export type IncidentKind = "pon_down" | "partial_los" | "area_power";

/** An outage affecting many customers at once (proto Incident, plus the members). */
export interface Incident {
  /**
   * Stable while the incident lasts: `pon:<oltId>:<board>:<port>` (PON down or a partial LOS over
   * several ODBs of the port), `odb:<oltId>:<odbName>` (partial LOS of one ODB),
   * `power:<oltId>:<odbName>` (area power cut).
   */
  id: string;
  kind: IncidentKind;
  scope: "pon" | "odb";
  oltId: string;
  oltName: string;
  board: number | null;
  port: number | null;
  /** Set for ODB-scoped incidents. */
  odbName: string | null;
  zoneName: string | null;
  /** Every ONU of the scope in the snapshot. */
  onusTotal: number;
  /** ONUs counted as evidence (LOS for LOS kinds, Power fail for area power). */
  onusAffected: number;
  /** LOS / Power fail ONUs of the scope whose change falls in the event's window. */
  losCount: number;
  powerFailCount: number;
  /** Earliest status change among the affected ONUs. */
  startedAt: Date;
  /** One sentence for the agent, in Spanish. */
  summary: string;
  /**
   * ONUs that belong to the event: the affected ones, plus the scope's LOS, Power fail and bare
   * Offline ONUs whose change falls in the event's window (belonging, though not evidence).
   */
  memberIds: string[];
  /** When the status snapshot it was computed from was taken (evidence cites it). */
  asOf?: Date | null;
}

export interface OutageSnapshot {
  rows: OnuStatusRow[];
  /** When the snapshot was taken (ListIncidents reports its age). */
  asOf: Date | null;
}
