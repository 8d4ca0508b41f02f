import { connect } from "node:net";
import type { Socket } from "node:net";
import type { Sentence } from "./codec.js";
import { createSentenceDecoder, encodeSentence } from "./codec.js";

/**
 * A bare RouterOS API client on the lab's codec, for tests that assert exactly what is on the wire
 * (e.g. `!empty`, which node-routeros cannot read, §2.6). No tags are added for you.
 */
export interface RawRouterOsClient {
  send(words: readonly string[]): void;
  /** The next sentence received, waiting at most `timeoutMs`. */
  next(timeoutMs?: number): Promise<Sentence>;
  /** Sentences up to and including the first one whose reply word is `until` (default `!done`). */
  collect(until?: string, timeoutMs?: number): Promise<Sentence[]>;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  /** Every chunk's length as it arrived, to check how replies were split. */
  readonly chunkSizes: number[];
  close(): void;
}

export async function connectRawRouterOs(host: string, port: number): Promise<RawRouterOsClient> {
  const socket: Socket = connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const decoder = createSentenceDecoder();
  const queue: Sentence[] = [];
  const waiters: Array<(s: Sentence | undefined) => void> = [];
  const chunkSizes: number[] = [];
  let ended = false;
  const closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      ended = true;
      for (const w of waiters.splice(0)) w(undefined);
      resolve();
    }),
  );
  socket.on("error", () => {});
  socket.on("data", (chunk: Buffer) => {
    chunkSizes.push(chunk.length);
    for (const s of decoder.push(chunk)) {
      const w = waiters.shift();
      if (w) w(s);
      else queue.push(s);
    }
  });

  function next(timeoutMs = 2000): Promise<Sentence> {
    const ready = queue.shift();
    if (ready) return Promise.resolve(ready);
    if (ended) return Promise.reject(new Error("connection closed"));
    return new Promise<Sentence>((resolve, reject) => {
      const waiter = (s: Sentence | undefined): void => {
        clearTimeout(timer);
        if (s) resolve(s);
        else reject(new Error("connection closed"));
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no sentence within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  }

  return {
    send: (words) => socket.write(encodeSentence(words)),
    next,
    async collect(until = "!done", timeoutMs = 2000) {
      const out: Sentence[] = [];
      for (;;) {
        const s = await next(timeoutMs);
        out.push(s);
        if (s[0] === until) return out;
      }
    },
    closed,
    chunkSizes,
    close: () => socket.destroy(),
  };
}
