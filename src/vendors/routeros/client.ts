import { routerTimeZone, type ResilienceConfig, type RouterOsConfig } from "../../config.js";
import { routerKey, type PppSecret, type PppSession, type QueueReading, type RouterLogEntry, type RouterTarget, type TrafficReading } from "../../domain/types.js";
import type { Logger } from "../../logger.js";
import { assertTimeZone } from "../../time/zoned-time.js";
import { isVendorError, VendorError } from "../errors.js";
import type { BreakerState, Guard } from "../guard.js";
import { createGuard, guardOptionsFor, type VendorCallObserver } from "../guard.js";
import type { Link, LinkStream } from "./link.js";
import { openLink } from "./link.js";
import type { ParseContext } from "./parse.js";
import { mentionsUser, parseLogEntry, parseQueue, parseSecret, parseSession, parseTraffic, parseVersion } from "./parse.js";
import { patchNodeRouterOs } from "./patches.js";
import type { WireRow } from "./wire.js";
import { pppoeInterface, PROPLIST, proplistWord } from "./wire.js";

/** Beholder's reads from the MikroTik routers, one reusable API connection per router. */
export interface RouterPool {
  /** Every /ppp/secret of the router (the nightly inventory); passwords are never read. */
  secrets(router: RouterTarget, opts?: { signal?: AbortSignal }): Promise<PppSecret[]>;
  /** The secret named exactly `user` (RouterOS names are case-sensitive). */
  secret(router: RouterTarget, user: string, opts?: { signal?: AbortSignal }): Promise<PppSecret | undefined>;
  activeSession(router: RouterTarget, user: string, opts?: { signal?: AbortSignal }): Promise<PppSession | undefined>;
  /** Every session up on the router (the status job); a listing as big as the secrets', under the same timeout. */
  activeSessions(router: RouterTarget, opts?: { signal?: AbortSignal }): Promise<PppSession[]>;
  /** Live rates of `<pppoe-USER>`; VendorError `not_found` when the user has no session (no interface). */
  traffic(router: RouterTarget, user: string): Promise<TrafficReading>;
  /**
   * A running `monitor-traffic` of `<pppoe-USER>` (no `once`): one sample per `intervalS` until
   * `stop()`, which sends `/cancel`. Resolves after the first sample; the start goes through the
   * router's guard (timeout, breaker). `onEnd` reports a stream the router or the link ended.
   */
  monitorTraffic(router: RouterTarget, user: string, opts: MonitorOptions): Promise<TrafficMonitor>;
  /** monitor-traffic streams running now, over all routers. */
  openStreams(): number;
  /** The `<pppoe-USER>` simple queue, undefined when there is none. */
  queue(router: RouterTarget, user: string): Promise<QueueReading | undefined>;
  /** The router's log, oldest first, only lines naming `user` when given; at most `limit` (the newest). */
  logs(router: RouterTarget, user?: string, opts?: { limit?: number }): Promise<RouterLogEntry[]>;
  identity(router: RouterTarget): Promise<{ name: string; version: string | null }>;
  /** Breaker state per router called so far, keyed `routeros:<name>`, for health. */
  breakers(): Record<string, BreakerState>;
  /** Logs out of every router and stops the breakers. */
  close(): Promise<void>;
}

export interface MonitorOptions {
  /** Whole seconds between samples (RouterOS and node-routeros both read `=interval=` as such). */
  intervalS: number;
  onSample(reading: TrafficReading): void;
  onEnd(err?: VendorError): void;
}

export interface TrafficMonitor {
  stop(): Promise<void>;
}

export interface RouterPoolOptions {
  resilience: ResilienceConfig;
  logger?: Logger;
  /** IANA zone of the routers' clocks (RouterOS dates carry no offset, §1.9) over config's; per-router entries still win. */
  timezone?: string;
  /** Time source for "today" in log times and for traffic readings. */
  now?: () => Date;
  /** An API connection idle this long is closed by node-routeros (SOCKTMOUT); default 60 s. */
  idleTimeoutMs?: number;
  /** Per-attempt budget of the full secrets print; default MK_TIMEOUT_MS, like every other call. */
  bulkTimeoutMs?: number;
  /** Told about every call attempt (metrics). */
  observe?: VendorCallObserver;
  /** Told about every breaker state change, keyed `routeros:<host:port>` like `breakers()`. */
  onBreakerChange?: (breaker: string, state: BreakerState) => void;
}

const DEFAULT_LOG_LIMIT = 100;

