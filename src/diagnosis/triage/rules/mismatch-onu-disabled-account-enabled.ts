import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { customerEvidence, onuEvidence } from "./common.js";

/** §2/§5: ONU admin-disabled (a debt cut at the OLT) while the account is enabled → drift. */
export const mismatchOnuDisabledAccountEnabled: Rule = {
  id: "mismatch.onu_disabled_account_enabled",
  evaluate(facts) {
    const c = facts.customer;
    const onu = facts.onu;
    if (c === null || c.status !== "enabled" || onu === null) return null;
    if (onu.status !== "admin_disabled" && onu.adminEnabled) return null;
    return finding(
      "mismatch.onu_disabled_account_enabled",
      "warning",
      "Desfase de aprovisionamiento: ONU deshabilitada en la OLT pero el cliente está habilitado en ISPCube.",
      [customerEvidence(c, "status", c.statusRaw || c.status), onuEvidence(onu, "status", onu.status), onuEvidence(onu, "admin_enabled", String(onu.adminEnabled))],
    );
  },
};
