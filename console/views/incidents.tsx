import { useEffect, useState } from "preact/hooks";
import type { BeholderClient } from "../../src/client/browser.js";
import { IncidentKind, type ListIncidentsResponse } from "../../gen/beholder/v1/diagnosis_pb.js";
import { describeError } from "../errors.js";
import { dateOf, durationSeconds, formatAge, formatClock, formatSeconds, formatWhen, INCIDENT_LABEL } from "../format.js";
import { incidentPlace } from "../parts/details.js";

/** The status job refreshes the snapshot every few minutes: reading it more often than this buys nothing. */
const REFRESH_MS = 30_000;
const PAGE_SIZE = 1000;

/** Current outages for the NOC, from ListIncidents, refreshed every REFRESH_MS. */
export function IncidentsView({ client, onAuthError }: { client: BeholderClient; onAuthError: (why: string) => void }) {
  const [res, setRes] = useState<ListIncidentsResponse | undefined>();
  const [readAt, setReadAt] = useState<Date | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setBusy(true);
    client.diagnosis.listIncidents({ pageSize: PAGE_SIZE }, { signal: abort.signal }).then(
      (r) => {
        setRes(r);
        setReadAt(new Date());
        setError(undefined);
        setBusy(false);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const view = describeError(err);
        if (view.signOut) return onAuthError(view.message);
        setError(view.message);
        setBusy(false);
      },
    );
    const timer = setTimeout(() => setTick((t) => t + 1), REFRESH_MS);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [client, tick]);

  const now = readAt ?? new Date();
  const incidents = res?.incidents ?? [];
  const byKind = (k: IncidentKind): number => incidents.filter((i) => i.kind === k).length;
  const affected = incidents.reduce((n, i) => n + i.onusAffected, 0);
  const asOf = dateOf(res?.asOf);
  const snapshotAge = durationSeconds(res?.snapshotAge);

  return (
    <section class="incidents" aria-labelledby="incidents-title">
      <h1 id="incidents-title">Incidentes en curso</h1>
      <div class="incidents-bar">
        <p class="muted" role="status" aria-live="polite" data-testid="incidents-status">
          {busy && !res ? "Leyendo incidentes…" : readAt ? `Actualizado a las ${formatClock(readAt)}; se actualiza cada ${REFRESH_MS / 1000} s.` : ""}
          {asOf && ` Estados de las ONUs de las ${formatWhen(asOf, now)}${snapshotAge !== undefined ? ` (hace ${formatSeconds(snapshotAge)})` : ""}.`}
        </p>
        <button type="button" class="btn" onClick={() => setTick((t) => t + 1)} disabled={busy}>Actualizar ahora</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {res && (
        <ul class="counts" aria-label="Resumen" data-testid="incident-counts">
          <li><strong data-testid="incident-total">{res.totalSize}</strong> incidentes</li>
          <li><strong>{affected}</strong> ONUs afectadas</li>
          <li><strong>{byKind(IncidentKind.PON_DOWN)}</strong> {INCIDENT_LABEL[IncidentKind.PON_DOWN]}</li>
          <li><strong>{byKind(IncidentKind.PARTIAL_LOS)}</strong> {INCIDENT_LABEL[IncidentKind.PARTIAL_LOS]}</li>
          <li><strong>{byKind(IncidentKind.AREA_POWER)}</strong> {INCIDENT_LABEL[IncidentKind.AREA_POWER]}</li>
        </ul>
      )}
      {res && incidents.length === 0 && <p class="card">No hay incidentes: ningún puerto PON ni NAP con cortes en la última foto.</p>}
      {incidents.length > 0 && (
        <table class="incident-table" data-testid="incident-table">
          <caption class="sr-only">Incidentes en curso</caption>
          <thead>
            <tr><th scope="col">Tipo</th><th scope="col">Dónde</th><th scope="col">Afectadas</th><th scope="col">Desde</th><th scope="col">Resumen</th></tr>
          </thead>
          <tbody>
            {incidents.map((i) => {
              const started = dateOf(i.startedAt);
              return (
                <tr key={i.id} data-incident-id={i.id} class={`kind-${IncidentKind[i.kind].toLowerCase()}`}>
                  <td data-label="Tipo"><span class="chip tone-bad">{INCIDENT_LABEL[i.kind]}</span></td>
                  <td data-label="Dónde">{incidentPlace(i)}</td>
                  <td data-label="Afectadas">{i.onusAffected}/{i.onusTotal} <span class="muted">(LOS {i.losCount}, sin energía {i.powerFailCount})</span></td>
                  <td data-label="Desde">{formatWhen(started, now)} <span class="muted">({formatAge(started, now)})</span></td>
                  <td data-label="Resumen">{i.summary}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
