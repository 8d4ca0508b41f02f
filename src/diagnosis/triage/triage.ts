import { DEFAULT_TRIAGE_OPTIONS, type TriageOptions } from "../thresholds.js";
import type { TriageFacts } from "./facts.js";
import type { Finding, TriageResult, Verdict } from "./result.js";
import { RULES } from "./rules/index.js";
import { decide } from "./decide.js";
import { assess } from "./confidence.js";
import { agentMessage } from "./agent-messages.js";
import { customerMessage } from "./customer-messages.js";
import { ticketText } from "./ticket.js";

/**
 * Observations → findings → verdict (triage.md §6). Pure: no I/O, no clock; `facts.now` is the
 * instant of the diagnosis.
 */
export function triage(facts: TriageFacts, options: TriageOptions = DEFAULT_TRIAGE_OPTIONS): TriageResult {
  const findings = runRules(facts, options);
  const decision = decide(facts, findings, options);
  const assessment = assess(facts, decision, findings, options);
  const blockedBeside = decision.action === "network_incident" && findings.some((f) => f.ruleId === "billing.blocked");
  const verdict: Verdict = {
    // §6.0: never dispatch on stale data alone; the agent confirms first.
    action: assessment.staleDispatch ? "remote" : decision.action,
    ruleId: decision.ruleId,
    confidence: assessment.confidence,
    confidenceReason: assessment.reason,
    agentMessage: agentMessage(facts, decision, findings, assessment.staleDispatch, options),
    customerMessage: customerMessage(facts, decision, assessment.staleDispatch, blockedBeside),
  };
  const incident = facts.incident;
  return { findings, verdict, incident, ticketText: ticketText(facts, verdict, findings, incident, options) };
}

export function runRules(facts: TriageFacts, options: TriageOptions): Finding[] {
  const out: Finding[] = [];
  for (const rule of RULES) {
    const f = rule.evaluate(facts, options);
    if (f !== null) out.push(f);
  }
  return out;
}
