import type { TriageRules } from "./rules.js";

/** Stand-in until triage/ and outage/ land: every verdict says the rules are missing. */
export const PENDING_RULES: TriageRules = {
  triage: (facts) => ({
    findings: [],
    verdict: {
      action: "no_action",
      ruleId: "rules.pending",
      confidence: "low",
      confidenceReason: "las reglas de triage todavía no están instaladas",
      agentMessage: "Sin reglas de triage: revisar los datos a mano.",
      customerMessage: "",
    },
    incident: facts.incident,
    ticketText: "",
  }),
  incidentFor: () => null,
  incidents: () => [],
};
