/**
 * The lab's model of one ISP, shared by the three simulators, the scenario files and the generator.
 * Each zod schema here is the one description of its part: the TypeScript types are inferred from it,
 * scenarios are validated by it (validate.ts) and scenario.schema.json is generated from it
 * (json-schema.ts), so the three cannot drift.
 *
 * Values are stored in domain form (numbers as numbers, instants as ISO-8601 UTC strings, optical
 * levels in dBm or null); each simulator renders them in its vendor's wire format (SmartOLT's string
 * numbers and " dBm" suffixes, ISPCube's Laravel serialisation, RouterOS words). The same PPPoE user
 * name links the three systems: `Onu.username`, `IspConnection.user` and `RouterSecret.name`.
 */
import { z } from "zod";

const ABSOLUTE = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z`;
const RELATIVE = String.raw`[+-](\d+(ms|w|d|h|m|s))+`;

/** `T | null` as a union, so a wrong value's error names both types ("must be number or null"). */
function orNull<T extends z.ZodType>(schema: T): z.ZodUnion<[T, z.ZodNull]> {
  return z.union([schema, z.null()]);
}

const absoluteInstant = z.string().regex(new RegExp(`^${ABSOLUTE}$`));
/** ISO-8601 UTC, or a duration relative to the scenario's `now` such as "-2h" or "-1d30m" (relative-time.ts). */
export const instantSchema = z.string().regex(new RegExp(`^(${ABSOLUTE}|${RELATIVE})$`));
const id = z.int().min(0);
const text = z.string().min(1);
const dbm = orNull(z.number().min(-60).max(10));
/** An upper-case MAC address, `AA:BB:CC:DD:EE:FF`. */
export const macSchema = z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
const count = z.int().min(0);

export const onuStatusSchema = z.enum(["Online", "Offline", "Power fail", "LOS", "Admin Disabled"]);
export type OnuStatus = z.infer<typeof onuStatusSchema>;
export const customerStatusSchema = z.enum(["enabled", "blocked", "no_service"]);
export type CustomerStatus = z.infer<typeof customerStatusSchema>;
export const routerVersionSchema = z.enum(["6.49", "7.8", "7.15", "7.18"]);
export type RouterVersion = z.infer<typeof routerVersionSchema>;

export const smartOltRateLimitsSchema = z.strictObject({
  hourly: count,
  perSecond: count,
  burst: count,
  allOnusDetailsUnpagedPerHour: count,
  onuSignalPerHour: count,
  /** `get_olt_pon_ports_details` (and the other heavy OLT reads) per OLT per 10 minutes. */
  heavyOltDetailsPer10Min: count.optional(),
});
export type SmartOltRateLimits = z.infer<typeof smartOltRateLimitsSchema>;

export const oltSchema = z.strictObject({ id, name: text, hardwareVersion: z.string(), ip: z.string() });
export type Olt = z.infer<typeof oltSchema>;

export const zoneSchema = z.strictObject({ id, name: text });
export type Zone = z.infer<typeof zoneSchema>;

export const odbSchema = z.strictObject({ id, name: text, zoneId: id, ports: z.int().min(1) });
export type Odb = z.infer<typeof odbSchema>;

export const onuSchema = z.strictObject({
  /** SmartOLT's unique_external_id; usually equals `sn`. */
  externalId: text,
  sn: text,
  oltId: id,
  board: count,
  port: count,
  onu: count,
  zoneId: id,
  odbId: orNull(id),
  odbPort: orNull(z.int().min(1)).optional(),
  name: z.string(),
  address: orNull(z.string()),
  /** PPPoE user configured on the ONU (may be null for bridged ONUs). */
  username: orNull(text),
  onuType: z.string(),
  mode: z.enum(["Routing", "Bridging"]),
  vlan: z.int().min(1).max(4094),
  status: onuStatusSchema,
  administrativeStatus: z.enum(["Enabled", "Disabled"]),
  lastStatusChange: instantSchema,
  /** Configuration last changed (drives `updated_since`). */
  updatedAt: instantSchema,
  authorizationDate: instantSchema,
  /** ONU receive power (signal_1490), dBm; null when there is no reading. */
  rxDbm: dbm,
  /** OLT receive power for this ONU (signal_1310), dBm; null when there is no reading. */
  oltRxDbm: dbm,
  distanceM: z.number().min(0).optional(),
});
export type Onu = z.infer<typeof onuSchema>;

export const smartOltWorldSchema = z.strictObject({
  /** The X-Token the simulator accepts. */
  token: text,
  /** IANA zone of the SmartOLT account; timestamps go out in it, without offset. */
  timezone: text,
  olts: z.array(oltSchema),
  zones: z.array(zoneSchema),
  odbs: z.array(odbSchema),
  onus: z.array(onuSchema),
  /** Overrides of the documented limits (shared/vendors/smartolt.md §3), for tests. */
  rateLimits: smartOltRateLimitsSchema.partial().optional(),
});
export type SmartOltWorld = z.infer<typeof smartOltWorldSchema>;

export const ispCustomerSchema = z.strictObject({
  id,
  /** Zero-padded, usually 6 digits; the padding is significant. */
  code: z.string().regex(/^[0-9]+$/),
  /** Free text, usually "SURNAME NAME" in capitals, may carry accents. */
  name: text,
  docNumber: orNull(z.string()),
  address: orNull(z.string()),
  city: z.string(),
  status: customerStatusSchema,
  /** Total balance, in pesos. */
  debt: z.number(),
  /** Overdue part of the balance, in pesos. */
  dueDebt: z.number(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  createdAt: instantSchema,
  blockDate: orNull(instantSchema).optional(),
  deletedAt: orNull(instantSchema).optional(),
  temporary: z.boolean().optional(),
});
export type IspCustomer = z.infer<typeof ispCustomerSchema>;

export const ispPlanSchema = z.strictObject({
  id,
  code: z.string(),
  name: text,
  price: z.number().min(0),
  /** kbps */
  speedDown: count,
  /** kbps */
  speedUp: count,
});
export type IspPlan = z.infer<typeof ispPlanSchema>;

export const ispNodeSchema = z.strictObject({
  id,
  code: z.string(),
  comment: z.string(),
  type: z.enum(["Mikrotik", "FreeRadius"]),
  /** For Mikrotik nodes the lab rewrites ip/port to the simulated router's real address. */
  ip: z.string(),
  port: z.int().min(0).max(65535),
  /** Name of the simulated router in `Scenario.routers` this node stands for. */
  router: text.optional(),
});
export type IspNode = z.infer<typeof ispNodeSchema>;

export const ispConnectionSchema = z.strictObject({
  id,
  customerId: id,
  planId: orNull(id),
  nodeId: orNull(id),
  conntype: z.enum(["pppoe", "radius", "nc"]),
  /** PPPoE user name, the join key. */
  user: orNull(text),
  password: orNull(z.string()),
  address: orNull(z.string()),
  ip: orNull(z.string()),
  /** CPE MAC address (`AA:BB:CC:DD:EE:FF`), for `GET /api/connection?mac_address=`. */
  mac: orNull(z.string()).optional(),
  createdAt: instantSchema,
  deleteDate: orNull(instantSchema).optional(),
});
export type IspConnection = z.infer<typeof ispConnectionSchema>;

export const ispTicketSchema = z.strictObject({
  id,
  customerId: id,
  connectionId: orNull(id),
  status: z.string(),
  category: z.string(),
  content: z.string(),
  createdAt: instantSchema,
});
export type IspTicket = z.infer<typeof ispTicketSchema>;

export const ispCubeWorldSchema = z.strictObject({
  apiKey: text,
  clientId: text,
  username: text,
  password: text,
  /** Token lifetime in seconds (24 h in production). */
  tokenTtlSeconds: z.int().min(1).optional(),
  /** Return the legacy plain-text token body instead of {"token": …}. */
  legacyTokenBody: z.boolean().optional(),
  customers: z.array(ispCustomerSchema),
  plans: z.array(ispPlanSchema),
  nodes: z.array(ispNodeSchema),
  connections: z.array(ispConnectionSchema),
  tickets: z.array(ispTicketSchema).optional(),
});
export type IspCubeWorld = z.infer<typeof ispCubeWorldSchema>;

export const disconnectReasonSchema = z.enum([
  "peer-request", "hung-up", "idle-timeout", "session-timeout", "reset", "reboot", "port-error", "nas-error", "nas-request",
]);
export type DisconnectReason = z.infer<typeof disconnectReasonSchema>;

export const routerSecretSchema = z.strictObject({
  name: text,
  password: z.string(),
  profile: text,
  service: z.enum(["pppoe", "any"]),
  disabled: z.boolean(),
  remoteAddress: z.string().optional(),
  callerId: z.string().optional(),
  comment: z.string().optional(),
  lastLoggedOut: orNull(instantSchema).optional(),
  lastCallerId: orNull(macSchema).optional(),
  lastDisconnectReason: orNull(disconnectReasonSchema).optional(),
});
export type RouterSecret = z.infer<typeof routerSecretSchema>;

export const routerProfileSchema = z.strictObject({
  name: text,
  /** RouterOS rate-limit, e.g. "10M/50M" (rx/tx from the router's side: upload/download). */
  rateLimit: z.string().regex(/^\d+[kM]?\/\d+[kM]?( .*)?$/).optional(),
  localAddress: z.string().optional(),
});
export type RouterProfile = z.infer<typeof routerProfileSchema>;

export const routerSessionSchema = z.strictObject({
  name: text,
  address: z.string(),
  callerId: macSchema,
  /** Uptime is derived from the lab clock. */
  since: instantSchema,
  sessionId: z.string().optional(),
  /** Round-trip time of `/ping` to this session's address, ms (default 3). */
  rttMs: z.number().min(0).optional(),
  /** 0..1: share of `/ping` requests to this session's address that time out (deterministic by seq). */
  pingLoss: z.number().min(0).max(1).optional(),
});
export type RouterSession = z.infer<typeof routerSessionSchema>;

export const routerQueueSchema = z.strictObject({
  name: text,
  target: z.string(),
  maxLimit: z.string(),
  disabled: z.boolean().optional(),
});
export type RouterQueue = z.infer<typeof routerQueueSchema>;

/** Current traffic of one PPPoE user, bits per second from the subscriber's point of view. */
export const routerTrafficSchema = z.strictObject({
  name: text,
  downloadBps: z.number().min(0),
  uploadBps: z.number().min(0),
});
export type RouterTraffic = z.infer<typeof routerTrafficSchema>;

export const routerLogLineSchema = z.strictObject({ time: instantSchema, topics: z.string(), message: z.string() });
export type RouterLogLine = z.infer<typeof routerLogLineSchema>;

/** The zone of a router whose scenario names none: the ISP's, as autodetect sets it (issue 10, Clocks). */
export const DEFAULT_ROUTER_TIMEZONE = "America/Argentina/Buenos_Aires";

/**
 * How a router's text (comments, names, log messages) goes on the wire: RouterOS stores bytes, Winbox
 * writes the Windows code page and the API or WebFig UTF-8. `ascii` folds accents away.
 */
export const routerTextEncodingSchema = z.enum(["utf-8", "windows-1252", "ascii"]);
export type RouterTextEncoding = z.infer<typeof routerTextEncodingSchema>;

export const routerWorldSchema = z.strictObject({
  /** Stable name, referenced by `IspNode.router`. */
  name: text,
  identity: z.string(),
  version: routerVersionSchema,
  /** API login credentials. */
  user: text,
  password: z.string(),
  /** Speak the pre-6.43 challenge login instead of the plain one. */
  legacyLogin: z.boolean().optional(),
  /**
   * IANA zone of the router's clock; dates go out in it, without offset. Default
   * `DEFAULT_ROUTER_TIMEZONE`: time-zone autodetect keeps real routers on local time since RouterOS 6.27.
   */
  timezone: text.optional(),
  /** This router's text encoding; default the scenario's `routerTextEncoding`. */
  textEncoding: routerTextEncodingSchema.optional(),
  secrets: z.array(routerSecretSchema),
  profiles: z.array(routerProfileSchema),
  active: z.array(routerSessionSchema),
  /** Static simple queues; dynamic `<pppoe-USER>` queues are derived from profiles' rate-limit. */
  queues: z.array(routerQueueSchema),
  traffic: z.array(routerTrafficSchema),
  logs: z.array(routerLogLineSchema),
});
export type RouterWorld = z.infer<typeof routerWorldSchema>;

const statusCode = z.int().min(100).max(599);

export const httpFaultSchema = z.strictObject({
  latencyMs: z.number().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  /** 0..1: share of calls answered with `status` (default 500). */
  errorRate: z.number().min(0).max(1).optional(),
  status: statusCode.optional(),
  /** Accept and never answer. */
  hang: z.boolean().optional(),
  /** Reset the connection after writing part of the response. */
  resetMidResponse: z.boolean().optional(),
  /** Answer the next N calls with `status` (5xx or 429), then recover. */
  burst: z.strictObject({ count, status: statusCode }).optional(),
  /** Reject every credential. */
  wrongCredentials: z.boolean().optional(),
  /** ISPCube only: answer HTTP 200 with {"status":false,…}. */
  status200Error: z.boolean().optional(),
  /** Take the simulator down (connection refused). */
  down: z.boolean().optional(),
});
export type HttpFault = z.infer<typeof httpFaultSchema>;

export const routerFaultSchema = z.strictObject({
  latencyMs: z.number().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  silent: z.boolean().optional(),
  dropMidCommand: z.boolean().optional(),
  fatal: z.boolean().optional(),
  unknownReplyWord: z.boolean().optional(),
  untagged: z.boolean().optional(),
  /** Accept each connection, then reset it (a firewall or `/ip service` address list that drops it). */
  refuse: z.boolean().optional(),
  /**
   * Nothing listens on the router's API port: connections are refused (API service disabled, port not
   * forwarded). Connection-level, so only the router's `*` entry counts; the lab applies it when the
   * scenario loads and when the control API changes faults (`Lab.applyFaults()` after editing them by hand).
   */
  portClosed: z.boolean().optional(),
  idleCloseMs: z.number().min(0).optional(),
  wrongCredentials: z.boolean().optional(),
  /** Split each reply into socket writes of at most this many bytes. */
  splitWritesAt: z.int().min(1).optional(),
});
export type RouterFault = z.infer<typeof routerFaultSchema>;

/** Faults, keyed per simulator and per endpoint or command (`*` for all). */
export const faultsSchema = z.strictObject({
  smartolt: z.record(z.string(), httpFaultSchema).optional(),
  ispcube: z.record(z.string(), httpFaultSchema).optional(),
  /** Keyed by router name, then by command path (`*` for all). */
  routeros: z.record(z.string(), z.record(z.string(), routerFaultSchema)).optional(),
});
export type Faults = z.infer<typeof faultsSchema>;

export const scenarioSchema = z.strictObject({
  /** Lets a file name its JSON Schema, for editor completion. */
  $schema: z.string().optional(),
  /** Scenario name, e.g. `single-los`. */
  name: text,
  description: z.string().optional(),
  /** The lab clock's start. Relative times in the scenario are resolved against it. */
  now: absoluteInstant,
  smartolt: smartOltWorldSchema,
  ispcube: ispCubeWorldSchema,
  routers: z.array(routerWorldSchema),
  /** Every router's text encoding unless the router says otherwise; default `windows-1252` (Winbox). */
  routerTextEncoding: routerTextEncodingSchema.optional(),
  faults: faultsSchema.optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
