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
  /**
   * The same readings for many sessions at one instant (a whole table, a sum over every session):
   * the router's lists are indexed once for the returned function instead of searched per row, which
   * made a `/queue/simple/print` of a 3,400-session router quadratic and froze the lab for seconds
   * under load. The lists must not change while it is in use.
   */
  readAll(router: RouterWorld, now: Date): (name: string) => SessionTraffic | undefined;
}

/** The first element of `list` for each key, as `list.find` would return it. */
function firstBy<T>(list: readonly T[], key: (x: T) => string | undefined): Map<string, T> {
  const out = new Map<string, T>();
  for (const x of list) {
    const k = key(x);
    if (k !== undefined && !out.has(k)) out.set(k, x);
  }
  return out;
}

interface Lookup {
  session(name: string): { since: string } | undefined;
  traffic(name: string): { uploadBps?: number; downloadBps?: number } | undefined;
  profile(name: string): RouterProfile | undefined;
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
  const reading = (router: RouterWorld, name: string, now: Date, l: Lookup): SessionTraffic | undefined => {
    const session = l.session(name);
    if (!session) return undefined;
    const t = l.traffic(name);
    const limit = parseRatePair(l.profile(name)?.rateLimit);
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
  };
  return {
    read(router, name, now) {
      return reading(router, name, now, {
        session: (n) => router.active.find((s) => s.name === n),
        traffic: (n) => router.traffic.find((x) => x.name === n),
        profile: (n) => sessionProfile(router, n),
      });
    },
    readAll(router, now) {
      const sessions = firstBy(router.active, (s) => s.name);
      const traffic = firstBy(router.traffic, (x) => x.name);
      const secrets = firstBy(router.secrets, (s) => s.name);
      const profiles = firstBy(router.profiles, (p) => p.name);
      const lookup: Lookup = {
        session: (n) => sessions.get(n),
        traffic: (n) => traffic.get(n),
        profile: (n) => profiles.get(secrets.get(n)?.profile ?? "default"),
      };
      return (name) => reading(router, name, now, lookup);
    },
  };
}
