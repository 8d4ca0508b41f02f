import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { customerEvidence, pppoeEvidence } from "./common.js";

/** §5: enabled in the CRM but the secret disabled → a cut that was never lifted (provisioning drift). */
export const mismatchEnabledSecretDisabled: Rule = {
  id: "mismatch.enabled_secret_disabled",
  evaluate(facts) {
    const c = facts.customer;
    const p = facts.pppoe;
    if (c === null || c.status !== "enabled" || p === null || p.secret === null || !p.secret.disabled) return null;
    return finding(
      "mismatch.enabled_secret_disabled",
      "warning",
      "Desfase de aprovisionamiento: habilitado en ISPCube pero el secret PPPoE está deshabilitado en el router.",
      [customerEvidence(c, "status", c.statusRaw || c.status), pppoeEvidence(p, "secret.disabled", "true")],
    );
  },
};
