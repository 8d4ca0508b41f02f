/**
 * The agent's API key, for this browser tab only: sessionStorage (gone when the tab closes; never
 * localStorage, never the URL, never the bundle). Sent as x-api-key by the client's interceptor.
 */
import { createBeholderClient, type BeholderClient } from "../src/client/browser.js";

const STORAGE_KEY = "beholder.console.key";

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    // Storage disabled (private mode, policy): the key then lives in memory only.
    return undefined;
  }
}

export function storeKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // See storedKey.
  }
}

export function clearKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // See storedKey.
  }
}

/** The generated clients against the origin that served the page (same origin: no CORS). */
export function clientFor(key: string): BeholderClient {
  return createBeholderClient(location.origin, key);
}
