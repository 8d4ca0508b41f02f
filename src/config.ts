import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { Cron } from "croner";
import { z } from "zod";
import { isTimeZone } from "./time/zoned-time.js";
import { DEFAULT_TIME_ZONE, THRESHOLD_DEFS, TRIAGE_TIMEZONE_ENV, type ThresholdDef, type Thresholds, type TriageOptions, type TriageVariable } from "./diagnosis/thresholds.js";

/**
 * Typed configuration from the environment and `config/.env`, keeping the old system's variable
 * names (API_KEY, DB_PATH, SMARTOLT_*, MK_*, ISPCUBE_*). Everything is read once, here; the rest of
 * the code receives a `Config`.
 */
export interface Config {
  server: {
    host: string;
    port: number;
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: number;
    /** How long a graceful shutdown may take before connections are cut. */
    shutdownTimeoutMs: number;
    /** Allowed CORS origins; `["*"]` allows any. */
    corsOrigins: string[];
    /** Open connections allowed at once, in total and from one client address. */
    maxConnections: number;
    maxConnectionsPerIp: number;
    /** Handles accepting on the listening socket (accept-fanout.ts): each accepts one connection per loop turn. */
    acceptHandles: number;
    /** How long a connection may take to send its first bytes, and an HTTP/1.1 request its headers. */
    headersTimeoutMs: number;
    /** How long an HTTP/1.1 request, or any unary or server-streaming call, may take to arrive whole. */
    requestTimeoutMs: number;
    /** How long a connection may stay open with no request in flight (keep-alive, idle HTTP/2 session). */
    idleTimeoutMs: number;
    /** SETTINGS_MAX_CONCURRENT_STREAMS advertised on every HTTP/2 connection. */
    maxStreamsPerConnection: number;
    /** Streams one HTTP/2 connection may see reset per minute before it is closed (rapid reset). */
    maxResetsPerMinute: number;
    /** Proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); empty: the header is ignored. */
    trustedProxies: string[];
    /** Who may read GET /metrics: an admin-scope key, loopback clients only, or nobody. */
    metricsAccess: "key" | "loopback" | "off";
    /** PEM files: when set, the port speaks TLS only (HTTP/1.1 and HTTP/2 by ALPN). */
    tls: { certPath: string; keyPath: string } | undefined;
    /** Listen on a non-loopback address without TLS (keys would cross the network in clear text). */
    allowInsecureListen: boolean;
    /** Serve gRPC server reflection (buf curl and grpcurl read the schema from it). */
    reflection: boolean;
  };
  /** The agent console (static files built by `npm run build`) on `/console/`. */
  console: {
    enabled: boolean;
    /** The built files; undefined: `dist/console` of the installation (src/server/console.ts finds it). */
    dir: string | undefined;
  };
  log: { level: string; format: "json" | "pretty" };
  db: { path: string };
  /** Worker threads answering searches (0: on the event loop). */
  searchWorkers: number;
  auth: {
    /** The old single shared key (API_KEY); it keeps working as an admin key. */
    legacyApiKey: string | undefined;
  };
  rateLimit: {
    readPerMinute: number;
    adminPerMinute: number;
    /** Concurrent streaming calls (watches of every kind) per key, per client address and in total. */
    watchStreamsPerKey: number;
    watchStreamsPerIp: number;
    watchStreamsTotal: number;
    /** Failed authentications per minute, counted per address and per presented key id, before 429s. */
    authFailuresPerMinutePerIp: number;
    /** Failures per minute past which an address is refused even with a valid key. */
    authFailuresHardPerMinutePerIp: number;
  };
  /** Breakers, timeouts and retries around every vendor call. */
  resilience: ResilienceConfig;
  sync: SyncConfig;
  watch: WatchConfig;
  diagnosis: DiagnosisConfig;
  /** Thresholds of the triage rules and outage correlation (TRIAGE_*), and the zone of their messages. */
  triage: TriageOptions;
  vendors: {
    smartolt: SmartOltConfig | undefined;
    ispcube: IspCubeConfig | undefined;
    routeros: RouterOsConfig | undefined;
  };
}

