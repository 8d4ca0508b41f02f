import type { ComponentChildren } from "preact";
import { CustomerStatus, OnuStatus } from "../../gen/beholder/v1/common_pb.js";
import type { Diagnosis, Incident } from "../../gen/beholder/v1/diagnosis_pb.js";
import { bandsFrom } from "../bands.js";
import {
  CUSTOMER_STATUS_LABEL, CUSTOMER_STATUS_TONE, dateOf, formatAge, formatBps, formatDuration, formatMoney, formatWhen,
  INCIDENT_LABEL, ONU_STATUS_LABEL, ONU_STATUS_TONE, SOURCE_LABEL,
} from "../format.js";
import { LevelBar } from "./level-bar.js";

type Flash = (...paths: string[]) => string;

/** A term and its value; `flash` marks it when one of its fields just changed. */
function Row({ term, children, cls = "", testId }: { term: string; children: ComponentChildren; cls?: string; testId?: string }) {
  return (
    <div class={`row ${cls}`}>
      <dt>{term}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function IncidentCard({ incident, now }: { incident: Incident; now: Date }) {
  const started = dateOf(incident.startedAt);
  return (
    <section class="card incident" aria-labelledby="incident-title" data-testid="incident" data-incident-id={incident.id}>
      <h2 id="incident-title">{INCIDENT_LABEL[incident.kind]}: este cliente es parte de un incidente</h2>
      <p class="incident-summary">{incident.summary}</p>
      <dl class="grid">
        <Row term="Dónde">{incidentPlace(incident)}</Row>
        <Row term="Afectadas">{incident.onusAffected} de {incident.onusTotal} ONUs (LOS {incident.losCount}, sin energía {incident.powerFailCount})</Row>
        <Row term="Desde">{formatWhen(started, now)} <span class="muted">({formatAge(started, now)})</span></Row>
      </dl>
    </section>
  );
}

export function incidentPlace(i: Incident): string {
  const port = `PON ${i.board}/${i.port}`;
  return [i.oltName || i.oltId, port, i.odbName, i.zoneName].filter(Boolean).join(" · ");
}

export function CustomerCard({ d, now, flash }: { d: Diagnosis; now: Date; flash: Flash }) {
  const c = d.customer;
  const known = d.knownIn.map((s) => SOURCE_LABEL[s]).join(", ") || "ningún sistema";
  return (
    <section class={`card ${flash("customer")}`} aria-labelledby="customer-title">
      <h2 id="customer-title">Cliente</h2>
      {!c ? (
        <p class="muted">ISPCube no tiene un cliente para este usuario. Lo conocen: {known}.</p>
      ) : (
        <dl class="grid">
          <Row term="Nombre" testId="customer-name">{c.name || "—"} <span class="muted">({c.code || "sin código"})</span></Row>
          <Row term="Estado" cls={flash("customer.status")}>
            <span class={`chip tone-${CUSTOMER_STATUS_TONE[c.status]}`}>{CUSTOMER_STATUS_LABEL[c.status]}</span>
            {c.status === CustomerStatus.BLOCKED && c.blockedAt && <span class="muted"> desde {formatWhen(dateOf(c.blockedAt), now)}</span>}
          </Row>
          <Row term="Deuda" cls={flash("customer.debt", "customer.due_debt")}>
            {formatMoney(c.debt?.amount)} <span class="muted">(vencida {formatMoney(c.dueDebt?.amount)})</span>
          </Row>
          <Row term="Documento">{c.docNumber || "—"}</Row>
          <Row term="Dirección">{[c.address, c.city].filter(Boolean).join(", ") || "—"}</Row>
          <Row term="Teléfonos">{c.phones.join(" · ") || "—"}</Row>
          <Row term="Correo">{c.emails.join(" · ") || "—"}</Row>
          <Row term="Conocido en">{known}</Row>
        </dl>
      )}
    </section>
  );
}

export function ServiceCard({ d, now, flash }: { d: Diagnosis; now: Date; flash: Flash }) {
  const { plan, router, session, secret, queue } = d;
  return (
    <section class="card" aria-labelledby="service-title">
      <h2 id="service-title">Plan, router y sesión</h2>
      <dl class="grid">
        <Row term="Plan">
          {plan ? <>{plan.name} <span class="muted">({formatBps(Number(plan.downloadKbps) * 1000)} / {formatBps(Number(plan.uploadKbps) * 1000)})</span></> : "—"}
        </Row>
        <Row term="Router">
          {router ? <>{router.name} <span class="muted">{router.host}:{router.port}{router.version ? ` · RouterOS ${router.version}` : ""}</span></> : "—"}
        </Row>
        <Row term="Sesión PPPoE" cls={flash("session")} testId="session">
          {session ? (
            <>
              <span class="chip tone-good">activa</span> {session.address} <span class="muted">· hace {formatDuration(session.uptime)} · MAC {session.callerId || "—"}</span>
            </>
          ) : (
            <>
              <span class="chip tone-bad">sin sesión</span>
              {secret?.lastLoggedOut && <span class="muted"> · última salida {formatWhen(dateOf(secret.lastLoggedOut), now)} ({secret.lastDisconnectReason || "sin motivo"})</span>}
            </>
          )}
        </Row>
        <Row term="Secreto PPPoE" cls={flash("secret")}>
          {secret ? <>{secret.name} · perfil {secret.profile || "—"}{secret.disabled ? <span class="chip tone-bad"> deshabilitado</span> : null}</> : "no está en el router"}
        </Row>
        {queue && (
          <Row term="Cola" cls={flash("queue")}>
            {formatBps(Number(queue.downloadBps))} de {formatBps(Number(queue.maxDownloadBps))} <span class="muted">(subida {formatBps(Number(queue.uploadBps))} de {formatBps(Number(queue.maxUploadBps))})</span>
          </Row>
        )}
      </dl>
    </section>
  );
}

export function OnuCard({ d, now, flash }: { d: Diagnosis; now: Date; flash: Flash }) {
  const onu = d.onu;
  const bands = bandsFrom(d.findings);
  return (
    <section class={`card ${flash("onu")}`} aria-labelledby="onu-title">
      <h2 id="onu-title">ONU</h2>
      {!onu ? (
        <p class="muted">Sin ONU en SmartOLT (¿cliente inalámbrico o sin vincular?).</p>
      ) : (
        <>
          <dl class="grid">
            <Row term="Estado" cls={flash("onu.status")} testId="onu-status">
              <span class={`chip tone-${ONU_STATUS_TONE[onu.status]}`} data-status={OnuStatus[onu.status]}>{ONU_STATUS_LABEL[onu.status]}</span>
              {onu.lastStatusChange && <span class="muted"> desde {formatWhen(dateOf(onu.lastStatusChange), now)} ({formatAge(dateOf(onu.lastStatusChange), now)})</span>}
            </Row>
            <Row term="Serie">{onu.serial || "—"} <span class="muted">{onu.onuType}{onu.mode ? ` · ${onu.mode}` : ""}</span></Row>
            <Row term="OLT / puerto">{onu.oltName || onu.oltId} · {onu.board}/{onu.port}/{onu.onuIndex}</Row>
            <Row term="NAP / zona">{[onu.odbName, onu.zoneName].filter(Boolean).join(" · ") || "—"}</Row>
            {onu.distanceM !== undefined && <Row term="Distancia">{onu.distanceM} m</Row>}
            <Row term="Leído">{formatWhen(dateOf(onu.observedAt), now)} <span class="muted">({formatAge(dateOf(onu.observedAt), now)})</span></Row>
          </dl>
          <div class={`levels ${flash("onu.rx_power_dbm", "onu.olt_rx_power_dbm")}`}>
            <LevelBar testId="onu-rx" label="Rx en la ONU (bajada)" value={onu.rxPowerDbm} band={bands.onuRx} />
            <LevelBar testId="olt-rx" label="Rx en la OLT (subida, Tx de la ONU)" value={onu.oltRxPowerDbm} band={bands.oltRx} />
            {onu.signalCategory && onu.signalCategory !== "-" && <p class="muted small">SmartOLT la califica «{onu.signalCategory}».</p>}
          </div>
        </>
      )}
    </section>
  );
}
