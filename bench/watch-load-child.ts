/**
 * The clients of the watch benchmark, in their own process so the server keeps its event loop. Reads
 * one JSON job on stdin, opens `perUser` WatchDiagnosis streams per user over gRPC (h2c), prints
 * `{"ready": …}` once every stream has its FULL message (or failed), then on the line "stop" cancels
 * them all and prints what they received.
 */
import { setMaxListeners } from "node:events";
import { createInterface } from "node:readline";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { DiagnosisService, WatchEventKind } from "../gen/beholder/v1/diagnosis_pb.js";

export interface WatchLoadJob {
  url: string;
  apiKey: string;
  users: string[];
  perUser: number;
  /** Bound on opening every stream. */
  openTimeoutMs: number;
  /** Users whose streams are being opened at once (agents do not all start in the same second). */
  openConcurrency: number;
}

export interface WatchLoadResult {
  streams: number;
  failed: number;
  firstError?: string;
  /** Messages received after "ready", by kind. */
  updates: number;
  heartbeats: number;
  /** ms from the first stream opened to the last FULL. */
  openMs: number;
  /** The ONU poll interval the streams reported, and whether the budget stretched it. */
  onuStatusIntervalS: number;
  stretched: boolean;
  onuGroups: number;
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const job = JSON.parse((await lines.next()).value as string) as WatchLoadJob;
const client = createClient(DiagnosisService, createGrpcTransport({ baseUrl: job.url }));
const headers = { "x-api-key": job.apiKey };
const stop = new AbortController();
// Every stream listens to it: a thousand listeners are the load, not a leak.
setMaxListeners(0, stop.signal);
let measuring = false;
const result: WatchLoadResult = { streams: 0, failed: 0, updates: 0, heartbeats: 0, openMs: 0, onuStatusIntervalS: 0, stretched: false, onuGroups: 0 };
const started = performance.now();
const fulls: Promise<void>[] = [];
const ends: Promise<void>[] = [];

function openUser(user: string): Promise<void> {
  const mine: Promise<void>[] = [];
  for (let i = 0; i < job.perUser; i++) {
    result.streams++;
    let first: () => void = () => {};
    const full = new Promise<void>((resolve) => (first = resolve));
    fulls.push(full);
    mine.push(full);
    ends.push(
      (async () => {
        try {
          for await (const m of client.watchDiagnosis({ pppoeUser: user }, { headers, signal: stop.signal })) {
            if (m.kind === WatchEventKind.FULL) {
              const p = m.polling;
              result.onuStatusIntervalS = Math.max(result.onuStatusIntervalS, Number(p?.onuStatusInterval?.seconds ?? 0));
              result.stretched ||= p?.stretched ?? false;
              result.onuGroups = Math.max(result.onuGroups, p?.watchedOnuGroups ?? 0);
              first();
            } else if (measuring && m.kind === WatchEventKind.UPDATE) result.updates++;
            else if (measuring && m.kind === WatchEventKind.HEARTBEAT) result.heartbeats++;
          }
        } catch (err) {
          if (!stop.signal.aborted) {
            result.failed++;
            result.firstError ??= err instanceof Error ? err.message : String(err);
          }
        } finally {
          first();
        }
      })(),
    );
  }
  return Promise.all(mine).then(() => undefined);
}

const queue = [...job.users];
const opener = async (): Promise<void> => {
  for (let user = queue.shift(); user !== undefined; user = queue.shift()) await openUser(user);
};
const opening = Promise.all(Array.from({ length: job.openConcurrency }, opener));

const timeout = new Promise<void>((resolve) => setTimeout(resolve, job.openTimeoutMs).unref());
await Promise.race([opening.then(() => Promise.all(fulls)), timeout]);
result.openMs = Math.round(performance.now() - started);
measuring = true;
process.stdout.write(`${JSON.stringify({ ready: result.streams - result.failed, failed: result.failed, firstError: result.firstError })}\n`);
for (let l = await lines.next(); !l.done && l.value.trim() !== "stop"; l = await lines.next());
measuring = false;
stop.abort();
await Promise.all(ends);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