export interface SyncConfig {
  /** Run the schedules in this process (off for CLIs and tests). */
  scheduled: boolean;
  /** croner expression of the inventory job (nightly by default). */
  inventoryCron: string;
  /** croner expression of the status refresh (every few minutes). */
  statusCron: string;
  timezone: string;
  /** Signals are refreshed by the status job at most this often (SmartOLT asks for 15-30 min). */
  signalsEveryMs: number;
  /** A scheduled status run starts after a random delay up to this, so polls do not align. */
  statusJitterMs: number;
  /** How long status events and signal samples are kept. */
  historyRetentionMs: number;
  /** Which SmartOLT ONU field names its PPPoE user (src/cache/subscribers.ts applies it). */
  onuLink: "username" | "name" | "auto";
}

/** WatchDiagnosis: how often live sources are re-read for open streams, and how long a stream lives. */
export interface WatchConfig {
  /** Used when a request gives no interval; requests are clamped to [minIntervalMs, maxIntervalMs]. */
  defaultIntervalMs: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  /** A HEARTBEAT goes out when nothing else did for this long, so proxies keep the stream open. */
  heartbeatMs: number;
  /** A stream ends (OK) after this long; the client reconnects if the call is still going on. */
  maxDurationMs: number;
  /** Share of SmartOLT's hourly budget (of the account's hourlyBudget) that watches may spend. */
  smartoltBudgetPercent: number;
  /** ONU levels are read once every this many status reads of the same port. */
  signalEvery: number;
  /** An OLT with more watched PON ports than this is read with one call for the whole OLT. */
  portsPerOltCall: number;
  customerIntervalMs: number;
  /** monitor-traffic sample interval, whole seconds (RouterOS and node-routeros read it as such). */
  trafficIntervalS: number;
}

export interface DiagnosisConfig {
  /** The whole diagnosis' budget for live reads; what has not answered by then comes from the cache. */
  budgetMs: number;
  /** Per-source budgets inside it. */
  routerosBudgetMs: number;
  smartoltBudgetMs: number;
  ispcubeBudgetMs: number;
  /** Up to this share of budgetMs is taken off the live reads while the event loop runs late (gather.ts liveBudgets). */
  busyPercent: number;
  /** SmartOLT is read live only when the cached ONU status is older than this. */
  smartoltLiveAfterMs: number;
  /** Live SmartOLT reads stop when fewer than this many calls are left in the hour (the sync needs them). */
  smartoltSyncReserveCalls: number;
  /** Read the router's log for session starts (flapping); the log comes whole over the API. */
  routerLogs: boolean;
}

export interface ResilienceConfig {
  smartoltTimeoutMs: number;
  ispcubeTimeoutMs: number;
  routerTimeoutMs: number;
  breakerErrorPercent: number;
  breakerVolume: number;
  breakerResetMs: number;
  /** A half-open breaker runs its vendor's cheap read as the trial instead of waiting for a call. */
  breakerProbe: boolean;
  retries: number;
}

export interface SmartOltConfig {
  baseUrl: string;
  token: string;
  /** IANA zone of the SmartOLT account: its timestamps carry no offset. */
  timezone: string;
  /** The account's documented hourly call budget. */
  hourlyBudget: number;
  /** Share of the budget Beholder leaves unused, for other integrations and the vendor's UI. */
  budgetHeadroomPercent: number;
  /** Calls per second Beholder allows itself (SmartOLT documents about 10/s, bursts over 15/s blocked). */
  callsPerSecond: number;
}

export interface IspCubeConfig {
  baseUrl: string;
  apiKey: string;
  user: string;
  password: string;
  clientId: string;
}

export interface RouterOsConfig {
  /** The default router (MK_HOST); others are discovered from ISPCube nodes. */
  defaultHost: string | undefined;
  port: number;
  user: string;
  password: string;
  /** IANA zone of the routers' clocks: RouterOS dates carry no offset. */
  timezone: string;
  /** Routers whose clock runs in another zone, keyed `host:port` or `host` (MK_ROUTER_TIMEZONES). */
  routerTimezones?: Record<string, string>;
}

/** The zone a router's clock runs in: its own entry (`host:port`, then `host`), else the routers' zone. */
export function routerTimeZone(config: RouterOsConfig, router: { host: string; port: number }): string {
  const host = router.host.includes(":") ? `[${router.host}]` : router.host;
  const own = config.routerTimezones ?? {};
  return own[`${host}:${router.port}`] ?? own[host] ?? config.timezone;
}

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalText = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s.trim()));

const envSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: port.default(8500),
  MAX_BODY_BYTES: positiveInt.default(65536),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
  CORS_ORIGINS: z.string().default("*"),
  SERVER_MAX_CONNECTIONS: positiveInt.default(2000),
  SERVER_MAX_CONNECTIONS_PER_IP: positiveInt.default(200),
  SERVER_ACCEPT_HANDLES: z.coerce.number().int().min(1).max(1024).default(256),
  SERVER_HEADERS_TIMEOUT_MS: positiveInt.default(10000),
  SERVER_REQUEST_TIMEOUT_MS: positiveInt.default(30000),
  SERVER_IDLE_TIMEOUT_MS: positiveInt.default(30000),
  SERVER_MAX_STREAMS_PER_CONNECTION: positiveInt.default(100),
  SERVER_MAX_RESETS_PER_MIN: positiveInt.default(300),
  TRUSTED_PROXIES: z.string().default("").refine(isAddressList, "must be a comma-separated list of IP addresses or CIDR blocks"),
  METRICS_ACCESS: z.enum(["key", "loopback", "off"]).default("key"),
  TLS_CERT: optionalText,
  TLS_KEY: optionalText,
  ALLOW_INSECURE_LISTEN: z.enum(["on", "off"]).default("off"),
  REFLECTION: z.enum(["on", "off"]).default("on"),
  CONSOLE: z.enum(["on", "off"]).default("on"),
  CONSOLE_DIR: optionalText,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  DB_PATH: z.string().min(1).default("data/diag.db"),
  SEARCH_WORKERS: z.coerce.number().int().min(0).max(16).default(0),
  API_KEY: optionalText.refine((k) => k === undefined || k.length >= 16, "must be at least 16 characters"),
  RATE_LIMIT_READ_PER_MIN: positiveInt.default(600),
  RATE_LIMIT_ADMIN_PER_MIN: positiveInt.default(60),
  RATE_LIMIT_WATCH_STREAMS: positiveInt.default(5),
  RATE_LIMIT_WATCH_STREAMS_PER_IP: positiveInt.default(100),
  RATE_LIMIT_WATCH_STREAMS_TOTAL: positiveInt.default(1000),
  RATE_LIMIT_AUTH_FAILURES_PER_MIN: positiveInt.default(20),
  RATE_LIMIT_AUTH_FAILURES_HARD_PER_MIN: positiveInt.default(200),
  SMARTOLT_BASEURL: optionalText.pipe(z.url().optional()),
  SMARTOLT_TOKEN: optionalText,
  SMARTOLT_HOURLY_BUDGET: positiveInt.default(1000),
  SMARTOLT_BUDGET_HEADROOM_PERCENT: z.coerce.number().min(0).max(90).default(20),
  SMARTOLT_CALLS_PER_SECOND: positiveInt.default(10),
  SMARTOLT_TIMEOUT_MS: positiveInt.default(15000),
  ISPCUBE_TIMEOUT_MS: positiveInt.default(30000),
  MK_TIMEOUT_MS: positiveInt.default(5000),
  BREAKER_ERROR_PERCENT: z.coerce.number().min(1).max(100).default(50),
  BREAKER_VOLUME: positiveInt.default(5),
  BREAKER_RESET_MS: positiveInt.default(30000),
  BREAKER_PROBE: z.enum(["on", "off"]).default("on"),
  VENDOR_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  SYNC_SCHEDULE: z.enum(["on", "off"]).default("on"),
  SYNC_INVENTORY_CRON: z.string().default("0 3 * * *").refine(isCron, "must be a cron expression"),
  SYNC_STATUS_CRON: z.string().default("*/5 * * * *").refine(isCron, "must be a cron expression"),
  SYNC_TIMEZONE: z.string().default("America/Argentina/Buenos_Aires").refine(isTimeZone, "must be an IANA time zone"),
  SYNC_SIGNALS_EVERY_MIN: z.coerce.number().min(1).default(30),
  SYNC_STATUS_JITTER_S: z.coerce.number().min(0).default(30),
  HISTORY_RETENTION_DAYS: z.coerce.number().min(1).default(7),
  SMARTOLT_ONU_LINK: z.enum(["username", "name", "auto"]).default("auto"),
  WATCH_INTERVAL_DEFAULT_MS: positiveInt.default(10_000),
  WATCH_INTERVAL_MIN_MS: positiveInt.default(5_000),
  WATCH_INTERVAL_MAX_MS: positiveInt.default(60_000),
  WATCH_HEARTBEAT_MS: positiveInt.default(15_000),
  WATCH_MAX_DURATION_S: positiveInt.default(1800),
  WATCH_SMARTOLT_BUDGET_PERCENT: z.coerce.number().min(1).max(80).default(30),
  WATCH_SIGNAL_EVERY: positiveInt.default(10),
  WATCH_PORTS_PER_OLT_CALL: positiveInt.default(4),
  WATCH_CUSTOMER_INTERVAL_MS: positiveInt.default(60_000),
  WATCH_TRAFFIC_INTERVAL_S: z.coerce.number().int().min(1).max(60).default(2),
  DIAG_BUDGET_MS: positiveInt.default(2500),
  DIAG_ROUTEROS_BUDGET_MS: positiveInt.default(2000),
  DIAG_SMARTOLT_BUDGET_MS: positiveInt.default(2000),
  DIAG_ISPCUBE_BUDGET_MS: positiveInt.default(2000),
  DIAG_BUDGET_BUSY_PERCENT: z.coerce.number().int().min(0).max(60).default(40),
  DIAG_SMARTOLT_LIVE_AFTER_S: z.coerce.number().min(0).default(300),
  DIAG_SMARTOLT_SYNC_RESERVE_CALLS: z.coerce.number().int().min(0).default(60),
  DIAG_ROUTER_LOGS: z.enum(["on", "off"]).default("on"),
  SMARTOLT_TIMEZONE: z.string().default("America/Argentina/Buenos_Aires").refine(isTimeZone, "must be an IANA time zone"),
  ISPCUBE_BASEURL: optionalText.pipe(z.url().optional()),
  ISPCUBE_APIKEY: optionalText,
  ISPCUBE_USER: optionalText,
  ISPCUBE_PASSWORD: optionalText,
  ISPCUBE_CLIENTID: optionalText,
  MK_HOST: optionalText,
  MK_PORT: port.default(8728),
  MK_USER: optionalText,
  MK_TIMEZONE: z.string().default("America/Argentina/Buenos_Aires").refine(isTimeZone, "must be an IANA time zone"),
  MK_PASS: optionalText,
  MK_ROUTER_TIMEZONES: z.string().default("").refine(isRouterZoneList, "must be a comma-separated list of HOST[:PORT]=IANA time zone"),
});

