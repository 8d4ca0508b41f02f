/**
 * The optical bands the levels are drawn against (shared/triage.md §1, ITU-T G.984.2 class B+). These
 * are Beholder's defaults (TRIAGE_ONU_RX_* / TRIAGE_OLT_RX_*); when a finding reports a threshold it
 * was judged against, that value wins, so a deployment that moved them shows its own.
 */
import type { Finding } from "../gen/beholder/v1/diagnosis_pb.js";

export interface Band {
  overload: number;
  warning: number;
  critical: number;
  /** Below this the link has failed (ONU side only). */
  failed: number | undefined;
}

export type Level = "overload" | "good" | "warning" | "critical" | "failed";

const ONU_RX: Band = { overload: -8, warning: -25, critical: -27, failed: -28 };
const OLT_RX: Band = { overload: -8, warning: -27, critical: -28, failed: undefined };

export function bandsFrom(findings: readonly Finding[]): { onuRx: Band; oltRx: Band } {
  const reported = new Map<string, number>();
  for (const f of findings) for (const t of f.thresholds) reported.set(t.name, t.value);
  const pick = (name: string, fallback: number): number => reported.get(name) ?? fallback;
  return {
    onuRx: {
      overload: pick("onu_rx_overload_dbm", ONU_RX.overload),
      warning: pick("onu_rx_warning_dbm", ONU_RX.warning),
      critical: pick("onu_rx_critical_dbm", ONU_RX.critical),
      failed: pick("onu_rx_failed_dbm", ONU_RX.failed as number),
    },
    oltRx: {
      overload: pick("olt_rx_overload_dbm", OLT_RX.overload),
      warning: pick("olt_rx_warning_dbm", OLT_RX.warning),
      critical: pick("olt_rx_critical_dbm", OLT_RX.critical),
      failed: undefined,
    },
  };
}

export function levelOf(v: number, band: Band): Level {
  if (v > band.overload) return "overload";
  if (v >= band.warning) return "good";
  if (v >= band.critical) return "warning";
  if (band.failed === undefined || v >= band.failed) return "critical";
  return "failed";
}

export const LEVEL_LABEL: Record<Level, string> = {
  overload: "saturado (demasiada luz)",
  good: "bueno",
  warning: "margen bajo",
  critical: "crítico",
  failed: "sin enlace",
};
