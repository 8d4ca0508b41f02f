/**
 * The ISPCube API client (shared/vendors/ispcube.md): Sanctum login with a cached, shared token,
 * the seven headers on every call, `customers_list` paging, catalogs and per-customer lookups. Every
 * request goes through the vendor's Guard; this file only speaks HTTP and classifies answers.
 */
import type { IspCubeConfig } from "../../config.js";
import type { Connection, Customer, Node, Plan } from "../../domain/types.js";
import type { Logger } from "../../logger.js";
import { BodyTooLargeError, readText } from "../body.js";
import { VendorError } from "../errors.js";
import type { Guard } from "../guard.js";
import { JsonArrayError, streamJsonArray } from "../json-array.js";
import { untilAborted } from "../abort.js";
import { parseConnection, parseCustomer, parseCustomerLookup, parseList, parseNode, parsePlan, parseToken, statusErrorMessage } from "./parse.js";

/** Per call: cancel it (retries included), or give a slow bulk list more time per attempt. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface CustomersOptions extends CallOptions {
  /** Rows per `customers_list` page; 500 is what production syncs use (§3.3). */
  pageSize?: number;
  /** Called after each page with the number of customers yielded so far. */
  onPage?: (done: number) => void;
  /** Ask for deleted / temporary (prospective) customers too; ISPCube leaves them out by default. */
  includeDeleted?: boolean;
  includeTemporary?: boolean;
}

export interface IspCubeClient {
  /** Every customer, page by page, each customer once (by id) even if the list shifts while paging. */
  customers(opts?: CustomersOptions): AsyncIterable<Customer[]>;
  connections(opts?: CallOptions): Promise<Connection[]>;
  plans(opts?: CallOptions): Promise<Plan[]>;
  /** Nodes without their router credentials, which ISPCube sends and this client drops. */
  nodes(opts?: CallOptions): Promise<Node[]>;
  /** A live read by customer number, zero padding included (`"003566"`, not `"3566"`); not_found otherwise. */
  customerByCode(code: string, opts?: CallOptions): Promise<Customer>;
  customerById(id: number, opts?: CallOptions): Promise<Customer>;
  /** HTTP requests this client has sent, logins included: ISPCube bills per request (§3.7). */
  requests(): number;
}

export interface IspCubeClientOptions {
  logger?: Logger;
  now?: () => Date;
}

/** Tokens live 24 h (§2.4); renew an hour early so a long sync never runs into the expiry. */
const TOKEN_REUSE_MS = 23 * 60 * 60 * 1000;
const DEFAULT_PAGE_SIZE = 500;
const MAX_MESSAGE_CHARS = 200;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body was a JSON array and went element by element to the caller's `onItem`. */
  streamed?: boolean;
}

/** Passed to `get` for big unpaginated lists: each array element as it arrives. */
type ItemSink = (item: unknown) => void;

