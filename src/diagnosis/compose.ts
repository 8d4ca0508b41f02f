import type { Config } from "../config.js";
import { createDiagnosisReads } from "../cache/diagnosis-reads.js";
import type { Orm } from "../cache/orm.js";
import type { Vendors } from "../vendors/index.js";
import { createDiagnosisEngine, type DiagnosisEngine } from "./engine.js";
import { findIncidentFor, incidentsOf } from "./outage/correlate.js";
import { createOnuReader } from "./probes/smartolt.js";
import { createRouterLogs } from "./probes/router-logs.js";

/** How long one read of a router's log serves the diagnoses on that router (flapping counts in minutes). */
const ROUTER_LOG_TTL_MS = 5000;
import type { TriageRules } from "./rules.js";
import type { TriageOptions } from "./thresholds.js";
import { triage } from "./triage/triage.js";

/** The pure rules with the configured thresholds. */
export function createTriageRules(options: TriageOptions): TriageRules {
  return {
    triage: (facts) => triage(facts, options),
    incidentFor: (rows, externalId, asOf) => findIncidentFor(incidentsOf({ rows, asOf }, options.thresholds), externalId),
    incidents: (snapshot) => incidentsOf(snapshot, options.thresholds),
  };
}

/** The engine as the app builds it: the cache's reads, the configured vendors, the rules. */
export function createDiagnosisForApp(d: { config: Config; orm: Orm; vendors: Vendors; now?: () => Date; loopDelayMs?: () => number }): DiagnosisEngine {
  const now = d.now ?? ((): Date => new Date());
  const { diagnosis, triage: options } = d.config;
  const smartolt = d.config.vendors.smartolt;
  const onuReader =
    d.vendors.smartolt && smartolt
      ? createOnuReader(d.vendors.smartolt, {
          liveAfterMs: diagnosis.smartoltLiveAfterMs,
          reserveCalls: diagnosis.smartoltSyncReserveCalls,
          // As many two-call reads as SmartOLT's pace lets finish within the SmartOLT budget.
          maxInFlight: Math.max(1, Math.floor((smartolt.callsPerSecond * diagnosis.smartoltBudgetMs) / 1000 / 2)),
          attemptsPerCall: 1 + d.config.resilience.retries,
          now,
        })
      : undefined;
  return createDiagnosisEngine({
    reads: createDiagnosisReads(d.orm),
    vendors: d.vendors,
    onuReader,
    config: diagnosis,
    now,
    rules: createTriageRules(options),
    ...(diagnosis.routerLogs ? { routerLogs: createRouterLogs(ROUTER_LOG_TTL_MS) } : {}),
    ...(d.loopDelayMs ? { loopDelayMs: d.loopDelayMs } : {}),
    historyLookbackMs: options.thresholds.rxMedianLookbackS * 1000,
  });
}
