import { EntitySchema } from "@mikro-orm/core";

/** A change of an ONU's status seen by a status refresh (bounded retention). */
export interface OnuStatusEventRow {
  id: number;
  externalId: string;
  /** When Beholder saw the change. */
  at: Date;
  /** SmartOLT's last_status_change for it, when given. */
  changedAt: Date | null;
  status: string;
  previousStatus: string | null;
}

export const OnuStatusEventSchema = new EntitySchema<OnuStatusEventRow>({
  name: "OnuStatusEvent",
  tableName: "onu_status_event",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    externalId: { type: "string" },
    at: { type: "datetime" },
    changedAt: { type: "datetime", nullable: true },
    status: { type: "string" },
    previousStatus: { type: "string", nullable: true },
  },
  indexes: [
    { name: "onu_status_event_onu", properties: ["externalId", "at"] },
    { name: "onu_status_event_at", properties: ["at"] },
  ],
});

/** An optical reading, kept when it moved or when the last one is old (bounded retention). */
export interface OnuSignalSampleRow {
  id: number;
  externalId: string;
  at: Date;
  rxPowerDbm: number | null;
  oltRxPowerDbm: number | null;
}

export const OnuSignalSampleSchema = new EntitySchema<OnuSignalSampleRow>({
  name: "OnuSignalSample",
  tableName: "onu_signal_sample",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    externalId: { type: "string" },
    at: { type: "datetime" },
    rxPowerDbm: { type: "double", nullable: true },
    oltRxPowerDbm: { type: "double", nullable: true },
  },
  indexes: [
    { name: "onu_signal_sample_onu", properties: ["externalId", "at"] },
    { name: "onu_signal_sample_at", properties: ["at"] },
  ],
});
