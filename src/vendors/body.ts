/**
 * The largest vendor answer Beholder reads. SmartOLT's bulk status export for 100k ONUs is about
 * 10 MB; anything far past that is a broken or hostile upstream, and reading it whole would cost the
 * process its memory.
 */
export const MAX_VENDOR_BODY_BYTES = 64 * 1024 * 1024;

/** A body over the cap; the caller turns it into its vendor's `bad_response`. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`answer larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** `res.text()` with a cap: stops reading (and cancels the body) at `limit` bytes. */
export async function readText(res: Response, limit: number = MAX_VENDOR_BODY_BYTES): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit);
  }
  if (!res.body) return "";
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > limit) {
      await res.body.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join("");
}
