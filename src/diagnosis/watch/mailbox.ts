import type { WatchUpdate } from "./types.js";

/**
 * One watcher's pending update. A slow reader never makes it grow: a newer diagnosis replaces the
 * waiting one and the changed fields add up, so the reader still learns everything that changed.
 */
export interface Mailbox {
  push(update: WatchUpdate): void;
  /** The next update, or undefined once `signal` aborts or the mailbox is closed. */
  next(signal: AbortSignal): Promise<WatchUpdate | undefined>;
  close(): void;
}

export function createMailbox(): Mailbox {
  let pending: WatchUpdate | undefined;
  let wake: (() => void) | undefined;
  let closed = false;
  return {
    push(update) {
      if (closed) return;
      if (pending) {
        const fields = [...pending.changedFields];
        for (const f of update.changedFields) if (!fields.includes(f)) fields.push(f);
        pending = { diagnosis: update.diagnosis, changedFields: fields };
      } else {
        pending = update;
      }
      wake?.();
    },
    async next(signal) {
      while (!pending && !closed && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            signal.removeEventListener("abort", done);
            wake = undefined;
            resolve();
          };
          wake = done;
          signal.addEventListener("abort", done, { once: true });
        });
      }
      if (closed || signal.aborted) return undefined;
      const out = pending;
      pending = undefined;
      return out;
    },
    close() {
      closed = true;
      wake?.();
    },
  };
}