/**
 * The RouterOS client: node-routeros 1.6.9 behind the shared guard (timeouts, one breaker per
 * router, retries, single-flight), with the library's failure modes patched (patches.ts) and
 * contained (link.ts). Every print carries a `.proplist`.
 */
export function createRouterPool(config: RouterOsConfig, opts: RouterPoolOptions): RouterPool {
  patchNodeRouterOs();
  const zones: RouterOsConfig = { ...config, timezone: opts.timezone ?? (config.timezone || "UTC") };
  // Fails fast on a zone Intl does not know.
  for (const zone of [zones.timezone, ...Object.values(zones.routerTimezones ?? {})]) assertTimeZone(zone);
  const timeZoneOf = (router: RouterTarget): string => routerTimeZone(zones, router);
  const now = opts.now ?? ((): Date => new Date());
  const idleTimeoutMs = opts.idleTimeoutMs ?? 60_000;
  // Not a larger floor: a silent router would cost the inventory (retries + 1) × that floor. Thousands
  // of secrets with a .proplist are one reply of a few hundred KB, well inside MK_TIMEOUT_MS.
  const bulkTimeoutMs = opts.bulkTimeoutMs ?? opts.resilience.routerTimeoutMs;
  const links = new Map<string, Link>();
  const guards = new Map<string, Guard>();
  let closed = false;

  // Breakers and links are per router, and a router is its host and port: routers behind one public
  // address on different ports fail apart, and two nodes naming one router share its breaker.
  function guardFor(router: RouterTarget): Guard {
    const key = routerKey(router);
    let guard = guards.get(key);
    if (!guard) {
      guard = createGuard({ ...guardOptionsFor(opts.resilience, "routeros", `routeros:${key}`, opts.observe), ...(opts.logger ? { logger: opts.logger } : {}) });
      const name = router.name;
      guard.onStateChange((state) => {
        opts.logger?.warn({ router: name, address: key, state }, "routeros: breaker state changed");
        opts.onBreakerChange?.(`routeros:${key}`, state);
      });
      // The breaker's trial when it goes half-open: the router's identity, one word back from its
      // configuration (no table walk), through the same link and login as every call.
      const words = ["/system/identity/print", proplistWord(PROPLIST.identity)];
      const op = opName(router, "/system/identity/print");
      guard.setProbe((signal) =>
        closed ? Promise.reject(new VendorError("routeros", op, "unavailable", "the connection pool was closed")) : linkFor(router).call(words, op, signal),
      );
      guards.set(key, guard);
    }
    return guard;
  }

  function linkFor(router: RouterTarget): Link {
    const key = routerKey(router);
    const existing = links.get(key);
    if (existing && !existing.dead) return existing;
    const link = openLink({
      host: router.host,
      port: router.port,
      user: config.user,
      password: config.password,
      idleTimeoutMs,
      ...(opts.logger ? { logger: opts.logger } : {}),
      onDead: (dead) => {
        if (links.get(key) === dead) links.delete(key);
      },
    });
    links.set(key, link);
    return link;
  }

  /** One command through the router's guard; reads are idempotent, so retried and shared. */
  function run(router: RouterTarget, words: string[], options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<WireRow[]> {
    const path = words[0] ?? "";
    const op = opName(router, path);
    if (closed) return Promise.reject(new VendorError("routeros", op, "unavailable", "the connection pool was closed"));
    return guardFor(router).run(op, (signal) => linkFor(router).call(words, op, signal), {
      idempotent: true,
      key: words.join("\n"),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  function context(router: RouterTarget, path: string): ParseContext {
    return { op: opName(router, path), timeZone: timeZoneOf(router), now: now() };
  }

  return {
    async secrets(router, o = {}) {
      const path = "/ppp/secret/print";
      const rows = await run(router, [path, proplistWord(PROPLIST.secret)], { ...o, timeoutMs: bulkTimeoutMs });
      const ctx = context(router, path);
      return rows.map((r) => parseSecret(r, ctx));
    },

    async secret(router, user, o = {}) {
      const path = "/ppp/secret/print";
      const rows = await run(router, [path, `?name=${user.trim()}`, proplistWord(PROPLIST.secret)], o);
      return rows[0] && parseSecret(rows[0], context(router, path));
    },

    async activeSession(router, user, o = {}) {
      const path = "/ppp/active/print";
      const rows = await run(router, [path, `?name=${user.trim()}`, proplistWord(PROPLIST.active)], o);
      return rows[0] && parseSession(rows[0], context(router, path));
    },

    async activeSessions(router, o = {}) {
      const path = "/ppp/active/print";
      const rows = await run(router, [path, proplistWord(PROPLIST.active)], { ...o, timeoutMs: bulkTimeoutMs });
      const ctx = context(router, path);
      return rows.map((r) => parseSession(r, ctx));
    },

    async traffic(router, user) {
      const path = "/interface/monitor-traffic";
      // Without `=once=` monitor-traffic streams forever (§1.7).
      const rows = await run(router, [path, `=interface=${pppoeInterface(user.trim())}`, "=once="]);
      return parseTraffic(rows, context(router, path));
    },

    async monitorTraffic(router, user, o) {
      const path = "/interface/monitor-traffic";
      const op = opName(router, path);
      if (closed) throw new VendorError("routeros", op, "unavailable", "the connection pool was closed");
      const words = [path, `=interface=${pppoeInterface(user.trim())}`, `=interval=${Math.max(1, Math.round(o.intervalS))}`];
      let handle: LinkStream | undefined;
      let ended = false;
      // Not idempotent: a shared or retried start would hand one stream to two owners.
      await guardFor(router).run(
        op,
        (signal) =>
          new Promise<void>((resolve, reject) => {
            let started = false;
            handle = linkFor(router).stream(words, op, {
              row(row) {
                let reading: TrafficReading;
                try {
                  reading = parseTraffic([row], context(router, path));
                } catch (err) {
                  opts.logger?.debug({ router: router.name, address: routerKey(router), err }, "routeros: unreadable monitor-traffic row");
                  return;
                }
                if (!started) {
                  started = true;
                  signal.removeEventListener("abort", onAbort);
                  resolve();
                }
                o.onSample(reading);
              },
              end(err) {
                ended = true;
                if (started) o.onEnd(err);
                else reject(err ?? new VendorError("routeros", op, "bad_response", "monitor-traffic ended before its first sample"));
              },
            });
            const onAbort = (): void => {
              void handle?.stop();
              reject(signal.reason);
            };
            signal.addEventListener("abort", onAbort, { once: true });
          }),
        { idempotent: false },
      );
      const started = handle as LinkStream;
      return { stop: () => (ended ? Promise.resolve() : started.stop()) };
    },

    openStreams() {
      let n = 0;
      for (const l of links.values()) n += l.streams;
      return n;
    },

    async queue(router, user) {
      const path = "/queue/simple/print";
      const rows = await run(router, [path, `?name=${pppoeInterface(user.trim())}`, proplistWord(PROPLIST.queue)]);
      return rows[0] && parseQueue(rows[0], context(router, path));
    },

    async logs(router, user, o = {}) {
      const path = "/log/print";
      // The API has no substring match (§1.8), so the filter runs here.
      const rows = await run(router, [path, proplistWord(PROPLIST.log)]);
      const ctx = context(router, path);
      const wanted = user?.trim() ? rows.filter((r) => mentionsUser(r.message ?? "", user)) : rows;
      const limit = o.limit ?? DEFAULT_LOG_LIMIT;
      return wanted.slice(Math.max(0, wanted.length - limit)).map((r) => parseLogEntry(r, ctx));
    },

    async identity(router) {
      const [identity, resource] = await Promise.all([
        run(router, ["/system/identity/print", proplistWord(PROPLIST.identity)]),
        run(router, ["/system/resource/print", proplistWord(PROPLIST.resource)]),
      ]);
      const name = identity[0]?.name?.trim();
      if (!name) throw new VendorError("routeros", opName(router, "/system/identity/print"), "bad_response", "no identity name");
      return { name, version: parseVersion(resource[0]?.version) };
    },

    breakers() {
      return Object.fromEntries([...guards].map(([key, g]) => [`routeros:${key}`, g.state()]));
    },

    async close() {
      closed = true;
      // Breakers first: a probe in flight is aborted and no reset timer can start one on a new link.
      for (const g of guards.values()) g.shutdown();
      guards.clear();
      const all = [...links.values()];
      links.clear();
      await Promise.all(all.map((l) => l.close().catch((err: unknown) => opts.logger?.debug({ err: isVendorError(err) ? err.message : err }, "routeros: close failed"))));
    },
  };
}

/** "rb-norte@10.0.0.1:8729 /ppp/secret/print": names and addresses both, as routers may share either. */
function opName(router: RouterTarget, path: string): string {
  return `${router.name}@${routerKey(router)} ${path}`;
}
