import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { pppoeEvidence } from "./common.js";

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * §4: a new caller-id means the customer swapped routers; with the secret locked to the old MAC, the
 * new one is refused.
 */
export const pppoeNewCallerId: Rule = {
  id: "pppoe.new_caller_id",
  evaluate(facts) {
    const p = facts.pppoe;
    const s = p?.secret ?? null;
    if (p === null || s === null) return null;
    const current = p.session?.callerId ?? s.lastCallerId;
    if (!current) return null;
    if (s.callerId && !same(s.callerId, current)) {
      return finding(
        "pppoe.new_caller_id",
        "critical",
        `Secret atado a la MAC ${s.callerId} pero el router del cliente es ${current}: cambió de router; actualizar o liberar el caller-id.`,
        [pppoeEvidence(p, "secret.caller_id", s.callerId), pppoeEvidence(p, p.session ? "session.caller_id" : "secret.last_caller_id", current)],
      );
    }
    if (s.previousCallerId && !same(s.previousCallerId, current)) {
      return finding(
        "pppoe.new_caller_id",
        p.session ? "info" : "warning",
        `Caller-id nuevo ${current} (antes ${s.previousCallerId}): el cliente cambió de router.`,
        [pppoeEvidence(p, "secret.previous_caller_id", s.previousCallerId), pppoeEvidence(p, p.session ? "session.caller_id" : "secret.last_caller_id", current)],
      );
    }
    return null;
  },
};
