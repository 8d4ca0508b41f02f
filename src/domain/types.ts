/**
 * Domain types: what the rest of Beholder sees of the vendors. Numbers are numbers, optical levels
 * dBm or null, instants `Date` in UTC, statuses enums. Vendor wire types never leave `src/vendors/`.
 */

export type Vendor = "smartolt" | "ispcube" | "routeros";

/** Trimmed and lower-cased: the PPPoE user compared across the three systems. */
export function normalizeUser(user: string | null | undefined): string | null {
  const u = user?.trim().toLowerCase();
  return u ? u : null;
}

/**
 * How an ONU is linked to its subscriber (SMARTOLT_ONU_LINK): by the PPPoE user configured on it, by
 * its name, or by the username when set and else a name that is a known PPPoE user.
 */
export type OnuLinkMode = "username" | "name" | "auto";

/**
 * A router is its API host and port: several routers may share one public address on different
 * ports (port forwarding), and nodes that name the same host and port are one router.
 */
export function sameRouter(a: { host: string; port: number }, b: { host: string; port: number }): boolean {
  return a.host.trim().toLowerCase() === b.host.trim().toLowerCase() && a.port === b.port;
}

/** A router as a key: "10.0.0.1:8729" (breakers, links, freshness). */
export function routerKey(r: { host: string; port: number }): string {
  return `${r.host.trim().toLowerCase()}:${r.port}`;
}

/** The sync's per-router freshness source: "router:10.0.0.1:8729". */
export function routerStateKey(r: { host: string; port: number }): string {
  return `router:${routerKey(r)}`;
}

// --- SmartOLT ---

export type OnuStatus = "online" | "offline" | "power_fail" | "los" | "admin_disabled" | "unknown";

export interface Olt {
  id: string;
  name: string;
}

export interface Zone {
  id: string;
  name: string;
}

export interface Odb {
  id: string;
  name: string;
  zoneId: string | null;
}

/** An ONU as the inventory (get_all_onus_details) describes it. */
export interface OnuRecord {
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
  /** Normalised PPPoE user configured on the ONU, if any. */
  pppoeUser: string | null;
  status: OnuStatus;
  adminEnabled: boolean;
  lastStatusChange: Date | null;
  rxPowerDbm: number | null;
  oltRxPowerDbm: number | null;
  /** SmartOLT's own category: "Very good", "Warning", "Critical" or "-". */
  signalCategory: string;
  vlans: number[];
  onuType: string;
  mode: string;
  distanceM: number | null;
}

/** One row of the bulk status endpoint. */
export interface OnuStatusReading {
  externalId: string;
  serial: string;
  oltId: string;
  board: number | null;
  port: number | null;
  onuIndex: number | null;
  zoneId: string | null;
  odbId: string | null;
  status: OnuStatus;
  lastStatusChange: Date | null;
}

/** One row of the bulk signal endpoint, or a live per-ONU signal read. */
export interface OnuSignalReading {
  externalId: string;
  rxPowerDbm: number | null;
  oltRxPowerDbm: number | null;
  signalCategory: string;
  /** Fibre distance, when a live per-ONU read tells it (the bulk endpoint does not). */
  distanceM?: number | null;
}

// --- ISPCube ---

export type CustomerStatus = "enabled" | "blocked" | "no_service" | "other";

export interface Customer {
  id: number;
  /** Zero-padded; the padding is significant. */
  code: string;
  name: string;
  docNumber: string | null;
  address: string | null;
  city: string | null;
  status: CustomerStatus;
  statusRaw: string;
  /** Decimal strings with two fraction digits, as ISPCube keeps money. */
  debt: string;
  dueDebt: string;
  phones: string[];
  emails: string[];
  blockedAt: Date | null;
  createdAt: Date | null;
  deleted: boolean;
}

export interface Connection {
  id: number;
  customerId: number;
  planId: number | null;
  nodeId: number | null;
  /** "pppoe", "radius", "nc", ... */
  kind: string;
  /** Normalised PPPoE user. */
  pppoeUser: string | null;
  address: string | null;
  ip: string | null;
  deleted: boolean;
}

export interface Plan {
  id: number;
  name: string;
  downloadKbps: number;
  uploadKbps: number;
  price: string;
}

/** An ISPCube node. Mikrotik nodes are the routers Beholder talks to. */
export interface Node {
  id: number;
  name: string;
  type: string;
  host: string;
  port: number;
}

// --- RouterOS ---

/** Where to reach one router. Credentials come from config, never from here. */
export interface RouterTarget {
  /** Stable name: the ISPCube node's comment/code, or "default" for MK_HOST. */
  name: string;
  host: string;
  port: number;
  /** ISPCube node id, 0 for the MK_HOST default. */
  nodeId: number;
}

/** A /ppp/secret entry; the password is never read. */
export interface PppSecret {
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

export interface PppSession {
  name: string;
  address: string | null;
  callerId: string | null;
  uptimeS: number;
  service: string;
  sessionId: string | null;
}

/** Rates from the subscriber's point of view. */
export interface TrafficReading {
  downloadBps: number;
  uploadBps: number;
  at: Date;
}

export interface QueueReading {
  name: string;
  maxDownloadBps: number;
  maxUploadBps: number;
  downloadBps: number;
  uploadBps: number;
}

export interface RouterLogEntry {
  time: Date | null;
  topics: string;
  message: string;
}
