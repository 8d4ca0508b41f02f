import type { Rule } from "../rule.js";
import { at, finding, iso } from "../rule.js";
import { pppoeEvidence } from "./common.js";

/** §4: a secret but no /ppp/active session: the customer's router is not connecting. */
export const pppoeNoSession: Rule = {
  id: "pppoe.no_session",
  evaluate(facts, options) {
    const p = facts.pppoe;
    if (p === null || p.secret === null || p.session !== null) return null;
    const s = p.secret;
    const details: string[] = [];
    if (s.lastDisconnectReason) details.push(`última desconexión: ${s.lastDisconnectReason}`);
    if (s.lastCallerId) details.push(`último caller-id ${s.lastCallerId}`);
    const ev = [pppoeEvidence(p, "session", "ausente")];
    if (s.lastLoggedOut) ev.push(pppoeEvidence(p, "secret.last_logged_out", iso(s.lastLoggedOut)));
    if (s.lastDisconnectReason) ev.push(pppoeEvidence(p, "secret.last_disconnect_reason", s.lastDisconnectReason));
    if (s.lastCallerId) ev.push(pppoeEvidence(p, "secret.last_caller_id", s.lastCallerId));
    return finding(
      "pppoe.no_session",
      "critical",
      `Sin sesión PPPoE${s.lastLoggedOut ? ` desde las ${at(s.lastLoggedOut, facts, options)}` : ""}${details.length ? ` (${details.join("; ")})` : ""}.`,
      ev,
    );
  },
};
