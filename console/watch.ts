/**
 * Follows one subscriber with WatchDiagnosis (Connect server streaming over fetch): the newest
 * diagnosis, what changed and when, traffic samples for the chart, and the stream's own state. A
 * stream that fails or ends is opened again with exponential backoff (or the server's retry-after);
 * coming back online retries at once.
 */
import { useEffect, useState } from "preact/hooks";
import { Code, ConnectError } from "@connectrpc/connect";
import type { BeholderClient } from "../src/client/browser.js";
import { WatchEventKind, type Diagnosis, type WatchPolling } from "../gen/beholder/v1/diagnosis_pb.js";
import { describeError } from "./errors.js";
import { dateOf } from "./format.js";

export interface TrafficSample {
  at: number;
  downloadBps: number;
  uploadBps: number;
}

export type Connection =
  | { state: "connecting" }
  | { state: "live"; since: number }
  | { state: "reconnecting"; attempt: number; retryAt: number; why: string }
  | { state: "failed"; why: string };

export interface WatchView {
  diagnosis: Diagnosis | undefined;
  polling: WatchPolling | undefined;
  /** Field path (e.g. "onu.status") → when it last changed (ms since the epoch). */
  changed: Record<string, number>;
  /** The newest changes, for the live region ("estado de la ONU, veredicto"). */
  lastChange: { at: number; fields: string[] } | undefined;
  lastMessageAt: number | undefined;
  traffic: TrafficSample[];
  connection: Connection;
}

const MAX_SAMPLES = 90;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

/** 1 s, 2 s, 4 s … 30 s, with up to 20% jitter so many tabs do not reconnect in step. */
export function backoffMs(attempt: number, random: number = Math.random()): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + 0.2 * random));
}

const INITIAL: WatchView = {
  diagnosis: undefined,
  polling: undefined,
  changed: {},
  lastChange: undefined,
  lastMessageAt: undefined,
  traffic: [],
  connection: { state: "connecting" },
};

export function useWatch(client: BeholderClient, user: string, onAuthError: (why: string) => void): WatchView {
  const [view, setView] = useState<WatchView>(INITIAL);

  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    setView(INITIAL);

    const run = async (): Promise<void> => {
      let attempt = 0;
      while (!signal.aborted) {
        let why = "el servidor cerró la transmisión";
        let waitMs: number | undefined;
        try {
          const stream = client.diagnosis.watchDiagnosis({ pppoeUser: user, includeTraffic: true }, { signal });
          for await (const m of stream) {
            attempt = 0;
            const now = Date.now();
            setView((v) => {
              const next: WatchView = { ...v, polling: m.polling ?? v.polling, lastMessageAt: now, connection: v.connection.state === "live" ? v.connection : { state: "live", since: now } };
              if (m.kind === WatchEventKind.HEARTBEAT || !m.diagnosis) return next;
              const d = m.diagnosis;
              next.diagnosis = d;
              if (d.traffic) {
                const at = dateOf(d.traffic.measuredAt)?.getTime() ?? now;
                const last = v.traffic[v.traffic.length - 1];
                if (!last || last.at !== at) {
                  next.traffic = [...v.traffic, { at, downloadBps: Number(d.traffic.downloadBps), uploadBps: Number(d.traffic.uploadBps) }].slice(-MAX_SAMPLES);
                }
              }
              // Traffic changes every sample: the chart shows it, no highlight.
              const fields = m.changedFields.filter((f) => f !== "traffic" && !f.startsWith("traffic."));
              if (m.kind === WatchEventKind.UPDATE && fields.length > 0) {
                next.changed = { ...v.changed, ...Object.fromEntries(fields.map((f) => [f, now])) };
                next.lastChange = { at: now, fields };
              }
              return next;
            });
          }
        } catch (err) {
          if (signal.aborted) return;
          const e = ConnectError.from(err);
          const described = describeError(e);
          if (described.signOut) return onAuthError(described.message);
          if (e.code === Code.NotFound || e.code === Code.InvalidArgument) {
            setView((v) => ({ ...v, connection: { state: "failed", why: described.message } }));
            return;
          }
          why = described.message;
          if (described.retryAfterS !== undefined) waitMs = described.retryAfterS * 1000;
        }
        if (signal.aborted) return;
        attempt++;
        const delay = waitMs ?? backoffMs(attempt);
        setView((v) => ({ ...v, connection: { state: "reconnecting", attempt, retryAt: Date.now() + delay, why } }));
        await pause(delay, signal);
      }
    };
    void run();
    return () => abort.abort();
  }, [client, user]);

  return view;
}

/** Waits `ms`, or less: the browser coming back online retries at once. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      removeEventListener("online", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    addEventListener("online", done);
    signal.addEventListener("abort", done);
  });
}