type ParsedEnv = z.infer<typeof envSchema>;

function thresholdSchema(d: ThresholdDef): z.ZodType<number> {
  const n = z.coerce.number().finite();
  if (d.unit === "percent") return n.min(0).max(100).default(d.default);
  if (d.unit === "count" || d.unit === "seconds") return n.min(0).default(d.default);
  return n.default(d.default);
}

// Built from THRESHOLD_DEFS so a new threshold is configurable without touching this file.
const triageEnvSchema = z.object({
  [TRIAGE_TIMEZONE_ENV]: z.string().default(DEFAULT_TIME_ZONE).refine(isTimeZone, "must be an IANA time zone"),
  ...Object.fromEntries(Object.values(THRESHOLD_DEFS).map((d) => [d.env, thresholdSchema(d)])),
});

/** The name of a variable Beholder reads. */
export type ConfigVariable = keyof typeof envSchema.shape | TriageVariable;

/** Variables for Beholder written in code (tests, the lab): a misspelt or retired name does not compile. */
export type ConfigEnv = { [V in ConfigVariable]?: string };

/** Every variable Beholder reads (config/.env.example documents each one). */
export const CONFIG_VARIABLES = [...Object.keys(envSchema.shape), ...Object.keys(triageEnvSchema.shape)] as readonly ConfigVariable[];

/** Variables whose values are secrets: redacted wherever config is printed. */
export const SECRET_VARIABLES = ["API_KEY", "SMARTOLT_TOKEN", "ISPCUBE_APIKEY", "ISPCUBE_PASSWORD", "MK_PASS"] as const;

/**
 * Builds the config from `env` (normally `process.env` over `config/.env`). Throws one ConfigError
 * listing every problem.
 */
