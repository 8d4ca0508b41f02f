import type { MessageInitShape } from "@bufbuild/protobuf";
import { CustomerStatus, Freshness, OnuStatus, Source, UnavailableReason, type SourceStatusSchema } from "../../gen/beholder/v1/common_pb.js";
import {
  Action,
  Confidence,
  IncidentKind,
  Severity,
  type DiagnosisSchema,
  type FindingSchema,
  type IncidentSchema,
  type PlanSchema,
  type RouterRefSchema,
  type TrafficSchema,
} from "../../gen/beholder/v1/diagnosis_pb.js";
import type { DiagnosisResult } from "../diagnosis/index.js";
import type { Incident } from "../diagnosis/outage/types.js";
import type { Finding, Verdict } from "../diagnosis/triage/result.js";
import type { ChosenRouter, SourceReport } from "../diagnosis/types.js";
import type { Plan, TrafficReading, Vendor } from "../domain/types.js";
import { durationFromMs, timestampFromDate } from "./time.js";

const SOURCES: Record<Vendor, Source> = { ispcube: Source.ISPCUBE, smartolt: Source.SMARTOLT, routeros: Source.ROUTEROS };
const FRESHNESS = { live: Freshness.LIVE, cached: Freshness.CACHED, unavailable: Freshness.UNAVAILABLE } as const;
const REASONS = {
  timeout: UnavailableReason.TIMEOUT,
  breaker_open: UnavailableReason.BREAKER_OPEN,
  auth: UnavailableReason.AUTH,
  rate_limited: UnavailableReason.RATE_LIMITED,
  disabled: UnavailableReason.DISABLED,
  error: UnavailableReason.ERROR,
  bad_response: UnavailableReason.BAD_RESPONSE,
} as const;
const CUSTOMER_STATUS = {
  enabled: CustomerStatus.ENABLED,
  blocked: CustomerStatus.BLOCKED,
  no_service: CustomerStatus.NO_SERVICE,
  other: CustomerStatus.OTHER,
} as const;
const ONU_STATUS = {
  online: OnuStatus.ONLINE,
  offline: OnuStatus.OFFLINE,
  power_fail: OnuStatus.POWER_FAIL,
  los: OnuStatus.LOS,
  admin_disabled: OnuStatus.ADMIN_DISABLED,
  unknown: OnuStatus.UNSPECIFIED,
} as const;
const ACTIONS = {
  no_action: Action.NO_ACTION,
  remote: Action.REMOTE,
  dispatch: Action.DISPATCH,
  billing: Action.BILLING,
  network_incident: Action.NETWORK_INCIDENT,
} as const;
const CONFIDENCE = { high: Confidence.HIGH, medium: Confidence.MEDIUM, low: Confidence.LOW } as const;
const SEVERITY = { info: Severity.INFO, warning: Severity.WARNING, critical: Severity.CRITICAL } as const;
const INCIDENT_KINDS = { pon_down: IncidentKind.PON_DOWN, partial_los: IncidentKind.PARTIAL_LOS, area_power: IncidentKind.AREA_POWER } as const;

const ts = (d: Date | null | undefined): ReturnType<typeof timestampFromDate> | undefined => (d ? timestampFromDate(d) : undefined);

/** ISPCube keeps money as decimal strings in pesos. */
const money = (amount: string): { currencyCode: string; amount: string } => ({ currencyCode: "ARS", amount });

export function sourceStatusMessage(r: SourceReport): MessageInitShape<typeof SourceStatusSchema> {
  return {
    source: SOURCES[r.source],
    freshness: FRESHNESS[r.freshness],
    asOf: ts(r.asOf),
    reason: r.reason ? REASONS[r.reason] : UnavailableReason.UNSPECIFIED,
    detail: r.detail,
    latency: r.latencyMs === null ? undefined : durationFromMs(r.latencyMs),
  };
}

export function routerRefMessage(r: ChosenRouter | null): MessageInitShape<typeof RouterRefSchema> | undefined {
  return r ? { name: r.name, host: r.host, port: r.port, nodeId: BigInt(r.nodeId), version: "" } : undefined;
}

export function planMessage(p: Plan | null): MessageInitShape<typeof PlanSchema> | undefined {
  return p ? { id: BigInt(p.id), name: p.name, downloadKbps: BigInt(p.downloadKbps), uploadKbps: BigInt(p.uploadKbps), price: money(p.price) } : undefined;
}

export function trafficMessage(t: TrafficReading | null | undefined): MessageInitShape<typeof TrafficSchema> | undefined {
  return t ? { downloadBps: BigInt(Math.round(t.downloadBps)), uploadBps: BigInt(Math.round(t.uploadBps)), measuredAt: ts(t.at) } : undefined;
}

export function incidentMessage(i: Incident): MessageInitShape<typeof IncidentSchema> {
  return {
    id: i.id,
    kind: INCIDENT_KINDS[i.kind],
    oltId: i.oltId,
    oltName: i.oltName,
    board: i.board ?? 0,
    port: i.port ?? 0,
    odbName: i.odbName ?? "",
    zoneName: i.zoneName ?? "",
    onusTotal: i.onusTotal,
    onusAffected: i.onusAffected,
    losCount: i.losCount,
    powerFailCount: i.powerFailCount,
    startedAt: ts(i.startedAt),
    summary: i.summary,
  };
}

