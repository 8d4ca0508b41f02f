import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Diagnosis } from "../../../gen/beholder/v1/diagnosis_pb.js";

/**
 * What an agent watching a customer would notice, as field paths of Diagnosis, each with the value
 * it is compared on. Deliberately not everything: `generated_at`, `took`, a session's uptime and
 * each source's `as_of` move on every rebuild and would turn every poll into an UPDATE.
 */
const OBSERVED: ReadonlyArray<readonly [string, (d: Diagnosis) => unknown]> = [
  ["customer.status", (d) => d.customer?.status],
  ["customer.debt", (d) => d.customer?.debt?.amount],
  ["customer.due_debt", (d) => d.customer?.dueDebt?.amount],
  ["onu.status", (d) => d.onu?.status],
  ["onu.last_status_change", (d) => ms(d.onu?.lastStatusChange)],
  ["onu.admin_enabled", (d) => d.onu?.adminEnabled],
  ["onu.rx_power_dbm", (d) => d.onu?.rxPowerDbm],
  ["onu.olt_rx_power_dbm", (d) => d.onu?.oltRxPowerDbm],
  ["onu.signal_category", (d) => d.onu?.signalCategory],
  // Up, down, or a new session (another id, address or MAC). Not the uptime, nor started_at, which
  // is computed from it and moves by rounding with every rebuild.
  ["session", (d) => (d.session ? `${d.session.sessionId}|${d.session.address}|${d.session.callerId}` : null)],
  ["secret.disabled", (d) => d.secret?.disabled],
  ["secret.last_logged_out", (d) => ms(d.secret?.lastLoggedOut)],
  ["secret.last_disconnect_reason", (d) => d.secret?.lastDisconnectReason],
  ["verdict.action", (d) => d.verdict?.action],
  ["verdict.rule_id", (d) => d.verdict?.ruleId],
  ["verdict.confidence", (d) => d.verdict?.confidence],
  ["findings", (d) => d.findings.map((f) => `${f.ruleId}:${f.severity}`).join(",")],
  ["incident", (d) => (d.incident ? `${d.incident.id}|${d.incident.kind}|${d.incident.onusAffected}` : null)],
  ["sources", (d) => d.sources.map((s) => `${s.source}:${s.freshness}:${s.reason}`).join(",")],
  ["traffic", (d) => (d.traffic ? `${d.traffic.downloadBps}|${d.traffic.uploadBps}|${ms(d.traffic.measuredAt) ?? ""}` : null)],
];

/** The observed field paths whose values differ between two diagnoses of the same subscriber. */
export function changedFields(before: Diagnosis, after: Diagnosis): string[] {
  return OBSERVED.filter(([, read]) => read(before) !== read(after)).map(([path]) => path);
}

/** Every field path changedFields may report. */
export const OBSERVED_FIELDS: readonly string[] = OBSERVED.map(([path]) => path);

function ms(t: Parameters<typeof timestampMs>[0] | undefined): number | undefined {
  return t ? timestampMs(t) : undefined;
}
