import { Worker } from "node:worker_threads";
import type { SearchHit } from "../domain/search.js";

export interface SearchPool {
  search(query: string, limit: number, offset: number): Promise<SearchHit[]>;
  /** Resolves when every worker's connection answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (hits: SearchHit[]) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

const BOOT = new URL("./search-worker-boot.mjs", import.meta.url);
// Compiled (npm run build) this module is .js and so is the worker; under tsx both are .ts.
const ENTRY = new URL(import.meta.url.endsWith(".ts") ? "./search-worker.ts" : "./search-worker.js", import.meta.url).href;

/**
 * Search on worker threads, each with its own read-only connection: better-sqlite3 is synchronous, so
 * queries run on the event loop otherwise, and a slow one would stall every other call. Requests go to
 * the worker with the fewest in flight; a worker that dies fails its requests and is replaced.
 */
export function createSearchPool(path: string, size: number): SearchPool {
  let nextId = 0;
  let closed = false;
  const slots: Slot[] = [];

  const spawn = (index: number): void => {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, path } });
    const slot: Slot = { worker, pending: new Map() };
    worker.on("message", (m: { id?: number; hits?: SearchHit[]; error?: string }) => {
      if (m.id === undefined) return;
      const p = slot.pending.get(m.id);
      slot.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.hits ?? []);
    });
    const fail = (err: Error): void => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      if (!closed && slots[index] === slot) spawn(index);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`search worker exited with code ${code}`)));
    slots[index] = slot;
  };
  for (let i = 0; i < size; i++) spawn(i);

  const ask = (slot: Slot, message: Record<string, unknown>): Promise<SearchHit[]> => {
    if (closed) return Promise.reject(new Error("search pool is closed"));
    const id = nextId++;
    return new Promise<SearchHit[]>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, ...message });
    });
  };

  return {
    search(query, limit, offset) {
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      return ask(slot, { query, limit, offset });
    },
    async ping() {
      await Promise.all(slots.map((slot) => ask(slot, { ping: true })));
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
