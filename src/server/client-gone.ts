import { Code, ConnectError } from "@connectrpc/connect";

/** Errors Node raises when the peer closes or resets a connection or stream mid-call. */
const GONE = new Set(["ERR_STREAM_PREMATURE_CLOSE", "ECONNRESET", "EPIPE", "ERR_HTTP2_STREAM_ERROR", "ERR_HTTP2_INVALID_STREAM", "ERR_STREAM_DESTROYED"]);

/** Whether this error only says that the client hung up (cancelled, closed the tab, reset the stream). */
export function isClientGone(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof ConnectError && e.code === Code.Canceled) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && GONE.has(code)) return true;
    if (e instanceof Error && e.message === "Premature close") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
