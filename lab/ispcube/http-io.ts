import type { IncomingMessage, ServerResponse } from "node:http";

/** What a route answers; the server turns it into bytes. */
export type Reply =
  | { status: number; json: unknown }
  /** A large bare JSON array, serialised row by row instead of as one string. */
  | { status: number; rows: Iterable<unknown> }
  | { status: number; text: string; contentType: string };

/** Laravel's JSON responses carry these (shared/vendors/ispcube.md §3.1). */
const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-cache, private" };
const CHUNK_CHARS = 256 * 1024;
const MAX_BODY_BYTES = 64 * 1024;

export function json(status: number, body: unknown): Reply {
  return { status, json: body };
}

/** Renders rows lazily, so a streamed list never holds every rendered row at once. */
export function* mapRows<T, U>(items: Iterable<T>, render: (item: T) => U): Generator<U> {
  for (const item of items) yield render(item);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The whole body as one buffer, for faults that need to cut a response at a byte offset. */
export function replyBytes(reply: Reply): { status: number; headers: Record<string, string>; body: Buffer } {
  if ("text" in reply) {
    return { status: reply.status, headers: { "content-type": reply.contentType }, body: Buffer.from(reply.text) };
  }
  const text = "json" in reply ? JSON.stringify(reply.json) : `[${Array.from(reply.rows, (r) => JSON.stringify(r)).join(",")}]`;
  return { status: reply.status, headers: JSON_HEADERS, body: Buffer.from(text) };
}

export async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  if (!("rows" in reply)) {
    const { status, headers, body } = replyBytes(reply);
    res.writeHead(status, { ...headers, "content-length": String(body.length) });
    res.end(body);
    return;
  }
  // 100,000 connections make a ~100 MB body: build it in chunks and honour backpressure rather
  // than holding one giant string (shared/vendors/ispcube.md §3.3: S14 needed a 60 s timeout).
  res.writeHead(reply.status, JSON_HEADERS);
  let buffer = "[";
  let first = true;
  for (const row of reply.rows) {
    buffer += first ? JSON.stringify(row) : `,${JSON.stringify(row)}`;
    first = false;
    if (buffer.length >= CHUNK_CHARS) {
      if (res.destroyed) return;
      const flushed = res.write(buffer);
      buffer = "";
      if (!flushed) await drained(res);
    }
  }
  if (!res.destroyed) res.end(`${buffer}]`);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