export function createIspCubeClient(config: IspCubeConfig, guard: Guard, opts: IspCubeClientOptions = {}): IspCubeClient {
  const origin = ispCubeOrigin(config.baseUrl);
  const now = opts.now ?? ((): Date => new Date());
  const log = opts.logger;
  let sent = 0;
  let token: { value: string; obtainedAtMs: number } | undefined;
  let pendingLogin: { promise: Promise<string>; signal: AbortSignal } | undefined;

  const tenantHeaders = {
    "content-type": "application/json",
    accept: "application/json",
    "api-key": config.apiKey,
    "client-id": config.clientId,
    "login-type": "api",
  };

  async function send(op: string, path: string, signal: AbortSignal, init: RequestInit, onItem?: ItemSink): Promise<Answer> {
    sent += 1;
    try {
      // Manual redirects: following one would carry the api-key header to wherever it points.
      const res = await fetch(`${origin}/api/${path}`, { ...init, signal, redirect: "manual" });
      if (onItem && res.status === 200 && res.body) {
        const read = await streamJsonArray(res.body, (text) => onItem(parseElement(op, text)));
        return read.streamed
          ? { status: res.status, headers: res.headers, text: "", streamed: true }
          : { status: res.status, headers: res.headers, text: read.text };
      }
      return { status: res.status, headers: res.headers, text: await readText(res) };
    } catch (err) {
      if (err instanceof VendorError) throw err;
      if (err instanceof BodyTooLargeError) throw new VendorError("ispcube", op, "bad_response", err.message, { cause: err });
      if (err instanceof JsonArrayError) throw new VendorError("ispcube", op, "bad_response", err.message, { cause: err });
      // An abort is the guard's timeout or the caller's cancel: let the guard name it.
      if (signal.aborted) throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
      throw new VendorError("ispcube", op, "unavailable", `request failed: ${reason}`, { cause: err });
    }
  }

  async function login(signal: AbortSignal): Promise<string> {
    const op = "sanctum/token";
    log?.debug({ vendor: "ispcube", op }, "logging in");
    const body = JSON.stringify({ username: config.user, password: config.password });
    const answer = await send(op, op, signal, { method: "POST", headers: tenantHeaders, body });
    if (answer.status === 401 || answer.status === 403) {
      throw new VendorError("ispcube", op, "auth", `login refused (HTTP ${answer.status})`, { status: answer.status });
    }
    const failure = classifyFailure(op, answer, false, now().getTime());
    if (failure) throw failure;
    const vendorError = statusErrorMessage(tryJson(answer.text));
    if (vendorError !== undefined) throw unavailable200(op, vendorError);
    const value = parseToken(answer.text);
    // Never echo the body: it may hold a token in a shape we failed to read.
    if (value === undefined) throw new VendorError("ispcube", op, "bad_response", "login answered no readable token");
    return value;
  }

  /** The cached token, or one login shared by every caller that needs one at the same time. */
  async function currentToken(signal: AbortSignal): Promise<string> {
    for (;;) {
      if (token && now().getTime() - token.obtainedAtMs < TOKEN_REUSE_MS) return token.value;
      const flight = pendingLogin ?? startLogin(signal);
      try {
        return await untilAborted(flight.promise, signal);
      } catch (err) {
        // The shared login was cancelled by the caller that started it, not by us: start our own.
        if (!signal.aborted && flight.signal !== signal && flight.signal.aborted) continue;
        throw err;
      }
    }
  }

  function startLogin(signal: AbortSignal): { promise: Promise<string>; signal: AbortSignal } {
    const startedAtMs = now().getTime();
    const flight = {
      signal,
      promise: login(signal)
        .then((value) => {
          token = { value, obtainedAtMs: startedAtMs };
          return value;
        })
        .finally(() => {
          if (pendingLogin === flight) pendingLogin = undefined;
        }),
    };
    // Waiters may all give up; the outcome is still observed here.
    flight.promise.catch(() => undefined);
    pendingLogin = flight;
    return flight;
  }

  /**
   * One authenticated GET: on a 401, one fresh login and one retry (§2.4), then auth. With `onItem`,
   * a JSON array body is streamed to it element by element and `get` returns undefined.
   */
  async function get(op: string, path: string, signal: AbortSignal, lookup = false, onItem?: ItemSink): Promise<unknown> {
    const attempt = async (): Promise<Answer> => {
      const bearer = await currentToken(signal);
      const answer = await send(
        op,
        path,
        signal,
        { headers: { ...tenantHeaders, username: config.user, authorization: `Bearer ${bearer}` } },
        onItem,
      );
      if (answer.status === 401 && token?.value === bearer) token = undefined;
      return answer;
    };
    let answer = await attempt();
    if (answer.status === 401) {
      log?.info({ vendor: "ispcube", op }, "token refused; logging in again");
      answer = await attempt();
      if (answer.status === 401) {
        throw new VendorError("ispcube", op, "auth", "token refused right after a fresh login (HTTP 401)", { status: 401 });
      }
    }
    const failure = classifyFailure(op, answer, lookup, now().getTime());
    if (failure) throw failure;
    if (answer.streamed) return undefined;
    const body = tryJson(answer.text);
    if (body === undefined) throw new VendorError("ispcube", op, "bad_response", "answer is not JSON", { status: answer.status });
    const vendorError = statusErrorMessage(body);
    if (vendorError !== undefined) throw unavailable200(op, vendorError);
    return body;
  }

  function read<T>(op: string, path: string, parse: (body: unknown) => T, call: CallOptions = {}, lookup = false): Promise<T> {
    return guard.run(op, async (signal) => parse(await get(op, path, signal, lookup)), {
      idempotent: true,
      key: `ispcube ${path}`,
      ...call,
    });
  }

  /**
   * An unpaginated list that can be huge (§3.3: connections_list is one response): parsed element by
   * element as it streams in. Each attempt starts a fresh array, so a retry never duplicates rows.
   */
  function readLargeList<T>(op: string, path: string, parseItem: (raw: unknown, op: string) => T, call: CallOptions = {}): Promise<T[]> {
    return guard.run(
      op,
      async (signal) => {
        const rows: T[] = [];
        const body = await get(op, path, signal, false, (item) => rows.push(parseItem(item, op)));
        return body === undefined ? rows : parseList(body, op, parseItem);
      },
      { idempotent: true, key: `ispcube ${path}`, ...call },
    );
  }

  async function lookup(op: string, query: string, call: CallOptions | undefined): Promise<Customer> {
    const found = await read(op, `customer?${query}`, (body) => parseCustomerLookup(body, op), call, true);
    if (!found) throw new VendorError("ispcube", op, "not_found", "Cliente no encontrado");
    return found;
  }

  // The breaker's trial when it goes half-open (guard.setProbe): GET connections/count answers
  // `{"count": N}` (§4.3), the smallest authenticated read the API documents. ISPCube meters requests,
  // not endpoints (§3.7), so one probe per reset period while it is down costs one request (two when no
  // token is cached: the login it needs is the one every caller shares, §2.4).
  guard.setProbe(async (signal) => {
    const op = "connections_count";
    const body = await get(op, "connections/count", signal);
    const count = typeof body === "object" && body !== null ? (body as { count?: unknown }).count : undefined;
    if (typeof count !== "number") throw new VendorError("ispcube", op, "bad_response", "answer has no numeric count");
    return count;
  });

  return {
    customers(o = {}) {
      // A caller's odd page size is clamped rather than thrown: this client throws only VendorError.
      const pageSize = Math.max(1, Math.floor(o.pageSize ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE);
      const extra = `${o.includeDeleted ? "&deleted=true" : ""}${o.includeTemporary ? "&temporary=true" : ""}`;
      const call: CallOptions = { signal: o.signal, timeoutMs: o.timeoutMs };
      return {
        async *[Symbol.asyncIterator]() {
          const op = "customers_list";
          // Newest first (§3.3): a customer created while paging pushes rows down into the next page.
          const seen = new Set<number>();
          for (let offset = 0; ; ) {
            const path = `customers/customers_list?limit=${pageSize}&offset=${offset}${extra}`;
            const rows = await read(op, path, (body) => parseList(body, op, parseCustomer), call);
            offset += rows.length;
            const fresh = rows.filter((c) => !seen.has(c.id) && seen.add(c.id));
            o.onPage?.(seen.size);
            if (fresh.length > 0) yield fresh;
            // No total and no next link: a short page is the last one (§3.3).
            if (rows.length < pageSize) return;
          }
        },
      };
    },
    connections: (call) => readLargeList("connections_list", "connections/connections_list", parseConnection, call),
    plans: (call) => read("plans_list", "plans/plans_list", (b) => parseList(b, "plans_list", parsePlan), call),
    nodes: (call) => read("nodes_list", "nodes/nodes_list", (b) => parseList(b, "nodes_list", parseNode), call),
    async customerByCode(code, call) {
      const wanted = code.trim();
      if (wanted === "") throw new VendorError("ispcube", "customer", "not_found", "empty customer code");
      return lookup("customer", `code=${encodeURIComponent(wanted)}`, call);
    },
    async customerById(customerId, call) {
      if (!Number.isSafeInteger(customerId) || customerId < 0) {
        throw new VendorError("ispcube", "customer", "not_found", `no customer can have id ${customerId}`);
      }
      // A query parameter, not `/customer/:id` (§5).
      return lookup("customer", `customer_id=${customerId}`, call);
    },
    requests: () => sent,
  };
}

/** ISPCUBE_BASEURL is the origin; `/api`, added by this client, is tolerated at its end too. */
export function ispCubeOrigin(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, "").replace(/\/api$/i, "").replace(/\/+$/, "");
}