export function loadConfig(env: Env, opts: { stdoutIsTty?: boolean } = {}): Config {
  const result = envSchema.safeParse(env);
  const triageResult = triageEnvSchema.safeParse(env);
  if (!result.success || !triageResult.success) {
    const issues = [...(result.error?.issues ?? []), ...(triageResult.error?.issues ?? [])];
    throw new ConfigError(issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = result.data;
  const te = triageResult.data as Record<string, unknown>;
  const problems: string[] = [];
  const mkHost = hostAndPort(e.MK_HOST, e.MK_PORT, problems);
  const config: Config = {
    server: {
      host: e.HOST,
      port: e.PORT,
      maxBodyBytes: e.MAX_BODY_BYTES,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      corsOrigins: list(e.CORS_ORIGINS),
      maxConnections: e.SERVER_MAX_CONNECTIONS,
      maxConnectionsPerIp: e.SERVER_MAX_CONNECTIONS_PER_IP,
      acceptHandles: e.SERVER_ACCEPT_HANDLES,
      headersTimeoutMs: e.SERVER_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.SERVER_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: e.SERVER_IDLE_TIMEOUT_MS,
      maxStreamsPerConnection: e.SERVER_MAX_STREAMS_PER_CONNECTION,
      maxResetsPerMinute: e.SERVER_MAX_RESETS_PER_MIN,
      trustedProxies: list(e.TRUSTED_PROXIES),
      metricsAccess: e.METRICS_ACCESS,
      tls: e.TLS_CERT !== undefined && e.TLS_KEY !== undefined ? { certPath: underHome(env, e.TLS_CERT), keyPath: underHome(env, e.TLS_KEY) } : undefined,
      allowInsecureListen: e.ALLOW_INSECURE_LISTEN === "on",
      reflection: e.REFLECTION === "on",
    },
    console: { enabled: e.CONSOLE === "on", dir: e.CONSOLE_DIR === undefined ? undefined : underHome(env, e.CONSOLE_DIR) },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (opts.stdoutIsTty ? "pretty" : "json") },
    db: { path: underHome(env, e.DB_PATH) },
    searchWorkers: e.SEARCH_WORKERS,
    auth: { legacyApiKey: e.API_KEY },
    rateLimit: {
      readPerMinute: e.RATE_LIMIT_READ_PER_MIN,
      adminPerMinute: e.RATE_LIMIT_ADMIN_PER_MIN,
      watchStreamsPerKey: e.RATE_LIMIT_WATCH_STREAMS,
      watchStreamsPerIp: e.RATE_LIMIT_WATCH_STREAMS_PER_IP,
      watchStreamsTotal: e.RATE_LIMIT_WATCH_STREAMS_TOTAL,
      authFailuresPerMinutePerIp: e.RATE_LIMIT_AUTH_FAILURES_PER_MIN,
      authFailuresHardPerMinutePerIp: e.RATE_LIMIT_AUTH_FAILURES_HARD_PER_MIN,
    },
    sync: {
      scheduled: e.SYNC_SCHEDULE === "on",
      inventoryCron: e.SYNC_INVENTORY_CRON,
      statusCron: e.SYNC_STATUS_CRON,
      timezone: e.SYNC_TIMEZONE,
      signalsEveryMs: e.SYNC_SIGNALS_EVERY_MIN * 60_000,
      statusJitterMs: e.SYNC_STATUS_JITTER_S * 1000,
      historyRetentionMs: e.HISTORY_RETENTION_DAYS * 86_400_000,
      onuLink: e.SMARTOLT_ONU_LINK,
    },
    watch: {
      defaultIntervalMs: e.WATCH_INTERVAL_DEFAULT_MS,
      minIntervalMs: e.WATCH_INTERVAL_MIN_MS,
      maxIntervalMs: e.WATCH_INTERVAL_MAX_MS,
      heartbeatMs: e.WATCH_HEARTBEAT_MS,
      maxDurationMs: e.WATCH_MAX_DURATION_S * 1000,
      smartoltBudgetPercent: e.WATCH_SMARTOLT_BUDGET_PERCENT,
      signalEvery: e.WATCH_SIGNAL_EVERY,
      portsPerOltCall: e.WATCH_PORTS_PER_OLT_CALL,
      customerIntervalMs: e.WATCH_CUSTOMER_INTERVAL_MS,
      trafficIntervalS: e.WATCH_TRAFFIC_INTERVAL_S,
    },
    diagnosis: {
      budgetMs: e.DIAG_BUDGET_MS,
      routerosBudgetMs: Math.min(e.DIAG_ROUTEROS_BUDGET_MS, e.DIAG_BUDGET_MS),
      smartoltBudgetMs: Math.min(e.DIAG_SMARTOLT_BUDGET_MS, e.DIAG_BUDGET_MS),
      ispcubeBudgetMs: Math.min(e.DIAG_ISPCUBE_BUDGET_MS, e.DIAG_BUDGET_MS),
      busyPercent: e.DIAG_BUDGET_BUSY_PERCENT,
      smartoltLiveAfterMs: e.DIAG_SMARTOLT_LIVE_AFTER_S * 1000,
      smartoltSyncReserveCalls: e.DIAG_SMARTOLT_SYNC_RESERVE_CALLS,
      routerLogs: e.DIAG_ROUTER_LOGS === "on",
    },
    triage: {
      timeZone: te[TRIAGE_TIMEZONE_ENV] as string,
      thresholds: Object.fromEntries(Object.entries(THRESHOLD_DEFS).map(([k, d]) => [k, te[d.env] as number])) as Thresholds,
    },
    resilience: {
      smartoltTimeoutMs: e.SMARTOLT_TIMEOUT_MS,
      ispcubeTimeoutMs: e.ISPCUBE_TIMEOUT_MS,
      routerTimeoutMs: e.MK_TIMEOUT_MS,
      breakerErrorPercent: e.BREAKER_ERROR_PERCENT,
      breakerVolume: e.BREAKER_VOLUME,
      breakerResetMs: e.BREAKER_RESET_MS,
      breakerProbe: e.BREAKER_PROBE === "on",
      retries: e.VENDOR_RETRIES,
    },
    vendors: {
      smartolt: vendorGroup(problems, "SmartOLT", e, ["SMARTOLT_BASEURL", "SMARTOLT_TOKEN"], (v) => ({
        baseUrl: v.SMARTOLT_BASEURL,
        token: v.SMARTOLT_TOKEN,
        timezone: e.SMARTOLT_TIMEZONE,
        hourlyBudget: e.SMARTOLT_HOURLY_BUDGET,
        budgetHeadroomPercent: e.SMARTOLT_BUDGET_HEADROOM_PERCENT,
        callsPerSecond: e.SMARTOLT_CALLS_PER_SECOND,
      })),
      ispcube: vendorGroup(
        problems,
        "ISPCube",
        e,
        ["ISPCUBE_BASEURL", "ISPCUBE_APIKEY", "ISPCUBE_USER", "ISPCUBE_PASSWORD", "ISPCUBE_CLIENTID"],
        (v) => ({
          baseUrl: v.ISPCUBE_BASEURL,
          apiKey: v.ISPCUBE_APIKEY,
          user: v.ISPCUBE_USER,
          password: v.ISPCUBE_PASSWORD,
          clientId: v.ISPCUBE_CLIENTID,
        }),
      ),
      routeros: vendorGroup(problems, "RouterOS", e, ["MK_USER", "MK_PASS"], (v) => ({
        defaultHost: mkHost.host,
        port: mkHost.port,
        user: v.MK_USER,
        password: v.MK_PASS,
        timezone: e.MK_TIMEZONE,
        ...(e.MK_ROUTER_TIMEZONES.trim() ? { routerTimezones: routerZoneList(e.MK_ROUTER_TIMEZONES) } : {}),
      })),
    },
  };
  if ((e.TLS_CERT === undefined) !== (e.TLS_KEY === undefined)) problems.push("TLS: set both TLS_CERT and TLS_KEY, or neither");
  if (e.MK_HOST !== undefined && config.vendors.routeros === undefined && !problems.some((p) => p.startsWith("RouterOS"))) {
    problems.push("RouterOS: MK_HOST is set but MK_USER and MK_PASS are missing");
  }
  if (!(e.WATCH_INTERVAL_MIN_MS <= e.WATCH_INTERVAL_DEFAULT_MS && e.WATCH_INTERVAL_DEFAULT_MS <= e.WATCH_INTERVAL_MAX_MS)) {
    problems.push("WATCH_INTERVAL_*: must satisfy WATCH_INTERVAL_MIN_MS <= WATCH_INTERVAL_DEFAULT_MS <= WATCH_INTERVAL_MAX_MS");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * A vendor whose settings are all absent is disabled (undefined); one with only some of them is a
 * configuration error, because that is a typo far more often than an intent.
 */
function vendorGroup<K extends keyof ParsedEnv, T>(
  problems: string[],
  vendor: string,
  env: ParsedEnv,
  keys: K[],
  build: (values: { [P in K]: NonNullable<ParsedEnv[P]> }) => T,
): T | undefined {
  const missing = keys.filter((k) => env[k] === undefined);
  if (missing.length === keys.length) return undefined;
  if (missing.length > 0) {
    problems.push(`${vendor}: ${missing.join(", ")} must be set too (set all of ${keys.join(", ")} or none)`);
    return undefined;
  }
  return build(env as { [P in K]: NonNullable<ParsedEnv[P]> });
}

function list(s: string): string[] {
  return s.split(",").map((x) => x.trim()).filter((x) => x !== "");
}

function isAddressList(s: string): boolean {
  return list(s).every((entry) => {
    const [address = "", bits, ...rest] = entry.split("/");
    const family = ipFamily(address);
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
  });
}

/** 4, 6 or 0 (not an address), without node:net: only the server opens sockets. */
function ipFamily(address: string): 0 | 4 | 6 {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) return v4.slice(1).every((n) => Number(n) <= 255) ? 4 : 0;
  if (!address.includes(":") || !/^[0-9a-f:.]+$/i.test(address)) return 0;
  try {
    new URL(`http://[${address}]/`);
    return 6;
  } catch {
    return 0;
  }
}

function isCron(expr: string): boolean {
  try {
    new Cron(expr, { paused: true });
    return true;
  } catch {
    return false;
  }
}

/** `10.0.0.1:8728=America/Argentina/Cordoba, 10.0.0.2=UTC` → entries; IPv6 hosts in brackets. */
function routerZoneList(s: string): Record<string, string> {
  return Object.fromEntries(
    list(s).map((entry) => {
      const at = entry.lastIndexOf("=");
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
    }),
  );
}

function isRouterZoneList(s: string): boolean {
  return list(s).every((entry) => {
    const at = entry.lastIndexOf("=");
    if (at <= 0) return false;
    const key = entry.slice(0, at).trim();
    const m = /^(\[[0-9a-f:.]+\]|[^:\s\[\]]+)(?::(\d{1,5}))?$/i.exec(key);
    return m !== null && (m[2] === undefined || Number(m[2]) <= 65535) && isTimeZone(entry.slice(at + 1).trim());
  });
}

/** `process.env` over the variables of an env file (when it exists); the process wins. */
/**
 * BEHOLDER_HOME (from the process environment only: it says where config/.env is) is the base
 * directory of config/.env and of relative paths in the config (DB_PATH, TLS_*), so a service does not
 * depend on its working directory. Unset: the current directory, as before.
 */
export function underHome(env: Env, path: string): string {
  const home = env.BEHOLDER_HOME;
  return home && !isAbsolute(path) ? resolve(home, path) : path;
}

export function readEnv(file?: string, processEnv: Env = process.env): Env {
  file ??= processEnv.BEHOLDER_HOME ? join(processEnv.BEHOLDER_HOME, "config/.env") : "config/.env";
  if (!existsSync(file)) return { ...processEnv };
  return { ...parseEnv(readFileSync(file, "utf8")), ...processEnv };
}

/** The config with every secret replaced, safe to log or print. */
export function redactConfig(config: Config): unknown {
  const hidden = (s: string | undefined): string | undefined => (s === undefined ? undefined : "[redacted]");
  const { smartolt, ispcube, routeros } = config.vendors;
  return {
    ...config,
    auth: { legacyApiKey: hidden(config.auth.legacyApiKey) },
    vendors: {
      smartolt: smartolt && { ...smartolt, token: hidden(smartolt.token) },
      ispcube: ispcube && { ...ispcube, apiKey: hidden(ispcube.apiKey), password: hidden(ispcube.password) },
      routeros: routeros && { ...routeros, password: hidden(routeros.password) },
    },
  };
}

/**
 * MK_HOST as "host" (with MK_PORT) or "host:port": a router is its host and port, and routers behind
 * one public address differ only by port. An IPv6 address goes in brackets when it carries a port.
 */
function hostAndPort(host: string | undefined, port: number, problems: string[]): { host: string | undefined; port: number } {
  if (host === undefined) return { host, port };
  const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d+)$/.exec(host.trim());
  if (!m) return { host: host.trim().replace(/^\[(.*)\]$/, "$1"), port };
  const p = Number(m[3]);
  if (!(p >= 1 && p <= 65535)) problems.push(`MK_HOST: port ${m[3]} is not a TCP port`);
  return { host: m[1] ?? m[2], port: p };
}
