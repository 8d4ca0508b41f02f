import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { customerEvidence, pppoeEvidence } from "./common.js";
import { formatDuration } from "../../format.js";

/** §5: blocked in the CRM yet browsing → the cut was not applied on the router (provisioning drift). */
export const mismatchBlockedWithSession: Rule = {
  id: "mismatch.blocked_with_session",
  evaluate(facts) {
    const c = facts.customer;
    const p = facts.pppoe;
    if (c === null || c.status !== "blocked" || p === null || p.session === null) return null;
    return finding(
      "mismatch.blocked_with_session",
      "warning",
      `Desfase de aprovisionamiento: bloqueado en ISPCube pero con sesión PPPoE activa hace ${formatDuration(p.session.uptimeS)}.`,
      [customerEvidence(c, "status", c.statusRaw || c.status), pppoeEvidence(p, "session.uptime_s", String(p.session.uptimeS))],
    );
  },
};