/** Non-2xx answers as errors; 401 is handled by the caller (one re-login). */
function classifyFailure(op: string, answer: Answer, lookup: boolean, nowMs: number): VendorError | undefined {
  const { status } = answer;
  if (status >= 200 && status < 300) return undefined;
  const message = vendorMessage(answer.text);
  const err = (kind: VendorError["kind"], text: string, retryAfterS?: number): VendorError =>
    new VendorError("ispcube", op, kind, text, { status, retryAfterS });
  if (status >= 500) return err("unavailable", message ? `HTTP ${status}: ${message}` : `HTTP ${status}`);
  if (status === 429) return err("rate_limited", "HTTP 429: too many requests", retryAfterSeconds(answer.headers.get("retry-after"), nowMs));
  if (status === 404 && lookup) return err("not_found", message ?? "not found");
  if (status === 401) return err("auth", "token refused (HTTP 401)");
  // Permissions belong to the ISPCube user and are fixed inside ISPCube (§2.5).
  if (status === 403) return err("auth", message ? `permission denied: ${message}` : "permission denied (HTTP 403)");
  if (status >= 300 && status < 400) {
    return err("bad_response", `redirected (HTTP ${status}) to ${answer.headers.get("location") ?? "?"}: check ISPCUBE_BASEURL`);
  }
  // A 400 "username header requerido" and other 4xx mean the request was wrong: our bug.
  return err("bad_response", message ? `HTTP ${status}: ${message}` : `HTTP ${status}`);
}

function parseElement(op: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new VendorError("ispcube", op, "bad_response", "a list element is not valid JSON", { cause: err });
  }
}

/** "IspCube a veces contesta un objeto de error con HTTP 200" (§3.2): retried like any failed read. */
function unavailable200(op: string, message: string): VendorError {
  return new VendorError("ispcube", op, "unavailable", `error with HTTP 200: ${truncate(message)}`, { status: 200 });
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Laravel's `{"message": …}`; an HTML proxy page (502) has none. */
function vendorMessage(text: string): string | undefined {
  const body = tryJson(text);
  const message = typeof body === "object" && body !== null ? (body as { message?: unknown }).message : undefined;
  return typeof message === "string" && message.trim() !== "" ? truncate(message.trim()) : undefined;
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS)}…` : s;
}

/** `Retry-After` in seconds or as an HTTP date (read against the injected clock). */
function retryAfterSeconds(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}
