import { EventEmitter } from "node:events";
import CircuitBreaker from "opossum";
import { setTimeout as sleep } from "node:timers/promises";
import type { ResilienceConfig } from "../config.js";
import type { Vendor } from "../domain/types.js";
import type { Logger } from "../logger.js";
import { deadline } from "../time/deadline.js";
import { untilAborted } from "./abort.js";
import { countsAsFailure, isRetryable, VendorError, type VendorErrorKind } from "./errors.js";

/** One attempt at a vendor call, as metrics see it: `outcome` is "ok" or the VendorError's kind. */
export interface VendorCall {
  vendor: Vendor;
  /** The guard's (breaker's) name: the vendor, or `routeros:<router>`. */
  breaker: string;
  op: string;
  ms: number;
  outcome: "ok" | VendorErrorKind;
}

export type VendorCallObserver = (call: VendorCall) => void;

export interface GuardOptions {
  vendor: Vendor;
  /** Breaker name, e.g. "smartolt" or "routeros:router-3". */
  name: string;
  /** Time budget of one attempt. */
  timeoutMs: number;
  /** Share of failed calls (in the rolling window) that opens the breaker. */
  errorThresholdPercent: number;
  /** Calls in the window before the breaker may open. */
  volumeThreshold: number;
  /** How long the breaker stays open before one trial call. */
  resetTimeoutMs: number;
  /** Extra attempts for idempotent reads. */
  retries: number;
  retryBaseMs: number;
  /** A vendor Retry-After longer than this is not waited for: the error goes to the caller. */
  maxRetryWaitMs: number;
  /** Told about every attempt (metrics); never throws into the call. */
  observe?: VendorCallObserver;
  /** Run the client's probe as the half-open trial (BREAKER_PROBE); on unless false. */
  probe?: boolean;
  /** Where probe outcomes go (debug and info; never a credential: vendor errors carry none). */
  logger?: Logger;
}

/**
 * One cheap, idempotent, read-only vendor call, chosen by the vendor client: the breaker's trial when it
 * goes half-open. It receives the per-attempt signal and must settle (or abort) with it.
 */
export type BreakerProbe = (signal: AbortSignal) => Promise<unknown>;

/** The breaker's rolling window (opossum's default), in buckets turned by the guard. */
const ROLLING_WINDOW_MS = 10_000;
const ROLLING_BUCKETS = 10;

/** The op a probe is observed and metered as. */
export const PROBE_OP = "probe";

export type BreakerState = "closed" | "open" | "half_open";

export interface RunOptions {
  /** Reads may be retried and de-duplicated; writes never are. */
  idempotent?: boolean;
  /** Identical concurrent calls (same key) share one request. Defaults to `op` for idempotent calls. */
  key?: string;
  /** Cancels the whole run, retries included (e.g. a diagnosis' overall budget). */
  signal?: AbortSignal;
  /** Overrides the per-attempt timeout (bulk exports take longer than a single read). */
  timeoutMs?: number;
}

export interface Guard {
  /**
   * Runs `fn` behind the breaker with a per-attempt timeout (the signal it receives aborts then).
   * Every failure comes out as a VendorError.
   */
  run<T>(op: string, fn: (signal: AbortSignal) => Promise<T>, options?: RunOptions): Promise<T>;
  state(): BreakerState;
  /** Called with each state change, for health and logs. */
  onStateChange(listener: (state: BreakerState) => void): void;
  /**
   * The trial the guard runs itself each time the breaker goes half-open, so the breaker closes (vendor
   * back) or opens for another reset period (still down) without waiting for traffic: one probe per
   * reset period per breaker while the vendor is down, never more than one in flight.
   */
  setProbe(probe: BreakerProbe): void;
  /** Stops the breaker and any probe in flight; no timer or socket of the guard outlives it. */
  shutdown(): void;
}

/**
 * Timeouts, the circuit breaker (opossum), retries with full jitter honouring Retry-After, and
 * single-flight, written once for every vendor client.
 */
