import { setMaxListeners } from "node:events";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs, type Duration } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import {
  WatchEventKind,
  type Diagnosis,
  type WatchDiagnosisRequest,
  type WatchDiagnosisResponseSchema,
} from "../../gen/beholder/v1/diagnosis_pb.js";
import type { WatchConfig } from "../config.js";
import type { WatchHub, WatchStream } from "../diagnosis/watch/hub.js";
import type { WatchUpdate } from "../diagnosis/watch/types.js";
import { invalid, subscriberTarget } from "./validate.js";

type Response = MessageInitShape<typeof WatchDiagnosisResponseSchema>;

export interface WatchDiagnosisDeps {
  hub: WatchHub;
  config: WatchConfig;
  /** Aborts when the server starts shutting down: open streams then end with OK. */
  draining: AbortSignal;
}

/**
 * WatchDiagnosis: FULL first, then UPDATE on each observable change, HEARTBEAT after
 * `heartbeatMs` of silence, until the caller hangs up, the server drains or `maxDurationMs` passes
 * (then the stream ends with OK and the client reconnects if it still cares).
 */
export function createWatchDiagnosis(deps: WatchDiagnosisDeps): (req: WatchDiagnosisRequest, ctx: HandlerContext) => AsyncIterable<Response> {
  const { hub, config } = deps;
  // One abort listener per open stream: a thousand streams are load, not a leak.
  setMaxListeners(0, deps.draining);
  return async function* watchDiagnosis(req, ctx) {
    const target = subscriberTarget(req);
    const intervalMs = watchInterval(req.interval, config);
    if (deps.draining.aborted) throw new ConnectError("the server is shutting down; reconnect to another instance", Code.Unavailable);
    const stream = await hub.open(target, { intervalMs, includeTraffic: req.includeTraffic });
    const end = new AbortController();
    const stop = (): void => end.abort();
    const maxTimer = setTimeout(stop, config.maxDurationMs);
    ctx.signal.addEventListener("abort", stop, { once: true });
    deps.draining.addEventListener("abort", stop, { once: true });
    try {
      const first = req.includeTraffic ? stream.first : { ...stream.first, traffic: undefined };
      yield message(stream, WatchEventKind.FULL, first, []);
      while (!end.signal.aborted) {
        const update = await nextOrHeartbeat(stream, end.signal, config.heartbeatMs);
        if (end.signal.aborted) break;
        yield update
          ? message(stream, WatchEventKind.UPDATE, update.diagnosis, update.changedFields)
          : message(stream, WatchEventKind.HEARTBEAT, undefined, []);
      }
    } finally {
      clearTimeout(maxTimer);
      ctx.signal.removeEventListener("abort", stop);
      deps.draining.removeEventListener("abort", stop);
      await stream.close();
    }
  };
}

/** The requested interval clamped to the configured bounds; absent or zero means the default. */
export function watchInterval(interval: Duration | undefined, config: WatchConfig): number {
  if (!interval) return config.defaultIntervalMs;
  const ms = Number(interval.seconds) * 1000 + interval.nanos / 1e6;
  if (ms < 0 || interval.nanos < 0) throw invalid("interval must not be negative");
  if (ms === 0) return config.defaultIntervalMs;
  return Math.min(config.maxIntervalMs, Math.max(config.minIntervalMs, ms));
}

/** The next update, or undefined when `heartbeatMs` passed without one (or `signal` aborted). */
async function nextOrHeartbeat(stream: WatchStream, signal: AbortSignal, heartbeatMs: number): Promise<WatchUpdate | undefined> {
  const beat = new AbortController();
  const timer = setTimeout(() => beat.abort(), heartbeatMs);
  const forward = (): void => beat.abort();
  signal.addEventListener("abort", forward, { once: true });
  try {
    return await stream.next(beat.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", forward);
  }
}

function message(stream: WatchStream, kind: WatchEventKind, diagnosis: Diagnosis | undefined, changedFields: string[]): Response {
  const p = stream.polling();
  return {
    kind,
    changedFields,
    ...(diagnosis ? { diagnosis } : {}),
    polling: {
      onuStatusInterval: durationFromMs(p.onuStatusIntervalMs),
      onuSignalInterval: durationFromMs(p.onuSignalIntervalMs),
      sessionInterval: durationFromMs(p.sessionIntervalMs),
      customerInterval: durationFromMs(p.customerIntervalMs),
      stretched: p.stretched,
      watchedOnuGroups: p.onuGroups,
    },
  };
}
