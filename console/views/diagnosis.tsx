import { useEffect, useRef, useState } from "preact/hooks";
import type { BeholderClient } from "../../src/client/browser.js";
import type { WatchPolling } from "../../gen/beholder/v1/diagnosis_pb.js";
import { useWatch, type Connection } from "../watch.js";
import { durationSeconds, formatClock, formatSeconds } from "../format.js";
import { VerdictBanner } from "../parts/verdict-banner.js";
import { Findings } from "../parts/findings.js";
import { Sources } from "../parts/sources.js";
import { CustomerCard, IncidentCard, OnuCard, ServiceCard } from "../parts/details.js";
import { TrafficChart } from "../parts/traffic-chart.js";

/** How long a changed field stays marked. */
const FLASH_MS = 6000;

const FIELD_NAMES: [prefix: string, name: string][] = [
  ["verdict", "veredicto"],
  ["onu.status", "estado de la ONU"],
  ["onu.last_status_change", "último cambio de la ONU"],
  ["onu.rx_power_dbm", "Rx de la ONU"],
  ["onu.olt_rx_power_dbm", "Rx en la OLT"],
  ["onu", "ONU"],
  ["session", "sesión PPPoE"],
  ["secret", "secreto PPPoE"],
  ["customer", "cliente"],
  ["incident", "incidente"],
  ["findings", "hallazgos"],
  ["queue", "cola"],
  ["sources", "fuentes"],
];

function fieldName(path: string): string {
  return FIELD_NAMES.find(([p]) => path === p || path.startsWith(`${p}.`))?.[1] ?? path;
}

/** A clock for ages and for fading the change marks. */
function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function DiagnosisView({ client, user, onAuthError }: { client: BeholderClient; user: string; onAuthError: (why: string) => void }) {
  const w = useWatch(client, user, onAuthError);
  const now = useNow(1000);
  // The search that led here is gone from the page: keyboard and screen-reader users land on the title.
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const d = w.diagnosis;

  /** "changed" when one of the paths (or a field under it) changed within FLASH_MS. */
  const flash = (...paths: string[]): string => {
    const t = now.getTime();
    for (const [field, at] of Object.entries(w.changed)) {
      if (t - at > FLASH_MS) continue;
      if (paths.some((p) => field === p || field.startsWith(`${p}.`) || p.startsWith(`${field}.`))) return "changed";
    }
    return "";
  };

  const changedNames = w.lastChange ? [...new Set(w.lastChange.fields.map(fieldName))] : [];
  const planBps = d?.plan && d.plan.downloadKbps > 0n ? Number(d.plan.downloadKbps) * 1000 : d?.queue && d.queue.maxDownloadBps > 0n ? Number(d.queue.maxDownloadBps) : undefined;

  return (
    <div class="diagnosis">
      <div class="diag-head">
        <p class="crumbs"><a href="#/buscar">← Volver a la búsqueda</a></p>
        <h1 class="diag-title" ref={title} tabIndex={-1}>{d?.customer?.name || user} <span class="muted diag-user">{user}</span></h1>
        <StreamStatus connection={w.connection} polling={w.polling} lastMessageAt={w.lastMessageAt} now={now} />
        <p class="changes" role="status" aria-live="polite" data-testid="last-change">
          {w.lastChange && changedNames.length > 0 ? `Cambió a las ${formatClock(new Date(w.lastChange.at))}: ${changedNames.join(", ")}.` : ""}
        </p>
      </div>
      {!d && w.connection.state !== "failed" && <p class="card muted" role="status">Cargando el diagnóstico de {user}…</p>}
      {w.connection.state === "failed" && <p class="card error" role="alert">{w.connection.why}</p>}
      {d && (
        <>
          <VerdictBanner d={d} flash={flash} />
          {d.incident && <IncidentCard incident={d.incident} now={now} />}
          <div class="columns">
            <Findings findings={d.findings} now={now} flash={flash} />
            <Sources sources={d.sources} now={now} flash={flash} />
          </div>
          <div class="columns">
            <OnuCard d={d} now={now} flash={flash} />
            <section class="card" aria-labelledby="traffic-title">
              <h2 id="traffic-title">Tráfico en vivo</h2>
              <TrafficChart samples={w.traffic} planBps={planBps} hasSession={d.session !== undefined} />
            </section>
          </div>
          <div class="columns">
            <CustomerCard d={d} now={now} flash={flash} />
            <ServiceCard d={d} now={now} flash={flash} />
          </div>
          <section class="card" aria-labelledby="ticket-title">
            <h2 id="ticket-title">Texto para el ticket</h2>
            <pre class="ticket" data-testid="ticket-text">{d.ticketText}</pre>
          </section>
        </>
      )}
    </div>
  );
}

function StreamStatus({ connection, polling, lastMessageAt, now }: { connection: Connection; polling: WatchPolling | undefined; lastMessageAt: number | undefined; now: Date }) {
  // The live region holds the state only; the ticking parts (age, countdown) sit beside it, so a
  // screen reader hears "Reconectando…" once, not every second.
  let text: string;
  let ticking = "";
  let cls: string;
  if (connection.state === "live") {
    cls = "live";
    text = "En vivo";
    if (lastMessageAt) ticking = ` · último dato ${formatSeconds((now.getTime() - lastMessageAt) / 1000)} atrás`;
  } else if (connection.state === "reconnecting") {
    cls = "reconnecting";
    text = `Reconectando… (intento ${connection.attempt}): ${connection.why}`;
    const inS = Math.max(0, Math.ceil((connection.retryAt - now.getTime()) / 1000));
    if (inS > 0) ticking = ` Próximo intento en ${inS} s.`;
  } else if (connection.state === "connecting") {
    cls = "connecting";
    text = "Conectando…";
  } else {
    cls = "failed";
    text = "Sin seguimiento en vivo.";
  }
  const onuS = durationSeconds(polling?.onuStatusInterval);
  const sessionS = durationSeconds(polling?.sessionInterval);
  const customerS = durationSeconds(polling?.customerInterval);
  return (
    <div class="stream">
      <p class={`stream-state stream-${cls}`}>
        <span class="dot" aria-hidden="true" />
        <span role="status" aria-live="polite" data-testid="stream-state" data-state={connection.state}>{text}</span>
        <span class="stream-tick">{ticking}</span>
      </p>
      {polling && (
        <p class="muted small" data-testid="polling">
          Relecturas: ONU cada {onuS !== undefined ? formatSeconds(onuS) : "—"}, sesión cada {sessionS !== undefined ? formatSeconds(sessionS) : "—"}, cliente cada {customerS !== undefined ? formatSeconds(customerS) : "—"}.
          {polling.stretched && (
            <strong class="stretched" data-testid="stretched">
              {" "}El servidor espació la lectura de la ONU para cuidar el presupuesto de SmartOLT (compartido entre{" "}
              {polling.watchedOnuGroups === 1 ? "1 puerto PON vigilado" : `${polling.watchedOnuGroups} puertos PON vigilados`}).
            </strong>
          )}
        </p>
      )}
    </div>
  );
}
