import { EntitySchema } from "@mikro-orm/core";

/**
 * Cached vendor inventory. Tables are created by migrations/0002-inventory.ts; these schemas let the
 * rest of the cache read them through MikroORM. Bulk writes go through `writes.ts` (one SQL
 * transaction per source) because a unit of work over 100,000 rows would be slow and memory-hungry.
 */

export interface CustomerRow {
  id: number;
  code: string;
  name: string;
  docNumber: string | null;
  address: string | null;
  city: string | null;
  status: string;
  statusRaw: string;
  debt: string;
  dueDebt: string;
  /** JSON array of strings. */
  phones: string;
  /** JSON array of strings. */
  emails: string;
  blockedAt: Date | null;
  createdAt: Date | null;
  deleted: boolean;
}

export const CustomerSchema = new EntitySchema<CustomerRow>({
  name: "Customer",
  tableName: "customer",
  properties: {
    id: { type: "integer", primary: true, autoincrement: false },
    code: { type: "string" },
    name: { type: "string" },
    docNumber: { type: "string", nullable: true },
    address: { type: "string", nullable: true },
    city: { type: "string", nullable: true },
    status: { type: "string" },
    statusRaw: { type: "string" },
    debt: { type: "string" },
    dueDebt: { type: "string" },
    phones: { type: "string" },
    emails: { type: "string" },
    blockedAt: { type: "datetime", nullable: true },
    createdAt: { type: "datetime", nullable: true },
    deleted: { type: "boolean" },
  },
});

export interface PlanRow {
  id: number;
  name: string;
  downloadKbps: number;
  uploadKbps: number;
  price: string;
}

export const PlanSchema = new EntitySchema<PlanRow>({
  name: "Plan",
  tableName: "plan",
  properties: {
    id: { type: "integer", primary: true, autoincrement: false },
    name: { type: "string" },
    downloadKbps: { type: "integer" },
    uploadKbps: { type: "integer" },
    price: { type: "string" },
  },
});

export interface ConnectionRow {
  id: number;
  customerId: number;
  planId: number | null;
  nodeId: number | null;
  kind: string;
  pppoeUser: string | null;
  address: string | null;
  ip: string | null;
  deleted: boolean;
}

export const ConnectionSchema = new EntitySchema<ConnectionRow>({
  name: "Connection",
  tableName: "connection",
  properties: {
    id: { type: "integer", primary: true, autoincrement: false },
    customerId: { type: "integer" },
    planId: { type: "integer", nullable: true },
    nodeId: { type: "integer", nullable: true },
    kind: { type: "string" },
    pppoeUser: { type: "string", nullable: true },
    address: { type: "string", nullable: true },
    ip: { type: "string", nullable: true },
    deleted: { type: "boolean" },
  },
});

export interface RouterRow {
  nodeId: number;
  name: string;
  host: string;
  port: number;
  type: string;
}

export const RouterSchema = new EntitySchema<RouterRow>({
  name: "Router",
  tableName: "router",
  properties: {
    nodeId: { type: "integer", primary: true, autoincrement: false },
    name: { type: "string" },
    host: { type: "string" },
    port: { type: "integer" },
    type: { type: "string" },
  },
});

export interface OnuRow {
  externalId: string;
  serial: string;
  oltId: string;
  oltName: string;
  board: number | null;
  port: number | null;
  onuIndex: number | null;
  zoneId: string | null;
  zoneName: string | null;
  odbName: string | null;
  name: string;
  address: string | null;
  pppoeUser: string | null;
  status: string;
  adminEnabled: boolean;
  lastStatusChange: Date | null;
  rxPowerDbm: number | null;
  oltRxPowerDbm: number | null;
  signalCategory: string;
  /** JSON array of numbers. */
  vlans: string;
  onuType: string;
  mode: string;
  distanceM: number | null;
  statusObservedAt: Date;
  signalObservedAt: Date;
}

export const OnuSchema = new EntitySchema<OnuRow>({
  name: "Onu",
  tableName: "onu",
  properties: {
    externalId: { type: "string", primary: true },
    serial: { type: "string" },
    oltId: { type: "string" },
    oltName: { type: "string" },
    board: { type: "integer", nullable: true },
    port: { type: "integer", nullable: true },
    onuIndex: { type: "integer", nullable: true },
    zoneId: { type: "string", nullable: true },
    zoneName: { type: "string", nullable: true },
    odbName: { type: "string", nullable: true },
    name: { type: "string" },
    address: { type: "string", nullable: true },
    pppoeUser: { type: "string", nullable: true },
    status: { type: "string" },
    adminEnabled: { type: "boolean" },
    lastStatusChange: { type: "datetime", nullable: true },
    rxPowerDbm: { type: "double", nullable: true },
    oltRxPowerDbm: { type: "double", nullable: true },
    signalCategory: { type: "string" },
    vlans: { type: "string" },
    onuType: { type: "string" },
    mode: { type: "string" },
    distanceM: { type: "integer", nullable: true },
    statusObservedAt: { type: "datetime" },
    signalObservedAt: { type: "datetime" },
  },
});

export interface PppSecretRow {
  routerNodeId: number;
  name: string;
  profile: string;
  service: string;
  disabled: boolean;
  remoteAddress: string | null;
  callerId: string | null;
  lastLoggedOut: Date | null;
  lastCallerId: string | null;
  lastDisconnectReason: string | null;
  comment: string | null;
}

export const PppSecretSchema = new EntitySchema<PppSecretRow>({
  name: "PppSecret",
  tableName: "ppp_secret",
  properties: {
    routerNodeId: { type: "integer", primary: true, autoincrement: false },
    name: { type: "string", primary: true },
    profile: { type: "string" },
    service: { type: "string" },
    disabled: { type: "boolean" },
    remoteAddress: { type: "string", nullable: true },
    callerId: { type: "string", nullable: true },
    lastLoggedOut: { type: "datetime", nullable: true },
    lastCallerId: { type: "string", nullable: true },
    lastDisconnectReason: { type: "string", nullable: true },
    comment: { type: "string", nullable: true },
  },
});

/** One row per PPPoE user, joined across the three systems; the search index covers it. */
export interface SubscriberRow {
  pppoeUser: string;
  customerId: number | null;
  customerCode: string | null;
  customerName: string | null;
  docNumber: string | null;
  docDigits: string | null;
  address: string | null;
  phones: string | null;
  onuExternalId: string | null;
  onuSerial: string | null;
  /** The MAC as the router shows it, e.g. "AA:BB:CC:DD:EE:FF". */
  mac: string | null;
  /** Lower-case hex without separators, for search. */
  macKey: string | null;
  routerNodeId: number | null;
  inIspcube: boolean;
  inSmartolt: boolean;
  inRouteros: boolean;
}

export const SubscriberSchema = new EntitySchema<SubscriberRow>({
  name: "Subscriber",
  tableName: "subscriber",
  properties: {
    pppoeUser: { type: "string", primary: true },
    customerId: { type: "integer", nullable: true },
    customerCode: { type: "string", nullable: true },
    customerName: { type: "string", nullable: true },
    docNumber: { type: "string", nullable: true },
    docDigits: { type: "string", nullable: true },
    address: { type: "string", nullable: true },
    phones: { type: "string", nullable: true },
    onuExternalId: { type: "string", nullable: true },
    onuSerial: { type: "string", nullable: true },
    mac: { type: "string", nullable: true },
    macKey: { type: "string", nullable: true },
    routerNodeId: { type: "integer", nullable: true },
    inIspcube: { type: "boolean" },
    inSmartolt: { type: "boolean" },
    inRouteros: { type: "boolean" },
  },
});
