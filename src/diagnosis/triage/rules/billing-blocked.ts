import type { Rule } from "../rule.js";
import { finding, iso } from "../rule.js";
import { customerEvidence } from "./common.js";
import { formatDay, formatMoney, isPositiveAmount } from "../../format.js";

/** §5: blocked in ISPCube → a billing matter; never dispatch on a blocked account. */
export const billingBlocked: Rule = {
  id: "billing.blocked",
  evaluate(facts, options) {
    const c = facts.customer;
    if (c === null || c.status !== "blocked") return null;
    const debt = isPositiveAmount(c.dueDebt) ? ` (${formatMoney(c.dueDebt)} vencidos)` : isPositiveAmount(c.debt) ? ` (saldo ${formatMoney(c.debt)})` : "";
    const since = c.blockedAt ? ` desde el ${formatDay(c.blockedAt, options.timeZone)}` : "";
    const ev = [customerEvidence(c, "status", c.statusRaw || c.status), customerEvidence(c, "due_debt", c.dueDebt), customerEvidence(c, "debt", c.debt)];
    if (c.blockedAt) ev.push(customerEvidence(c, "blocked_at", iso(c.blockedAt)));
    return finding("billing.blocked", "critical", `Cliente bloqueado por deuda${debt}${since}.`, ev);
  },
};
