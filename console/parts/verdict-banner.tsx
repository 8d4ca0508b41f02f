import { Action, Confidence, type Diagnosis } from "../../gen/beholder/v1/diagnosis_pb.js";
import { ACTION_CLASS, ACTION_LABEL, CONFIDENCE_LABEL } from "../format.js";
import { CopyButton } from "./copy-button.js";

/** The verdict first: what to do, coloured by the action, with the sentence for the agent. */
export function VerdictBanner({ d, flash }: { d: Diagnosis; flash: (...paths: string[]) => string }) {
  const v = d.verdict;
  const action = v?.action ?? Action.UNSPECIFIED;
  const confidence = v?.confidence ?? Confidence.UNSPECIFIED;
  return (
    <section class={`banner ${ACTION_CLASS[action]} ${flash("verdict")}`} aria-labelledby="verdict-action"
      data-testid="verdict" data-action={Action[action]} data-rule={v?.ruleId ?? ""}>
      <p class="banner-kicker">Veredicto</p>
      <h2 id="verdict-action" class="banner-action">{ACTION_LABEL[action]}</h2>
      <p class="banner-agent" data-testid="agent-message">{v?.agentMessage || "Sin mensaje para el agente."}</p>
      <p class="banner-meta">
        <span data-testid="confidence">Confianza {CONFIDENCE_LABEL[confidence]}</span>
        {v?.confidenceReason ? <span> — {v.confidenceReason}</span> : null}
        <span class="banner-rule"> · regla <code>{v?.ruleId || "—"}</code></span>
      </p>
      <div class="banner-customer">
        <p><span class="banner-label">Para decirle al cliente:</span> <span data-testid="customer-message">{v?.customerMessage || "—"}</span></p>
      </div>
      <div class="banner-actions">
        <CopyButton id="copy-ticket" text={d.ticketText} label="Copiar texto para el ticket" />
        <CopyButton id="copy-customer" text={v?.customerMessage ?? ""} label="Copiar frase para el cliente" />
      </div>
    </section>
  );
}
