import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { customerEvidence } from "./common.js";

/** §5: no_service is a terminated or prospective customer: nothing to repair. */
export const billingNoService: Rule = {
  id: "billing.no_service",
  evaluate(facts) {
    const c = facts.customer;
    if (c === null || c.status !== "no_service") return null;
    return finding(
      "billing.no_service",
      "critical",
      `Cliente sin servicio en ISPCube ("${c.statusRaw || c.status}"): baja o cliente potencial.`,
      [customerEvidence(c, "status", c.statusRaw || c.status)],
    );
  },
};
