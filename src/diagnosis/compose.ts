import type { Config } from "../config.js";
import { createDiagnosisReads } from "../cache/diagnosis-reads.js";
import type { Orm } from "../cache/orm.js";
import type { Vendors } from "../vendors/index.js";
import { createDiagnosisEngine, type DiagnosisEngine } from "./engine.js";
import { PENDING_RULES } from "./pending-rules.js";
import { createOnuReader } from "./probes/smartolt.js";

const WEEK_MS = 7 * 86_400_000;

/** The engine as the app builds it: the cache's reads, the configured vendors, the rules. */
export function createDiagnosisForApp(d: { config: Config; orm: Orm; vendors: Vendors; now?: () => Date }): DiagnosisEngine {
  const now = d.now ?? ((): Date => new Date());
  const { diagnosis } = d.config;
  const onuReader = d.vendors.smartolt
    ? createOnuReader(d.vendors.smartolt, { liveAfterMs: diagnosis.smartoltLiveAfterMs, reserveCalls: diagnosis.smartoltSyncReserveCalls, now })
    : undefined;
  return createDiagnosisEngine({
    reads: createDiagnosisReads(d.orm),
    vendors: d.vendors,
    onuReader,
    config: diagnosis,
    now,
    rules: PENDING_RULES,
    historyLookbackMs: WEEK_MS,
  });
}
