import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";

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
  };
  log: { level: string; format: "json" | "pretty" };
  db: { path: string };
  auth: {
    /** The old single shared key (API_KEY); it keeps working as an admin key. */
    legacyApiKey: string | undefined;
  };
  rateLimit: {
    readPerMinute: number;
    adminPerMinute: number;
    watchStreamsPerKey: number;
    authFailuresPerMinutePerIp: number;
  };
  vendors: {
    smartolt: SmartOltConfig | undefined;
    ispcube: IspCubeConfig | undefined;
    routeros: RouterOsConfig | undefined;
  };
}

export interface SmartOltConfig {
  baseUrl: string;
  token: string;
  /** IANA zone of the SmartOLT account: its timestamps carry no offset. */
  timezone: string;
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
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  DB_PATH: z.string().min(1).default("data/diag.db"),
  API_KEY: optionalText.refine((k) => k === undefined || k.length >= 16, "must be at least 16 characters"),
  RATE_LIMIT_READ_PER_MIN: positiveInt.default(600),
  RATE_LIMIT_ADMIN_PER_MIN: positiveInt.default(60),
  RATE_LIMIT_WATCH_STREAMS: positiveInt.default(5),
  RATE_LIMIT_AUTH_FAILURES_PER_MIN: positiveInt.default(20),
  SMARTOLT_BASEURL: optionalText.pipe(z.url().optional()),
  SMARTOLT_TOKEN: optionalText,
  SMARTOLT_TIMEZONE: z.string().default("America/Argentina/Buenos_Aires").refine(isTimeZone, "must be an IANA time zone"),
  ISPCUBE_BASEURL: optionalText.pipe(z.url().optional()),
  ISPCUBE_APIKEY: optionalText,
  ISPCUBE_USER: optionalText,
  ISPCUBE_PASSWORD: optionalText,
  ISPCUBE_CLIENTID: optionalText,
  MK_HOST: optionalText,
  MK_PORT: port.default(8728),
  MK_USER: optionalText,
  MK_PASS: optionalText,
});

type ParsedEnv = z.infer<typeof envSchema>;

/** Variables whose values are secrets: redacted wherever config is printed. */
export const SECRET_VARIABLES = ["API_KEY", "SMARTOLT_TOKEN", "ISPCUBE_APIKEY", "ISPCUBE_PASSWORD", "MK_PASS"] as const;

/**
 * Builds the config from `env` (normally `process.env` over `config/.env`). Throws one ConfigError
 * listing every problem.
 */
export function loadConfig(env: Env, opts: { stdoutIsTty?: boolean } = {}): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = result.data;
  const problems: string[] = [];
  const config: Config = {
    server: {
      host: e.HOST,
      port: e.PORT,
      maxBodyBytes: e.MAX_BODY_BYTES,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      corsOrigins: e.CORS_ORIGINS.split(",").map((o) => o.trim()).filter((o) => o !== ""),
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (opts.stdoutIsTty ? "pretty" : "json") },
    db: { path: e.DB_PATH },
    auth: { legacyApiKey: e.API_KEY },
    rateLimit: {
      readPerMinute: e.RATE_LIMIT_READ_PER_MIN,
      adminPerMinute: e.RATE_LIMIT_ADMIN_PER_MIN,
      watchStreamsPerKey: e.RATE_LIMIT_WATCH_STREAMS,
      authFailuresPerMinutePerIp: e.RATE_LIMIT_AUTH_FAILURES_PER_MIN,
    },
    vendors: {
      smartolt: vendorGroup(problems, "SmartOLT", e, ["SMARTOLT_BASEURL", "SMARTOLT_TOKEN"], (v) => ({
        baseUrl: v.SMARTOLT_BASEURL,
        token: v.SMARTOLT_TOKEN,
        timezone: e.SMARTOLT_TIMEZONE,
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
        defaultHost: e.MK_HOST,
        port: e.MK_PORT,
        user: v.MK_USER,
        password: v.MK_PASS,
      })),
    },
  };
  if (e.MK_HOST !== undefined && config.vendors.routeros === undefined && !problems.some((p) => p.startsWith("RouterOS"))) {
    problems.push("RouterOS: MK_HOST is set but MK_USER and MK_PASS are missing");
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

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `process.env` over the variables of an env file (when it exists); the process wins. */
export function readEnv(file = "config/.env", processEnv: Env = process.env): Env {
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