export function createGuard(options: GuardOptions): Guard {
  // opossum keeps its rolling window across a close: a breaker whose trial just succeeded still counts
  // the failures that opened it, so one more failure (a read that was in flight when the vendor came
  // back) opens it again for a whole reset period. As in Hystrix, a close starts a fresh window: the
  // guard turns the window's buckets itself (opossum's rotateBucketController) and empties it on close.
  const rotation = new EventEmitter();
  const rotating = setInterval(() => rotation.emit("rotate"), ROLLING_WINDOW_MS / ROLLING_BUCKETS).unref();
  const breaker = new CircuitBreaker(async (attempt: () => Promise<unknown>) => attempt(), {
    name: options.name,
    rollingCountTimeout: ROLLING_WINDOW_MS,
    rollingCountBuckets: ROLLING_BUCKETS,
    rotateBucketController: rotation,
    // Timeouts are ours (they abort the request); opossum's would leave it running.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercent,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    // Not-found, auth and rate-limit answers come from a healthy vendor: they must not open it.
    errorFilter: (err: unknown) => !countsAsFailure(err),
  });
  const inFlight = new Map<string, Promise<unknown>>();
  const listeners: ((s: BreakerState) => void)[] = [];
  const emit = (s: BreakerState): void => listeners.forEach((l) => l(s));
  const stopping = new AbortController();
  let probe: BreakerProbe | undefined;
  breaker.on("open", () => emit("open"));
  breaker.on("halfOpen", () => {
    runProbe();
    emit("half_open");
  });
  breaker.on("close", () => {
    for (let i = 0; i < ROLLING_BUCKETS; i++) rotation.emit("rotate");
    emit("closed");
  });

  const attemptOnce = async <T>(op: string, fn: (signal: AbortSignal) => Promise<T>, run: RunOptions): Promise<T> => {
    const outer = run.signal;
    const timeoutMs = run.timeoutMs ?? options.timeoutMs;
    const timeout = deadline(timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
    const started = performance.now();
    const observe = (outcome: VendorCall["outcome"]): void => {
      try {
        options.observe?.({ vendor: options.vendor, breaker: options.name, op, ms: performance.now() - started, outcome });
      } catch {
        // Metrics must never fail a vendor call.
      }
    };
    try {
      const result = (await breaker.fire(() => untilAborted(fn(signal), signal))) as T;
      observe("ok");
      return result;
    } catch (err) {
      const classified = classify(err);
      observe(classified.kind);
      throw classified;
    } finally {
      timeout.clear();
    }

    function classify(err: unknown): VendorError {
      if (err instanceof VendorError) return err;
      if ((err as { code?: string }).code === "EOPENBREAKER") {
        return new VendorError(options.vendor, op, "breaker_open", "circuit breaker open after repeated failures");
      }
      if (timeout.signal.aborted) return new VendorError(options.vendor, op, "timeout", `no answer within ${timeoutMs} ms`, { cause: err });
      if (outer?.aborted) return new VendorError(options.vendor, op, "timeout", "cancelled by the caller", { cause: err });
      return new VendorError(options.vendor, op, "unavailable", err instanceof Error ? err.message : String(err), { cause: err });
    }
  };

  const withRetries = async <T>(op: string, fn: (signal: AbortSignal) => Promise<T>, run: RunOptions): Promise<T> => {
    const attempts = run.idempotent ? options.retries + 1 : 1;
    for (let i = 1; ; i++) {
      try {
        return await attemptOnce(op, fn, run);
      } catch (err) {
        if (i >= attempts || !isRetryable(err) || run.signal?.aborted) throw err;
        const wait = retryWaitMs(err as VendorError, i, options);
        if (wait === undefined) throw err;
        await sleep(wait, undefined, run.signal ? { signal: run.signal } : undefined).catch(() => {
          throw err;
        });
      }
    }
  };

  /**
   * Fired from opossum's halfOpen event, in the same tick, so the probe takes the one trial opossum
   * admits (fire() clears pendingClose synchronously); calls arriving while it runs fail fast as
   * breaker_open, as they did while open. No retries and no single-flight: a retry would meet the
   * breaker it just re-opened, and sharing an older in-flight call would leave the trial untaken.
   */
  function runProbe(): void {
    if (!probe || options.probe === false || stopping.signal.aborted || !breaker.pendingClose) return;
    const log = (level: "info" | "debug", fields: object, msg: string): void => {
      try {
        options.logger?.[level](fields, msg);
      } catch {
        // A log line must never become an unhandled rejection.
      }
    };
    const where = { vendor: options.vendor, breaker: options.name };
    attemptOnce(PROBE_OP, probe, { signal: stopping.signal }).then(
      () => log("info", where, "breaker trial probe answered; breaker closed"),
      (err: unknown) => {
        if (stopping.signal.aborted) return;
        const e = err instanceof VendorError ? err : undefined;
        const detail = { ...where, kind: e?.kind, err: e?.message ?? String(err) };
        // Auth, not-found and rate-limit answers come from a vendor that is up: opossum closed it.
        if (!countsAsFailure(err)) log("info", detail, "breaker trial probe answered with an error from a live vendor; breaker closed");
        else log("debug", detail, "breaker trial probe failed; open for another reset period");
      },
    );
  }

  return {
    run(op, fn, run = {}) {
      if (!run.idempotent) return withRetries(op, fn, run);
      const key = run.key ?? op;
      const shared = inFlight.get(key);
      if (shared) return shared as Promise<never>;
      const p = withRetries(op, fn, run).finally(() => inFlight.delete(key));
      inFlight.set(key, p);
      return p;
    },
    state: () => (breaker.opened ? "open" : breaker.halfOpen ? "half_open" : "closed"),
    onStateChange: (l) => void listeners.push(l),
    setProbe: (p) => void (probe = p),
    shutdown: () => {
      stopping.abort();
      clearInterval(rotating);
      breaker.shutdown();
    },
  };
}

/** Backoff with full jitter; a vendor's Retry-After wins when it is short enough to wait for. */
function retryWaitMs(err: VendorError, attempt: number, o: GuardOptions): number | undefined {
  if (err.kind === "rate_limited") {
    const ms = (err.retryAfterS ?? 1) * 1000;
    return ms <= o.maxRetryWaitMs ? ms + Math.random() * 250 : undefined;
  }
  return Math.random() * o.retryBaseMs * 2 ** (attempt - 1);
}


/** Guard options for a vendor from config (one breaker per vendor; per router for RouterOS). */
export function guardOptionsFor(r: ResilienceConfig, vendor: Vendor, name: string = vendor, observe?: VendorCallObserver): GuardOptions {
  const timeoutMs = vendor === "smartolt" ? r.smartoltTimeoutMs : vendor === "ispcube" ? r.ispcubeTimeoutMs : r.routerTimeoutMs;
  return {
    vendor,
    name,
    timeoutMs,
    errorThresholdPercent: r.breakerErrorPercent,
    volumeThreshold: r.breakerVolume,
    resetTimeoutMs: r.breakerResetMs,
    retries: r.retries,
    retryBaseMs: 200,
    maxRetryWaitMs: 5000,
    probe: r.breakerProbe,
    ...(observe ? { observe } : {}),
  };
}