function findingMessage(f: Finding): MessageInitShape<typeof FindingSchema> {
  return {
    ruleId: f.ruleId,
    severity: SEVERITY[f.severity],
    summary: f.summary,
    evidence: f.evidence.map((e) => ({
      source: SOURCES[e.source],
      field: e.field,
      value: e.value,
      observedAt: ts(e.observedAt),
      freshness: FRESHNESS[e.freshness],
    })),
    thresholds: f.thresholds.map((t) => ({ name: t.name, value: t.value, unit: t.unit })),
  };
}

function verdictMessage(v: Verdict): MessageInitShape<typeof DiagnosisSchema>["verdict"] {
  return {
    action: ACTIONS[v.action],
    ruleId: v.ruleId,
    confidence: CONFIDENCE[v.confidence],
    confidenceReason: v.confidenceReason,
    agentMessage: v.agentMessage,
    customerMessage: v.customerMessage,
  };
}

/** The domain diagnosis as the proto Diagnosis. Secrets' passwords were never read, so none can leak. */
export function diagnosisMessage(d: DiagnosisResult): MessageInitShape<typeof DiagnosisSchema> {
  const { customer, connection, pppoe, onu } = d;
  const o = onu?.onu;
  return {
    pppoeUser: d.pppoeUser ?? "",
    generatedAt: timestampFromDate(d.generatedAt),
    knownIn: d.knownIn.map((s) => SOURCES[s]),
    sources: d.sources.map(sourceStatusMessage),
    customer: customer
      ? {
          id: BigInt(customer.id),
          code: customer.code,
          name: customer.name,
          docNumber: customer.docNumber ?? "",
          address: customer.address ?? "",
          city: customer.city ?? "",
          status: CUSTOMER_STATUS[customer.status],
          statusRaw: customer.statusRaw,
          debt: money(customer.debt),
          dueDebt: money(customer.dueDebt),
          phones: customer.phones,
          emails: customer.emails,
          blockedAt: ts(customer.blockedAt),
        }
      : undefined,
    connection: connection
      ? {
          id: BigInt(connection.id),
          pppoeUser: connection.pppoeUser ?? "",
          kind: connection.kind,
          address: connection.address ?? "",
          ipAddress: connection.ip ?? "",
          nodeId: BigInt(connection.nodeId ?? 0),
        }
      : undefined,
    plan: planMessage(d.plan),
    router: routerRefMessage(d.router),
    secret: pppoe.secret
      ? {
          name: pppoe.secret.name,
          profile: pppoe.secret.profile,
          service: pppoe.secret.service,
          disabled: pppoe.secret.disabled,
          remoteAddress: pppoe.secret.remoteAddress ?? "",
          callerId: pppoe.secret.callerId ?? "",
          lastLoggedOut: ts(pppoe.secret.lastLoggedOut),
          lastCallerId: pppoe.secret.lastCallerId ?? "",
          lastDisconnectReason: pppoe.secret.lastDisconnectReason ?? "",
          comment: pppoe.secret.comment ?? "",
        }
      : undefined,
    session: pppoe.session
      ? {
          address: pppoe.session.address ?? "",
          callerId: pppoe.session.callerId ?? "",
          uptime: durationFromMs(pppoe.session.uptimeS * 1000),
          startedAt: timestampFromDate(new Date(d.generatedAt.getTime() - pppoe.session.uptimeS * 1000)),
          sessionId: pppoe.session.sessionId ?? "",
          service: pppoe.session.service,
        }
      : undefined,
    onu: o
      ? {
          externalId: o.externalId,
          serial: o.serial,
          oltId: o.oltId,
          oltName: o.oltName,
          board: o.board ?? 0,
          port: o.port ?? 0,
          onuIndex: o.onuIndex ?? 0,
          odbName: o.odbName ?? "",
          zoneName: o.zoneName ?? "",
          status: ONU_STATUS[o.status],
          lastStatusChange: ts(o.lastStatusChange),
          adminEnabled: o.adminEnabled,
          ...(o.rxPowerDbm === null ? {} : { rxPowerDbm: o.rxPowerDbm }),
          ...(o.oltRxPowerDbm === null ? {} : { oltRxPowerDbm: o.oltRxPowerDbm }),
          signalCategory: o.signalCategory,
          vlans: o.vlans,
          onuType: o.onuType,
          mode: o.mode,
          ...(o.distanceM === null ? {} : { distanceM: o.distanceM }),
          observedAt: ts(onu.statusAt),
        }
      : undefined,
    queue: pppoe.queue
      ? {
          name: pppoe.queue.name,
          maxDownloadBps: BigInt(Math.round(pppoe.queue.maxDownloadBps)),
          maxUploadBps: BigInt(Math.round(pppoe.queue.maxUploadBps)),
          downloadBps: BigInt(Math.round(pppoe.queue.downloadBps)),
          uploadBps: BigInt(Math.round(pppoe.queue.uploadBps)),
        }
      : undefined,
    traffic: trafficMessage(pppoe.traffic),
    findings: d.findings.map(findingMessage),
    verdict: verdictMessage(d.verdict),
    incident: d.incident ? incidentMessage(d.incident) : undefined,
    ticketText: d.ticketText,
    took: durationFromMs(d.tookMs),
  };
}
