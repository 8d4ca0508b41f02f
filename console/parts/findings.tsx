import { Severity, type Finding } from "../../gen/beholder/v1/diagnosis_pb.js";
import { dateOf, formatWhen, FRESHNESS_LABEL, SEVERITY_LABEL, SOURCE_LABEL } from "../format.js";

const UNITS: Record<string, string> = { dBm: "dBm", dB: "dB", percent: "%", count: "", seconds: "s" };

/** Each rule that fired: its sentence, the readings it rests on, and the thresholds it used. */
export function Findings({ findings, now, flash }: { findings: readonly Finding[]; now: Date; flash: (...paths: string[]) => string }) {
  return (
    <section class={`card ${flash("findings")}`} aria-labelledby="findings-title" data-testid="findings">
      <h2 id="findings-title">Hallazgos ({findings.length})</h2>
      {findings.length === 0 && <p class="muted">Ninguna regla encontró algo para señalar.</p>}
      <ol class="findings">
        {findings.map((f) => (
          <li key={f.ruleId} class={`finding sev-${Severity[f.severity].toLowerCase()}`} data-rule-id={f.ruleId}>
            <p class="finding-head">
              <span class={`chip sev-chip-${Severity[f.severity].toLowerCase()}`}>{SEVERITY_LABEL[f.severity]}</span>{" "}
              <span class="finding-summary">{f.summary}</span>
            </p>
            <p class="muted small">regla <code>{f.ruleId}</code></p>
            {f.evidence.length > 0 && (
              <table class="evidence">
                <caption class="sr-only">Evidencia de {f.ruleId}</caption>
                <thead><tr><th scope="col">Fuente</th><th scope="col">Dato</th><th scope="col">Valor</th><th scope="col">Leído</th></tr></thead>
                <tbody>
                  {f.evidence.map((e, i) => (
                    <tr key={i}>
                      <td data-label="Fuente">{SOURCE_LABEL[e.source]}</td>
                      <td data-label="Dato"><code>{e.field}</code></td>
                      <td data-label="Valor">{e.value}</td>
                      <td data-label="Leído">{formatWhen(dateOf(e.observedAt), now)} ({FRESHNESS_LABEL[e.freshness]})</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {f.thresholds.length > 0 && (
              <p class="thresholds small">
                Umbrales:{" "}
                {f.thresholds.map((t, i) => (
                  <span key={t.name}>{i > 0 ? ", " : ""}<code>{t.name}</code> = {String(t.value).replace(".", ",")}{UNITS[t.unit] !== undefined ? ` ${UNITS[t.unit]}` : ` ${t.unit}`}</span>
                ))}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
