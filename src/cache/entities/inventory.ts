import { EntitySchema, type EntitySchemaMetadata } from "@mikro-orm/core";
import type { CustomerStatus, OnuStatus } from "../../domain/types.js";

/**
 * Cached vendor inventory, one table per vendor entity. Each table also has a `stage_*` twin
 * (entities/staging.ts) that a sync fills page by page before the swap.
 */

export interface CustomerRow {
  id: number;
  code: string;
  name: string;
  docNumber: string | null;
  address: string | null;
  city: string | null;
  status: CustomerStatus;
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

export const customerMeta: EntitySchemaMetadata<CustomerRow> = {
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
  indexes: [{ name: "customer_code", properties: ["code"] }],
};
export const CustomerSchema = new EntitySchema<CustomerRow>(customerMeta);

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

export const connectionMeta: EntitySchemaMetadata<ConnectionRow> = {
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
  indexes: [
    { name: "connection_pppoe_user", properties: ["pppoeUser"] },
    { name: "connection_customer", properties: ["customerId"] },
  ],
};
export const ConnectionSchema = new EntitySchema<ConnectionRow>(connectionMeta);

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
  /**
   * The PPPoE user this ONU is linked to: its `username`, or its `name` where that names a PPPoE
   * user (SMARTOLT_ONU_LINK). Decided in subscribers.ts on every rebuild, null when nothing links.
   */
  pppoeUser: string | null;
  /** The PPPoE user configured on the ONU itself (SmartOLT `username`, normalised); null when bridged. */
  username: string | null;
  /** Which field linked it: "username", "name", or null. */
  linkVia: string | null;
  status: OnuStatus;
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

export const onuMeta: EntitySchemaMetadata<OnuRow> = {
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
    username: { type: "string", nullable: true },
    linkVia: { type: "string", nullable: true },
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
  indexes: [
    { name: "onu_pppoe_user", properties: ["pppoeUser"] },
    { name: "onu_serial", properties: ["serial"] },
    { name: "onu_pon", properties: ["oltId", "board", "port"] },
    { name: "onu_odb", properties: ["odbName"] },
  ],
};
export const OnuSchema = new EntitySchema<OnuRow>(onuMeta);

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

export const pppSecretMeta: EntitySchemaMetadata<PppSecretRow> = {
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
  indexes: [{ name: "ppp_secret_name", properties: ["name"] }],
};
export const PppSecretSchema = new EntitySchema<PppSecretRow>(pppSecretMeta);

/** One row per PPPoE user, joined across the three systems (subscribers.ts); the search index covers it. */
export interface SubscriberRow {
  pppoeUser: string;
  customerId: number | null;
  customerCode: string | null;
  customerName: string | null;
  docNumber: string | null;
  docDigits: string | null;
  address: string | null;
  /** The customer's phones as 10 national digits (search-keys.ts), space-separated, for word search. */
  phones: string | null;
  /** The ISPCube connection the row came from (its plan and node). */
  connectionId: number | null;
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
    connectionId: { type: "integer", nullable: true },
    onuExternalId: { type: "string", nullable: true },
    onuSerial: { type: "string", nullable: true },
    mac: { type: "string", nullable: true },
    macKey: { type: "string", nullable: true },
    routerNodeId: { type: "integer", nullable: true },
    inIspcube: { type: "boolean" },
    inSmartolt: { type: "boolean" },
    inRouteros: { type: "boolean" },
  },
  indexes: [
    { name: "subscriber_doc_digits", properties: ["docDigits"] },
    { name: "subscriber_onu_serial", properties: ["onuSerial"] },
    { name: "subscriber_mac_key", properties: ["macKey"] },
    { name: "subscriber_customer_code", properties: ["customerCode"] },
  ],
});

/**
 * Exact search keys of a subscriber (search-keys.ts): every phone's national digits and subscriber
 * number, the DNI inside a CUIT, the serial's hex tail, each e-mail as one token. A side table rather
 * than FTS terms: they are looked up whole, and as FTS terms they would multiply the terms every
 * word prefix has to merge (each e-mail holds the customer's names).
 */
export interface SubscriberKeyRow {
  key: string;
  pppoeUser: string;
  /** The SearchResult field the key stands for: phones, doc_number, onu_serial, emails. */
  field: string;
}

export const SubscriberKeySchema = new EntitySchema<SubscriberKeyRow>({
  name: "SubscriberKey",
  tableName: "subscriber_key",
  properties: {
    key: { type: "string", primary: true },
    pppoeUser: { type: "string", primary: true },
    field: { type: "string", primary: true },
  },
});

/**
 * The PPPoE sessions each router had up at the status job's last read of `/ppp/active` (its time is
 * router's `sessions:router:<host>:<port>` source state; nodes naming one address each get its rows): what lets a search result say whether a
 * subscriber is connected without asking the router.
 */
export interface PppSessionRow {
  routerNodeId: number;
  name: string;
}

export const PppSessionSchema = new EntitySchema<PppSessionRow>({
  name: "PppSession",
  tableName: "ppp_session",
  properties: {
    routerNodeId: { type: "integer", primary: true, autoincrement: false },
    name: { type: "string", primary: true },
  },
});
