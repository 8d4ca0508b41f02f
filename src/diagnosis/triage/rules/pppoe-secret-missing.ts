import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { pppoeEvidence } from "./common.js";

/** §4: the router holds no secret with this name: the customer cannot authenticate. */
export const pppoeSecretMissing: Rule = {
  id: "pppoe.secret_missing",
  evaluate(facts) {
    const p = facts.pppoe;
    if (facts.pppoeUser === null || p === null || p.secret !== null) return null;
    return finding(
      "pppoe.secret_missing",
      "critical",
      `No hay secret PPPoE "${facts.pppoeUser}" en el router: dar de alta las credenciales.`,
      [pppoeEvidence(p, "secret", "ausente")],
    );
  },
};
