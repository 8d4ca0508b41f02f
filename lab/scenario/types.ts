/**
 * The lab's model of one ISP, shared by the three simulators, the scenario files and the generator.
 *
 * Values are stored in domain form (numbers as numbers, instants as ISO-8601 UTC strings, optical
 * levels in dBm or null); each simulator renders them in its vendor's wire format (SmartOLT's string
 * numbers and " dBm" suffixes, ISPCube's Laravel serialisation, RouterOS words). The same PPPoE user
 * name links the three systems: `Onu.username`, `IspConnection.user` and `RouterSecret.name`.
 */

export type OnuStatus = "Online" | "Offline" | "Power fail" | "LOS" | "Admin Disabled";
export type CustomerStatus = "enabled" | "blocked" | "no_service";
export type RouterVersion = "6.49" | "7.8" | "7.15" | "7.18";

export interface Scenario {
  /** Scenario name, e.g. `single-los`. */
  name: string;
  description?: string;
  /** The lab clock's start, ISO-8601 UTC. Relative times in the scenario are resolved against it. */
  now: string;
  smartolt: SmartOltWorld;
  ispcube: IspCubeWorld;
  routers: RouterWorld[];
  faults?: Faults;
}

export interface SmartOltWorld {
  /** The X-Token the simulator accepts. */
  token: string;
  /** IANA zone of the SmartOLT account; timestamps go out in it, without offset. */
  timezone: string;
  olts: Olt[];
  zones: Zone[];
  odbs: Odb[];
  onus: Onu[];
  /** Overrides of the documented limits (shared/vendors/smartolt.md §3), for tests. */
  rateLimits?: Partial<SmartOltRateLimits>;
}

export interface SmartOltRateLimits {
  hourly: number;
  perSecond: number;
  burst: number;
  allOnusDetailsUnpagedPerHour: number;
  onuSignalPerHour: number;
  /** `get_olt_pon_ports_details` (and the other heavy OLT reads) per OLT per 10 minutes. */
  heavyOltDetailsPer10Min?: number;
}

export interface Olt {
  id: number;
  name: string;
  hardwareVersion: string;
  ip: string;
}

export interface Zone {
  id: number;
  name: string;
}

export interface Odb {
  id: number;
  name: string;
  zoneId: number;
  ports: number;
}

export interface Onu {
  /** SmartOLT's unique_external_id; usually equals `sn`. */
  externalId: string;
  sn: string;
  oltId: number;
  board: number;
  port: number;
  onu: number;
  zoneId: number;
  odbId: number | null;
  odbPort?: number | null;
  name: string;
  address: string | null;
  /** PPPoE user configured on the ONU (may be null for bridged ONUs). */
  username: string | null;
  onuType: string;
  mode: "Routing" | "Bridging";
  vlan: number;
  status: OnuStatus;
  administrativeStatus: "Enabled" | "Disabled";
  /** ISO-8601 UTC. */
  lastStatusChange: string;
  /** Configuration last changed (drives `updated_since`), ISO-8601 UTC. */
  updatedAt: string;
  authorizationDate: string;
  /** ONU receive power (signal_1490), dBm; null when there is no reading. */
  rxDbm: number | null;
  /** OLT receive power for this ONU (signal_1310), dBm; null when there is no reading. */
  oltRxDbm: number | null;
  distanceM?: number;
}

export interface IspCubeWorld {
  apiKey: string;
  clientId: string;
  username: string;
  password: string;
  /** Token lifetime in seconds (24 h in production). */
  tokenTtlSeconds?: number;
  /** Return the legacy plain-text token body instead of {"token": …}. */
  legacyTokenBody?: boolean;
  customers: IspCustomer[];
  plans: IspPlan[];
  nodes: IspNode[];
  connections: IspConnection[];
  tickets?: IspTicket[];
}

export interface IspCustomer {
  id: number;
  /** Zero-padded, usually 6 digits; the padding is significant. */
  code: string;
  /** Free text, usually "SURNAME NAME" in capitals, may carry accents. */
  name: string;
  docNumber: string | null;
  address: string | null;
  city: string;
  status: CustomerStatus;
  /** Total balance, in pesos. */
  debt: number;
  /** Overdue part of the balance, in pesos. */
  dueDebt: number;
  phones: string[];
  emails: string[];
  /** ISO-8601 UTC. */
  createdAt: string;
  blockDate?: string | null;
  deletedAt?: string | null;
  temporary?: boolean;
}

export interface IspPlan {
  id: number;
  code: string;
  name: string;
  price: number;
  /** kbps */
  speedDown: number;
  /** kbps */
  speedUp: number;
}

