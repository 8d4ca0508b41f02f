import type { Rule } from "../rule.js";
import { finding } from "../rule.js";
import { statusEvidence } from "./common.js";
import { formatAge } from "../../format.js";

/** §2: bare Offline (no dying gasp, no LOS): stale inventory or switched off; never auto-dispatch. */
export const onuOffline: Rule = {
  id: "onu.offline",
  evaluate(facts) {
    const onu = facts.onu;
    if (onu === null || (onu.status !== "offline" && onu.status !== "unknown")) return null;
    const since = onu.lastStatusChange ? ` ${formatAge(onu.lastStatusChange, facts.now)}` : "";
    const what = onu.status === "offline" ? "Offline sin causa (ni dying gasp ni LOS)" : "en estado desconocido";
    return finding(
      "onu.offline",
      "warning",
      `ONU ${what}${since}: equipo apagado o inventario viejo.`,
      statusEvidence(onu),
    );
  },
};
