import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { onuEvidence } from "./common.js";

/** §2: Admin Disabled at the OLT is often a debt cut applied there → billing check. */
export const billingOnuAdminDisabled: Rule = {
  id: "billing.onu_admin_disabled",
  evaluate(facts) {
    const onu = facts.onu;
    if (onu === null || (onu.status !== "admin_disabled" && onu.adminEnabled)) return null;
    return finding(
      "billing.onu_admin_disabled",
      "warning",
      "ONU deshabilitada por un operador en la OLT (Admin Disabled): posible corte por deuda.",
      [onuEvidence(onu, "status", onu.status), onuEvidence(onu, "admin_enabled", String(onu.adminEnabled))],
    );
  },
};
