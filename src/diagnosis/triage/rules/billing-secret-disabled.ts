import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { pppoeEvidence } from "./common.js";

/** §4/§6.3: a disabled secret keeps the customer out whatever the fibre does. */
export const billingSecretDisabled: Rule = {
  id: "billing.secret_disabled",
  evaluate(facts) {
    const p = facts.pppoe;
    if (p === null || p.secret === null || !p.secret.disabled) return null;
    return finding(
      "billing.secret_disabled",
      "warning",
      "Secret PPPoE deshabilitado en el router (disabled=yes): el cliente no puede autenticarse.",
      [pppoeEvidence(p, "secret.disabled", "true")],
    );
  },
};
