import { WatchEventKind, type WatchDiagnosisResponse } from "../../gen/beholder/v1/diagnosis_pb.js";

/** One open WatchDiagnosis stream read in the background, so a test can wait for what it expects. */
export interface Watching {
  messages: WatchDiagnosisResponse[];
  /** The first message after `from` (an index into messages) matching `pred`; rejects after `timeoutMs`. */
  waitFor(pred: (m: WatchDiagnosisResponse) => boolean, timeoutMs: number, from?: number): Promise<WatchDiagnosisResponse>;
  /** Resolves when the stream ended: undefined for OK, else the error. */
  ended: Promise<unknown>;
  cancel(): void;
}

export function watchInBackground(open: (signal: AbortSignal) => AsyncIterable<WatchDiagnosisResponse>): Watching {
  const ac = new AbortController();
  const messages: WatchDiagnosisResponse[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    try {
      for await (const m of open(ac.signal)) {
        messages.push(m);
        for (const w of [...waiters]) w();
      }
      return undefined;
    } catch (err) {
      return err;
    } finally {
      for (const w of [...waiters]) w();
    }
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    messages,
    ended,
    cancel: () => ac.abort(),
    waitFor(pred, timeoutMs, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = messages.slice(from).find(pred);
          if (hit) {
            finish();
            resolve(hit);
          } else if (done) {
            finish();
            reject(new Error(`the stream ended without the awaited message (${describe(messages)})`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no awaited message within ${timeoutMs} ms (${describe(messages)})`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function describe(messages: WatchDiagnosisResponse[]): string {
  return `got ${messages.map((m) => `${WatchEventKind[m.kind]}[${m.changedFields.join(",")}]`).join(" ") || "nothing"}`;
}

export const isUpdate = (field: string) => (m: WatchDiagnosisResponse): boolean =>
  m.kind === WatchEventKind.UPDATE && m.changedFields.includes(field);

/** Resolves once `pred` holds (polled every 25 ms); rejects after `timeoutMs`. */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs: number, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A call to the lab's control API (POST unless told); throws on a non-2xx answer. */
export async function control(baseUrl: string, path: string, body: unknown = {}, method = "POST"): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

export async function counters(baseUrl: string): Promise<Record<"smartolt" | "ispcube" | "routeros", Record<string, number>>> {
  return (await (await fetch(`${baseUrl}/counters`)).json()) as Record<"smartolt" | "ispcube" | "routeros", Record<string, number>>;
}
