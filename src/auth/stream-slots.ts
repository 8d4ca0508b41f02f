import type { Config } from "../config.js";

/** Which limit refused a stream. */
export type StreamRefusal = "key" | "address" | "total";

/**
 * Caps on streaming calls open at once (watches of every kind, keyed or public): per key, per client
 * address and in total. A stream holds memory and a listener for as long as the client likes, so the
 * cap is on what is open, not on how often it is opened.
 */
export interface StreamSlots {
  /** A release for the new stream (idempotent), or which cap refused it. */
  acquireStream(owner: { key: string | undefined; ip: string }): (() => void) | StreamRefusal;
}

export function createStreamSlots(config: Config["rateLimit"]): StreamSlots {
  const perKey = new Map<string, number>();
  const perIp = new Map<string, number>();
  let total = 0;
  const bump = (map: Map<string, number>, id: string, by: number): void => {
    const n = (map.get(id) ?? 0) + by;
    if (n <= 0) map.delete(id);
    else map.set(id, n);
  };
  return {
    acquireStream({ key, ip }) {
      if (total >= config.watchStreamsTotal) return "total";
      if (key !== undefined && (perKey.get(key) ?? 0) >= config.watchStreamsPerKey) return "key";
      if ((perIp.get(ip) ?? 0) >= config.watchStreamsPerIp) return "address";
      total++;
      if (key !== undefined) bump(perKey, key, 1);
      bump(perIp, ip, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        if (key !== undefined) bump(perKey, key, -1);
        bump(perIp, ip, -1);
      };
    },
  };
}
