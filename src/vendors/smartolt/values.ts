import type { OnuStatus } from "../../domain/types.js";

/**
 * Scalar normalisers for SmartOLT's wire values (shared/vendors/smartolt.md §4, §5.1): numbers arrive
 * as strings, empty strings stand for "none", optical levels carry a ` dBm` suffix or are `"-"`.
 * Lenient on purpose: one odd field must not cost a whole page of ONUs.
 */

/** `"-24.95 dBm"` → -24.95; `"-"`, `""`, null or anything unreadable → null. */
export function parseDbm(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string") return null;
  const s = v.trim().replace(/\s*dBm$/i, "");
  return /^[-+]?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

/** `"2"` → 2; `""` (board/port of an ONU saved for later), null or non-integers → null. */
export function parseIntOrNull(v: unknown): number | null {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : null;
  if (typeof v !== "string") return null;
  const s = v.trim();
  return /^-?\d{1,15}$/.test(s) ? Number(s) : null;
}

/** A count that may be a number or a numeric string; 0 when absent. */
export function parseCount(v: unknown): number {
  return parseIntOrNull(v) ?? 0;
}

/** Metres, as `"1447"`, `1447` or `"1447m"`; null when unknown. */
export function parseDistanceM(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string") return null;
  const m = /^(\d+(?:\.\d+)?)\s*m?$/i.exec(v.trim());
  return m ? Number(m[1]) : null;
}

/** Trimmed text, or null for null, `""` and non-scalars. Numbers become their decimal string. */
export function textOrNull(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") return null;
  const s = v.trim();
  return s === "" ? null : s;
}

export function text(v: unknown): string {
  return textOrNull(v) ?? "";
}

// §2.2, §5.8: the API's values are "Online", "Offline", "Power fail", "LOS" and "Admin Disabled"; the
// UI spells some differently ("Power Fail"), so case and spacing are not trusted.
const STATUSES: Readonly<Record<string, OnuStatus>> = {
  online: "online",
  offline: "offline",
  "power fail": "power_fail",
  powerfail: "power_fail",
  pwrfail: "power_fail",
  los: "los",
  "admin disabled": "admin_disabled",
};

export function parseOnuStatus(v: unknown): OnuStatus {
  if (typeof v !== "string") return "unknown";
  return STATUSES[v.trim().toLowerCase().replace(/\s+/g, " ")] ?? "unknown";
}

/** `"Enabled"` / `"Disabled"` (§4); without the field, an ONU counts as enabled unless its status says otherwise. */
export function parseAdminEnabled(v: unknown, status: OnuStatus): boolean {
  const s = textOrNull(v)?.toLowerCase();
  if (s === "enabled") return true;
  if (s === "disabled") return false;
  return status !== "admin_disabled";
}

/** §2.2 `signal`: "Very good", "Warning", "Critical" or "-" (no reading). */
export function signalCategory(v: unknown): string {
  return textOrNull(v) ?? "-";
}

/** The ONU's VLANs: its main `vlan`, then each service port's, without repeats. */
export function collectVlans(main: unknown, servicePorts: unknown): number[] {
  const out: number[] = [];
  const add = (v: unknown): void => {
    const n = parseIntOrNull(v);
    if (n !== null && n > 0 && !out.includes(n)) out.push(n);
  };
  add(main);
  if (Array.isArray(servicePorts)) {
    for (const sp of servicePorts) if (typeof sp === "object" && sp !== null) add((sp as { vlan?: unknown }).vlan);
  }
  return out;
}
