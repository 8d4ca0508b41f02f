import type { Onu } from "../scenario/types.js";

/**
 * `onu/reboot/{ext}` takes the ONU through a plausible cycle in the world: it drops to Offline at once
 * and comes back Online after `REBOOT_MS` of lab time. The return is applied lazily (at the next
 * request) so that moving the lab clock completes a reboot without waiting.
 */
export interface RebootTracker {
  /** Start a reboot; false when the ONU cannot be reached (not Online), which SmartOLT answers with 400. */
  start(onu: Onu, nowMs: number): boolean;
  /** Bring back every ONU whose reboot has finished by `nowMs`. */
  settle(nowMs: number): void;
}

/** A typical GPON ONU boots and re-ranges in about a minute [I]. */
export const REBOOT_MS = 60_000;

export function createRebootTracker(): RebootTracker {
  const pending = new Map<Onu, { backAtMs: number; downAt: string }>();
  return {
    start(onu, nowMs) {
      if (onu.status !== "Online") return false;
      const downAt = new Date(nowMs).toISOString();
      onu.status = "Offline";
      onu.lastStatusChange = downAt;
      pending.set(onu, { backAtMs: nowMs + REBOOT_MS, downAt });
      return true;
    },
    settle(nowMs) {
      for (const [onu, p] of pending) {
        if (p.backAtMs > nowMs) continue;
        pending.delete(onu);
        // Leave the ONU alone if the control API changed it while it was rebooting.
        if (onu.status === "Offline" && onu.lastStatusChange === p.downAt) {
          onu.status = "Online";
          onu.lastStatusChange = new Date(p.backAtMs).toISOString();
        }
      }
    },
  };
}
