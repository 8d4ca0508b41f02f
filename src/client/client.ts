/**
 * The generated Beholder services behind one object, with the API key on every call. This file is
 * browser-safe (it imports only @connectrpc/connect and gen/): pick a transport in node.ts or
 * browser.ts, or bring your own to createBeholderClientFor.
 */
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { KeyService } from "../../gen/beholder/v1/keys_pb.js";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";

/** One typed client per service, sharing a transport and a key. */
export interface BeholderClient {
  diagnosis: Client<typeof DiagnosisService>;
  search: Client<typeof SearchService>;
  sync: Client<typeof SyncService>;
  keys: Client<typeof KeyService>;
  /** grpc.health.v1: needs no key. */
  health: Client<typeof Health>;
}

/** The header the server reads the key from (it also accepts `authorization: Bearer <key>`). */
export const API_KEY_HEADER = "x-api-key";

/** Adds the key to every request, unless the call already sets one (a per-call override). */
export function apiKeyInterceptor(key: string): Interceptor {
  return (next) => async (req) => {
    if (!req.header.has(API_KEY_HEADER) && !req.header.has("authorization")) req.header.set(API_KEY_HEADER, key);
    return next(req);
  };
}

/** The services over a transport the caller built (give it apiKeyInterceptor(key) when it needs a key). */
export function createBeholderClientFor(transport: Transport): BeholderClient {
  return {
    diagnosis: createClient(DiagnosisService, transport),
    search: createClient(SearchService, transport),
    sync: createClient(SyncService, transport),
    keys: createClient(KeyService, transport),
    health: createClient(Health, transport),
  };
}

/** A base URL the transports accept: no trailing slash, http(s) only. */
export function baseUrlOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a URL: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError(`not an http(s) URL: ${url}`);
  return parsed.href.replace(/\/+$/, "");
}