export interface IspNode {
  id: number;
  code: string;
  comment: string;
  type: "Mikrotik" | "FreeRadius";
  /** For Mikrotik nodes the lab rewrites ip/port to the simulated router's real address. */
  ip: string;
  port: number;
  /** Name of the simulated router in `Scenario.routers` this node stands for. */
  router?: string;
}

export interface IspConnection {
  id: number;
  customerId: number;
  planId: number | null;
  nodeId: number | null;
  conntype: "pppoe" | "radius" | "nc";
  /** PPPoE user name, the join key. */
  user: string | null;
  password: string | null;
  address: string | null;
  ip: string | null;
  /** CPE MAC address (`AA:BB:CC:DD:EE:FF`), for `GET /api/connection?mac_address=`. */
  mac?: string | null;
  createdAt: string;
  deleteDate?: string | null;
}

export interface IspTicket {
  id: number;
  customerId: number;
  connectionId: number | null;
  status: string;
  category: string;
  content: string;
  createdAt: string;
}

export interface RouterWorld {
  /** Stable name, referenced by `IspNode.router`. */
  name: string;
  identity: string;
  version: RouterVersion;
  /** API login credentials. */
  user: string;
  password: string;
  /** Speak the pre-6.43 challenge login instead of the plain one. */
  legacyLogin?: boolean;
  /** IANA zone of the router's clock; dates go out in it, without offset. Default `UTC`. */
  timezone?: string;
  secrets: RouterSecret[];
  profiles: RouterProfile[];
  active: RouterSession[];
  /** Static simple queues; dynamic `<pppoe-USER>` queues are derived from profiles' rate-limit. */
  queues: RouterQueue[];
  /** Current traffic per PPPoE user, bits per second from the subscriber's point of view. */
  traffic: RouterTraffic[];
  logs: RouterLogLine[];
}

export interface RouterSecret {
  name: string;
  password: string;
  profile: string;
  service: "pppoe" | "any";
  disabled: boolean;
  remoteAddress?: string;
  callerId?: string;
  comment?: string;
  lastLoggedOut?: string | null;
  lastCallerId?: string | null;
  lastDisconnectReason?: string | null;
}

export interface RouterProfile {
  name: string;
  /** RouterOS rate-limit, e.g. "10M/50M" (rx/tx from the router's side: upload/download). */
  rateLimit?: string;
  localAddress?: string;
}

export interface RouterSession {
  name: string;
  address: string;
  callerId: string;
  /** ISO-8601 UTC; uptime is derived from the lab clock. */
  since: string;
  sessionId?: string;
  /** Round-trip time of `/ping` to this session's address, ms (default 3). */
  rttMs?: number;
  /** 0..1: share of `/ping` requests to this session's address that time out (deterministic by seq). */
  pingLoss?: number;
}

export interface RouterQueue {
  name: string;
  target: string;
  maxLimit: string;
  disabled?: boolean;
}

export interface RouterTraffic {
  name: string;
  downloadBps: number;
  uploadBps: number;
}

export interface RouterLogLine {
  time: string;
  topics: string;
  message: string;
}

/** Faults, keyed per simulator and per endpoint or command (`*` for all). */
export interface Faults {
  smartolt?: Record<string, HttpFault>;
  ispcube?: Record<string, HttpFault>;
  /** Keyed by router name, then by command path (`*` for all). */
  routeros?: Record<string, Record<string, RouterFault>>;
}

export interface HttpFault {
  latencyMs?: number;
  jitterMs?: number;
  /** 0..1: share of calls answered with `status` (default 500). */
  errorRate?: number;
  status?: number;
  /** Accept and never answer. */
  hang?: boolean;
  /** Reset the connection after writing part of the response. */
  resetMidResponse?: boolean;
  /** Answer the next N calls with `status` (5xx or 429), then recover. */
  burst?: { count: number; status: number };
  /** Reject every credential. */
  wrongCredentials?: boolean;
  /** ISPCube only: answer HTTP 200 with {"status":false,…}. */
  status200Error?: boolean;
  /** Take the simulator down (connection refused). */
  down?: boolean;
}

export interface RouterFault {
  latencyMs?: number;
  jitterMs?: number;
  errorRate?: number;
  silent?: boolean;
  dropMidCommand?: boolean;
  fatal?: boolean;
  unknownReplyWord?: boolean;
  untagged?: boolean;
  refuse?: boolean;
  idleCloseMs?: number;
  wrongCredentials?: boolean;
  /** Split each reply into socket writes of at most this many bytes. */
  splitWritesAt?: number;
}
