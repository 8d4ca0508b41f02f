import { setTimeout as sleep } from "node:timers/promises";
import type { SmartOltConfig } from "../../config.js";
import type { Odb, Olt, OnuRecord, OnuSignalReading, OnuStatusReading, Zone } from "../../domain/types.js";
import type { Logger } from "../../logger.js";
import { BodyTooLargeError, readText } from "../body.js";
import { VendorError } from "../errors.js";
import type { Guard } from "../guard.js";
import { createCallBudget, type BudgetSnapshot } from "./budget.js";
import { failureFor } from "./failures.js";
import {
  parseInventoryPage,
  parseOdbs,
  parseOlts,
  parseOnuDetails,
  parseOnuLiveSignal,
  parseOnuLiveStatus,
  parseOutagePons,
  parseSignalRows,
  parseStatusRows,
  parseZones,
  type OnuLiveStatus,
  type OutagePon,
} from "./parse.js";
import { assertTimeZone, formatLocal } from "../../time/zoned-time.js";

export type { BudgetSnapshot } from "./budget.js";
export type { OnuLiveStatus, OutagePon } from "./parse.js";

/** The bulk endpoints' filters (§2.2); board and port narrow to one PON port and need oltId. */
export interface BulkFilter {
  oltId?: string;
  board?: number;
  port?: number;
}

export interface InventoryOptions {
  /** 1–100 (SmartOLT's maximum, and the default). */
  pageSize?: number;
  /** Only ONUs whose configuration changed since then (status and signal changes do not count, §2.2). */
  updatedSince?: Date;
  signal?: AbortSignal;
  /** After each page: ONUs received so far and the total SmartOLT announced. */
  onPage?: (done: number, total: number) => void;
}

/** SmartOLT's REST API, read-only, in domain terms. Every method throws only VendorError. */
export interface SmartOltClient {
  listOlts(): Promise<Olt[]>;
  listZones(): Promise<Zone[]>;
  listOdbs(): Promise<Odb[]>;
  /** The inventory, one page (≤100 ONUs) per guarded call, each ONU once. Never the unpaged export (15/h). */
  onuInventory(opts?: InventoryOptions): AsyncIterable<OnuRecord[]>;
  /** Every ONU's status from SmartOLT's periodically refreshed DB. */
  bulkStatuses(filter?: BulkFilter, opts?: { signal?: AbortSignal }): Promise<OnuStatusReading[]>;
  bulkSignals(filter?: BulkFilter, opts?: { signal?: AbortSignal }): Promise<OnuSignalReading[]>;
  /** Live per-ONU reads (they query the OLT); an unknown external id is a `not_found`. */
  onuDetails(externalId: string): Promise<OnuRecord>;
  onuStatus(externalId: string): Promise<OnuLiveStatus>;
  onuSignal(externalId: string): Promise<OnuSignalReading>;
  outagePons(oltId: string): Promise<OutagePon[]>;
  /** Beholder's own hourly budget for this account. */
  budget(): BudgetSnapshot;
}

export interface SmartOltClientOptions {
  logger?: Logger;
  now?: () => Date;
}

// §3: observed per-endpoint X-RateLimit-Limit values for the endpoints this client calls.
const ENDPOINT_CAPS: Readonly<Record<string, number>> = { "onu/get_onu_signal": 500 };
// Pacing waits count in the attempt's timeout; beyond this a burst is refused rather than queued.
const MAX_QUEUE_MS = 5_000;
const MAX_PAGE_SIZE = 100;

interface Request {
  /** `family/endpoint`, e.g. `onu/get_onus_statuses`: the budget key. */
  endpoint: string;
  arg?: string;
  query?: Record<string, string | undefined>;
  perOnu?: boolean;
  signal?: AbortSignal;
}

/** `onu/get_onus_statuses` → `get_onus_statuses`, the op named in errors and logs. */
function opOf(endpoint: string): string {
  return endpoint.slice(endpoint.indexOf("/") + 1);
}

