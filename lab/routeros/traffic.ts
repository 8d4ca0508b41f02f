import type { RouterProfile, RouterWorld } from "../scenario/types.js";
import { parseRatePair } from "./format.js";

/** Bits per second and byte counters of one PPPoE session, from the subscriber's side. */
export interface SessionTraffic {
  uploadBps: number;
  downloadBps: number;
  uploadBytes: number;
  downloadBytes: number;
  /** Profile rate-limit, when the profile has one. */
  limit?: { upload: number; download: number };
}

export interface TrafficMeter {
  /** Rates and counters for an active session now; undefined when `name` has no session. */
  read(router: RouterWorld, name: string, now: Date): SessionTraffic | undefined;
}

/** The profile a session runs under: its secret's profile, else `default` (§3.3). */
export function sessionProfile(router: RouterWorld, name: string): RouterProfile | undefined {
  const secret = router.secrets.find((s) => s.name === name);
  const profileName = secret?.profile ?? "default";
  return router.profiles.find((p) => p.name === profileName);
}

/**
 * Integrates `router.traffic` over the lab clock so counters only grow even when the control API
 * changes a rate mid-run. A session's counters start as if its current rate had held since it came
 * up, and restart when the session's `since` changes (a reconnect). Rates are capped by the profile's
 * rate-limit, as the dynamic queue would shape them.
 */
export function createTrafficMeter(): TrafficMeter {
  const state = new Map<string, { since: string; at: number; up: number; down: number }>();
  return {
    read(router, name, now) {
      const session = router.active.find((s) => s.name === name);
      if (!session) return undefined;
      const t = router.traffic.find((x) => x.name === name);
      const limit = parseRatePair(sessionProfile(router, name)?.rateLimit);
      const cap = (bps: number, max: number | undefined): number => (max && max > 0 ? Math.min(bps, max) : bps);
      const uploadBps = cap(t?.uploadBps ?? 0, limit?.upload);
      const downloadBps = cap(t?.downloadBps ?? 0, limit?.download);
      const key = `${router.name} ${name}`;
      const nowMs = now.getTime();
      let s = state.get(key);
      if (!s || s.since !== session.since) {
        s = { since: session.since, at: Date.parse(session.since), up: 0, down: 0 };
        state.set(key, s);
      }
      const dt = Math.max(0, nowMs - s.at) / 1000;
      s.up += (uploadBps / 8) * dt;
      s.down += (downloadBps / 8) * dt;
      s.at = Math.max(s.at, nowMs);
      const out: SessionTraffic = {
        uploadBps,
        downloadBps,
        uploadBytes: Math.floor(s.up),
        downloadBytes: Math.floor(s.down),
      };
      if (limit) out.limit = limit;
      return out;
    },
  };
}
