/**
 * `createBeholderClient(url, key)` for Node (bots, the beholder CLI): Connect over HTTP/1.1 by
 * default, or HTTP/2 (h2c on http://) when asked; gRPC when asked.
 */
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import type { Interceptor } from "@connectrpc/connect";
import { apiKeyInterceptor, baseUrlOf, createBeholderClientFor, type BeholderClient } from "./client.js";

export { API_KEY_HEADER, apiKeyInterceptor, createBeholderClientFor, type BeholderClient } from "./client.js";

export interface NodeClientOptions {
  /** "connect" (the default; JSON with `json: true`) or "grpc" (needs HTTP/2). */
  protocol?: "connect" | "grpc";
  /** "1.1" (the default for Connect) or "2". */
  httpVersion?: "1.1" | "2";
  /** Send JSON instead of binary protobuf (Connect only): easier to read in a proxy's log. */
  json?: boolean;
  /** More interceptors, after the key's. */
  interceptors?: Interceptor[];
  /** Per-call deadline in ms when the call gives none. */
  defaultTimeoutMs?: number;
  /** Certificates to trust for https:// besides the system's (a self-signed server's PEM). */
  ca?: string | Buffer;
}

/**
 * A client for the Beholder server at `url` (e.g. http://127.0.0.1:8500) sending `key` on every call.
 * Pass `undefined` as the key for the public calls only (health).
 */
export function createBeholderClient(url: string, key: string | undefined, options: NodeClientOptions = {}): BeholderClient {
  const baseUrl = baseUrlOf(url);
  const interceptors = [...(key ? [apiKeyInterceptor(key)] : []), ...(options.interceptors ?? [])];
  const common = {
    baseUrl,
    interceptors,
    ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
    ...(options.ca ? { nodeOptions: { ca: options.ca } } : {}),
  };
  const transport =
    options.protocol === "grpc"
      ? createGrpcTransport(common)
      : createConnectTransport({ ...common, httpVersion: options.httpVersion ?? "1.1", useBinaryFormat: !options.json });
  return createBeholderClientFor(transport);
}
