import type { Rule } from "../rule.js";
import { freshnessUnavailable } from "./freshness-unavailable.js";
import { freshnessStale } from "./freshness-stale.js";
import { incidentAreaPower, incidentPartialLos, incidentPonDown } from "./incident.js";
import { disconnectBurst } from "./disconnect-burst.js";
import { billingBlocked } from "./billing-blocked.js";
import { billingNoService } from "./billing-no-service.js";
import { billingOnuAdminDisabled } from "./billing-onu-admin-disabled.js";
import { billingSecretDisabled } from "./billing-secret-disabled.js";
import { mismatchBlockedWithSession } from "./mismatch-blocked-with-session.js";
import { mismatchEnabledSecretDisabled } from "./mismatch-enabled-secret-disabled.js";
import { mismatchOnuDisabledAccountEnabled } from "./mismatch-onu-disabled-account-enabled.js";
import { onuPowerFail } from "./onu-power-fail.js";
import { onuLos } from "./onu-los.js";
import { onuOffline } from "./onu-offline.js";
import { onuUnstable } from "./onu-unstable.js";
import { linkOnuMissing } from "./link-onu-missing.js";
import { linkUnlinked } from "./link-unlinked.js";
import { opticalRxCritical } from "./optical-rx-critical.js";
import { opticalRxWarning } from "./optical-rx-warning.js";
import { opticalOverload } from "./optical-overload.js";
import { opticalOltRxCritical } from "./optical-olt-rx-critical.js";
import { opticalOltRxWarning } from "./optical-olt-rx-warning.js";
import { opticalDropVsMedian } from "./optical-drop-vs-median.js";
import { opticalWorseThanOdbPeers } from "./optical-worse-than-odb-peers.js";
import { opticalOdbLow } from "./optical-odb-low.js";
import { opticalPonDegrading } from "./optical-pon-degrading.js";
import { pppoeSecretMissing } from "./pppoe-secret-missing.js";
import { pppoeNoSession } from "./pppoe-no-session.js";
import { pppoeNewCallerId } from "./pppoe-new-caller-id.js";
import { pppoeFlapping } from "./pppoe-flapping.js";
import { queueSaturated } from "./queue-saturated.js";
import { queueNearLimit } from "./queue-near-limit.js";

/** Every rule, in the order of triage.md §6 (findings are listed in this order). */
export const RULES: readonly Rule[] = [
  freshnessUnavailable,
  freshnessStale,
  incidentPonDown,
  incidentPartialLos,
  incidentAreaPower,
  disconnectBurst,
  billingBlocked,
  billingNoService,
  billingOnuAdminDisabled,
  billingSecretDisabled,
  mismatchBlockedWithSession,
  mismatchEnabledSecretDisabled,
  mismatchOnuDisabledAccountEnabled,
  onuPowerFail,
  onuLos,
  onuOffline,
  linkOnuMissing,
  linkUnlinked,
  opticalRxCritical,
  opticalOltRxCritical,
  opticalOverload,
  opticalDropVsMedian,
  opticalWorseThanOdbPeers,
  opticalOdbLow,
  opticalPonDegrading,
  opticalRxWarning,
  opticalOltRxWarning,
  pppoeSecretMissing,
  pppoeNoSession,
  pppoeNewCallerId,
  pppoeFlapping,
  onuUnstable,
  queueSaturated,
  queueNearLimit,
];

/** The id the verdict names when no rule found anything wrong. */
export const ALL_GREEN = "all_green";

export const RULE_IDS: readonly string[] = [...RULES.map((r) => r.id), ALL_GREEN];
