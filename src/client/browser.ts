/**
 * `createBeholderClient(url, key)` for browsers (the front end): Connect over fetch. The server's
 * CORS settings (`CORS_ORIGINS`) must allow the page's origin; the key header is allowed.
 */
import { createConnectTransport } from "@connectrpc/connect-web";
import type { Interceptor } from "@connectrpc/connect";
import { apiKeyInterceptor, baseUrlOf, createBeholderClientFor, type BeholderClient } from "./client.js";

export { API_KEY_HEADER, apiKeyInterceptor, createBeholderClientFor, type BeholderClient } from "./client.js";

export interface BrowserClientOptions {
  /** Send JSON instead of binary protobuf: readable in the browser's network tab. */
  json?: boolean;
  interceptors?: Interceptor[];
  /** Read-only RPCs go as GET requests, which browsers and proxies may cache. */
  useHttpGet?: boolean;
}

export function createBeholderClient(url: string, key: string | undefined, options: BrowserClientOptions = {}): BeholderClient {
  const transport = createConnectTransport({
    baseUrl: baseUrlOf(url),
    interceptors: [...(key ? [apiKeyInterceptor(key)] : []), ...(options.interceptors ?? [])],
    useBinaryFormat: !options.json,
    useHttpGet: options.useHttpGet ?? false,
  });
  return createBeholderClientFor(transport);
}