export function createSmartOltClient(config: SmartOltConfig, guard: Guard, opts: SmartOltClientOptions = {}): SmartOltClient {
  const now = opts.now ?? ((): Date => new Date());
  const log = opts.logger;
  const base = config.baseUrl.replace(/\/+$/, "");
  const timeZone = config.timezone;
  // An unknown zone fails here, at construction, rather than on the first row.
  assertTimeZone(timeZone);
  const share = 1 - config.budgetHeadroomPercent / 100;
  const capped = (n: number): number => Math.max(1, Math.floor(n * share));
  const budget = createCallBudget({
    hourlyLimit: capped(config.hourlyBudget),
    // The headroom applies to endpoint caps too: other integrations and the UI draw on them as well.
    endpointCaps: Object.fromEntries(Object.entries(ENDPOINT_CAPS).map(([k, v]) => [k, capped(v)])),
    // §3: "~10/s; bursts >15/s blocked" (config.callsPerSecond, 10 by default).
    perSecond: config.callsPerSecond,
    maxQueueMs: MAX_QUEUE_MS,
    now,
  });
  const scrub = (s: string): string => (config.token ? s.split(config.token).join("[redacted]") : s);
  /** Refusals of Beholder's own budget: SmartOLT was never asked. */
  const refusedHere = new WeakSet<VendorError>();

  /** Waits for a budget slot, or refuses without calling SmartOLT. */
  async function admit(op: string, endpoint: string, signal: AbortSignal): Promise<void> {
    const a = budget.admit(endpoint);
    if (!a.ok) {
      log?.warn({ vendor: "smartolt", op, retryAfterS: a.retryAfterS }, `smartolt call refused by Beholder's budget: ${a.reason}`);
      const refused = new VendorError("smartolt", op, "rate_limited", `${a.reason}; retry after ${a.retryAfterS} s`, {
        retryAfterS: a.retryAfterS,
      });
      refusedHere.add(refused);
      throw refused;
    }
    if (a.delayMs > 0) await sleep(a.delayMs, undefined, { signal });
  }

  async function attempt(op: string, req: Request, url: string, signal: AbortSignal): Promise<unknown> {
    await admit(op, req.endpoint, signal);
    const started = performance.now();
    let res: Response;
    let raw: string;
    try {
      res = await fetch(url, { headers: { "X-Token": config.token, accept: "application/json" }, signal });
      raw = await readText(res);
    } catch (err) {
      if (signal.aborted) throw err; // the guard names it: timeout or cancelled
      if (err instanceof BodyTooLargeError) throw new VendorError("smartolt", op, "bad_response", err.message, { cause: err });
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
      throw new VendorError("smartolt", op, "unavailable", `connection failed: ${scrub(why)}`, { cause: err });
    }
    const ms = Math.round(performance.now() - started);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const failed = !res.ok || (typeof body === "object" && body !== null && (body as { status?: unknown }).status === false);
    if (failed) {
      const nowMs = now().getTime();
      const retryAfterHeader = res.headers.get("retry-after");
      const err = failureFor(op, { httpStatus: res.status, retryAfterHeader, body, perOnu: req.perOnu ?? false, nowMs }, scrub);
      // Whatever spent the account's budget (maybe another integration), hold off until SmartOLT allows.
      if (err.kind === "rate_limited") budget.pause(req.endpoint, nowMs + (err.retryAfterS ?? 1) * 1000);
      const level = err.kind === "not_found" ? "debug" : "warn";
      log?.[level]({ vendor: "smartolt", op, status: res.status, ms, kind: err.kind }, err.message);
      throw err;
    }
    if (body === undefined) {
      throw new VendorError("smartolt", op, "bad_response", `answer is not JSON (HTTP ${res.status})`, { status: res.status });
    }
    log?.debug({ vendor: "smartolt", op, status: res.status, ms }, "smartolt call");
    return body;
  }

  /**
   * One guarded, idempotent GET, parsed inside the guard so a malformed answer counts against the
   * breaker like any other failure; identical concurrent requests share one call.
   */
  function get<T>(req: Request, parse: (op: string, body: unknown) => T | Promise<T>): Promise<T> {
    const op = opOf(req.endpoint);
    let path = req.endpoint;
    if (req.arg !== undefined) path += `/${encodeURIComponent(req.arg)}`;
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== "") query.set(k, v);
    const qs = query.toString();
    if (qs !== "") path += `?${qs}`;
    const url = `${base}/${path}`;
    return guard.run(op, async (signal) => parse(op, await attempt(op, req, url, signal)), {
      idempotent: true,
      key: `smartolt ${path}`,
      ...(req.signal ? { signal: req.signal } : {}),
    });
  }

  // The breaker's trial when it goes half-open (guard.setProbe). system/get_zones: a small catalog read
  // from SmartOLT's own DB (a zone list: tens of rows), counted only in the general hourly budget. Not a
  // call with its own hourly cap (§3: the unpaged export 15/h, get_onu_signal 500/h, OLT detail 30 per
  // 10 min), not a bulk ONU export, not a live per-ONU read that queries the OLT (§5.9), and not
  // system/get_olts, which SmartOLT's docs say not to use as a heartbeat (§2.1). It goes through the
  // budget and the per-second pace like any call: a dead SmartOLT costs one call per reset period.
  guard.setProbe(async (signal) => {
    const endpoint = "system/get_zones";
    const op = opOf(endpoint);
    try {
      return parseZones(op, await attempt(op, { endpoint }, `${base}/${endpoint}`, signal));
    } catch (err) {
      // A rate_limited trial would close the breaker (the vendor answered); a refusal of our own budget
      // tested nothing, so the breaker stays open until a probe can be sent.
      if (err instanceof VendorError && refusedHere.has(err)) {
        throw new VendorError("smartolt", op, "unavailable", `probe not sent: ${err.message.replace(/^smartolt \S+: /, "")}`, { cause: err });
      }
      throw err;
    }
  });

  const perOnu = (endpoint: string, externalId: string): Request => {
    // An empty id would address the bare endpoint, which SmartOLT answers with 405.
    if (externalId.trim() === "") throw new VendorError("smartolt", opOf(endpoint), "not_found", "empty onu external id");
    return { endpoint, arg: externalId, perOnu: true };
  };
  const bulk = (endpoint: string, filter: BulkFilter, signal: AbortSignal | undefined): Request => ({
    endpoint,
    query: { olt_id: filter.oltId, board: filter.board?.toString(), port: filter.port?.toString() },
    ...(signal ? { signal } : {}),
  });

  return {
    listOlts: () => get({ endpoint: "system/get_olts" }, parseOlts),
    listZones: () => get({ endpoint: "system/get_zones" }, parseZones),
    listOdbs: () => get({ endpoint: "system/get_odbs" }, parseOdbs),

    async *onuInventory(o = {}) {
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(o.pageSize ?? MAX_PAGE_SIZE)));
      const updatedSince = o.updatedSince ? formatLocal(o.updatedSince, timeZone) : undefined;
      // ONUs added or removed while paging shift the pages; never hand the same ONU out twice.
      const seen = new Set<string>();
      for (let page = 1; ; page++) {
        const query = { page: String(page), page_size: String(pageSize), updated_since: updatedSince };
        const request: Request = { endpoint: "onu/get_all_onus_details", query, ...(o.signal ? { signal: o.signal } : {}) };
        const p = await get(request, (op, body) => parseInventoryPage(op, body, timeZone));
        const fresh = p.records.filter((r) => !seen.has(r.externalId) && seen.add(r.externalId));
        o.onPage?.(seen.size, p.totalItems);
        if (fresh.length > 0) yield fresh;
        if (page >= p.totalPages || p.records.length === 0) return;
      }
    },

    bulkStatuses: (filter = {}, o = {}) => get(bulk("onu/get_onus_statuses", filter, o.signal), (op, body) => parseStatusRows(op, body, timeZone)),
    bulkSignals: (filter = {}, o = {}) => get(bulk("onu/get_onus_signals", filter, o.signal), parseSignalRows),

    onuDetails: async (ext) => get(perOnu("onu/get_onu_details", ext), (op, body) => parseOnuDetails(op, body, timeZone)),
    onuStatus: async (ext) => get(perOnu("onu/get_onu_status", ext), (op, body) => parseOnuLiveStatus(op, body, timeZone)),
    onuSignal: async (ext) => get(perOnu("onu/get_onu_signal", ext), (op, body) => parseOnuLiveSignal(op, ext, body)),
    outagePons: (oltId) =>
      get({ endpoint: "system/get_outage_pons", arg: oltId }, (op, body) => parseOutagePons(op, body, timeZone)),

    budget: () => budget.snapshot(),
  };
}
