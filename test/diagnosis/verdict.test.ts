import { test } from "node:test";
import assert from "node:assert/strict";
import type { TriageFacts } from "../../src/diagnosis/triage/facts.js";
import type { Action, Confidence } from "../../src/diagnosis/triage/result.js";
import { triage } from "../../src/diagnosis/triage/triage.js";
import { computeIncidents, findIncidentFor } from "../../src/diagnosis/outage/correlate.js";
import { DEFAULT_THRESHOLDS } from "../../src/diagnosis/thresholds.js";
import { DAY, HOUR, MIN, NOW, ago, facts, onu, options, peer, row } from "./fixtures.js";

const base = facts();
const pppoe = base.pppoe!;
const noSession = { ...pppoe, session: null, secret: { ...pppoe.secret!, lastLoggedOut: ago(25 * MIN), lastDisconnectReason: "port-error" } };
const blocked = { ...base.customer!, status: "blocked" as const, statusRaw: "blocked", dueDebt: "30100.00", debt: "30100.00", blockedAt: ago(4 * DAY) };

/** The incident of the customer's ONU (HWTC0001) computed from a snapshot, as the engine will. */
function incidentOf(rows: ReturnType<typeof row>[]): TriageFacts["incident"] {
  return findIncidentFor(computeIncidents(rows, NOW, DEFAULT_THRESHOLDS, ago(60)), "HWTC0001");
}
const feederCut = incidentOf([row("HWTC0001", { status: "los", lastStatusChange: ago(15 * MIN) }), ...[1, 2, 3, 4, 5, 6, 7].map((i) => row(`P${i}`, { status: "los", lastStatusChange: ago(15 * MIN - i), odbName: i > 4 ? "NAP-C03" : "NAP-C02" }))]);
const areaPower = incidentOf([row("HWTC0001", { status: "power_fail", lastStatusChange: ago(40 * MIN) }), ...[1, 2, 3, 4].map((i) => row(`P${i}`, { status: "power_fail", lastStatusChange: ago(40 * MIN - 30 * i) })), row("P5"), row("P6")]);
const losPeersLongAgo = [1, 2, 3].map((i) => peer(i, { status: "los" as const }));

interface Case {
  name: string;
  facts: TriageFacts;
  action: Action;
  rule: string;
  confidence?: Confidence;
  incident?: string | null;
}

export const VERDICT_CASES: Case[] = [
  { name: "all green", facts: base, action: "no_action", rule: "all_green", confidence: "high" },
  {
    name: "blocked inside a feeder cut: the incident, with billing beside it",
    facts: facts({ customer: blocked, onu: onu({ status: "los", lastStatusChange: ago(15 * MIN) }), pppoe: noSession, incident: feederCut }),
    action: "network_incident",
    rule: "incident.pon_down",
    incident: "pon:1:0:3",
  },
  {
    name: "power fail inside an area power cut",
    facts: facts({ onu: onu({ status: "power_fail", lastStatusChange: ago(40 * MIN) }), pppoe: noSession, incident: areaPower }),
    action: "network_incident",
    rule: "incident.area_power",
    incident: "power:1:NAP-C02",
  },
  {
    name: "LOS inside a partial outage of its ODB (3 of 10)",
    facts: facts({
      onu: onu({ status: "los", lastStatusChange: ago(12 * MIN) }),
      pppoe: noSession,
      incident: incidentOf([row("HWTC0001", { status: "los", lastStatusChange: ago(12 * MIN) }), row("P1", { status: "los", lastStatusChange: ago(10 * MIN) }), row("P2", { status: "los", lastStatusChange: ago(5 * MIN) }), ...[3, 4, 5, 6, 7, 8, 9].map((i) => row(`P${i}`))]),
    }),
    action: "network_incident",
    rule: "incident.partial_los",
    incident: "odb:1:NAP-C02",
  },
  {
    name: "bare Offline inside a feeder cut belongs to it",
    facts: facts({
      onu: onu({ status: "offline", lastStatusChange: ago(14 * MIN) }),
      pppoe: noSession,
      incident: incidentOf([row("HWTC0001", { status: "offline", lastStatusChange: ago(14 * MIN) }), ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => row(`P${i}`, { status: "los", lastStatusChange: ago(15 * MIN) }))]),
    }),
    action: "network_incident",
    rule: "incident.pon_down",
    incident: "pon:1:0:3",
  },
  { name: "single LOS with healthy peers", facts: facts({ onu: onu({ status: "los", lastStatusChange: ago(25 * MIN) }), pppoe: noSession }), action: "dispatch", rule: "onu.los", confidence: "high" },
  {
    name: "two LOS on a large ODB: no incident (2 < 3), each a single LOS",
    facts: facts({
      onu: onu({ status: "los", lastStatusChange: ago(25 * MIN) }),
      pppoe: noSession,
      incident: incidentOf([row("HWTC0001", { status: "los", lastStatusChange: ago(25 * MIN) }), row("P1", { status: "los", lastStatusChange: ago(25 * MIN) }), ...[2, 3, 4, 5, 6, 7, 8, 9].map((i) => row(`P${i}`))]),
    }),
    action: "dispatch",
    rule: "onu.los",
    incident: null,
  },
  {
    name: "LOS neighbours days apart are not one event",
    facts: facts({
      onu: onu({ status: "los", lastStatusChange: ago(25 * MIN) }),
      pppoe: noSession,
      peers: { freshness: "cached", onus: losPeersLongAgo },
      incident: incidentOf([row("HWTC0001", { status: "los", lastStatusChange: ago(25 * MIN) }), row("P1", { status: "los", lastStatusChange: ago(2 * DAY) }), row("P2", { status: "los", lastStatusChange: ago(3 * DAY) }), row("P3")]),
    }),
    action: "dispatch",
    rule: "onu.los",
    incident: null,
  },
  {
    name: "bridged ONU asked for by serial: no PPPoE user, LOS still dispatches",
    facts: facts({ pppoeUser: null, pppoe: null, knownIn: ["ispcube", "smartolt"], onu: onu({ status: "los", lastStatusChange: ago(30 * MIN) }) }),
    action: "dispatch",
    rule: "onu.los",
    confidence: "high",
  },
  { name: "single power fail: the customer's power", facts: facts({ onu: onu({ status: "power_fail", lastStatusChange: ago(2 * HOUR) }), pppoe: noSession }), action: "remote", rule: "onu.power_fail" },
  { name: "bare offline: never dispatch, low confidence", facts: facts({ onu: onu({ status: "offline", lastStatusChange: ago(HOUR) }), pppoe: noSession }), action: "remote", rule: "onu.offline", confidence: "low" },
  { name: "blocked (no outage)", facts: facts({ customer: blocked, onu: onu({ status: "los" }), pppoe: noSession }), action: "billing", rule: "billing.blocked" },
  { name: "no_service", facts: facts({ customer: { ...blocked, status: "no_service", statusRaw: "no_service" } }), action: "billing", rule: "billing.no_service" },
  { name: "ONU admin-disabled", facts: facts({ onu: onu({ status: "admin_disabled", adminEnabled: false }), pppoe: noSession }), action: "billing", rule: "billing.onu_admin_disabled" },
  { name: "secret disabled", facts: facts({ pppoe: { ...noSession, secret: { ...noSession.secret, disabled: true } } }), action: "billing", rule: "billing.secret_disabled" },
  { name: "critical Rx: dispatch", facts: facts({ onu: onu({ rxPowerDbm: -27.6 }) }), action: "dispatch", rule: "optical.rx_critical" },
  { name: "critical OLT Rx: dispatch", facts: facts({ onu: onu({ oltRxPowerDbm: -29 }) }), action: "dispatch", rule: "optical.olt_rx_critical" },
  { name: "overload: dispatch (attenuator)", facts: facts({ onu: onu({ rxPowerDbm: -6 }) }), action: "dispatch", rule: "optical.overload" },
  {
    name: "2 dB drop against its median: dispatch",
    facts: facts({ onu: onu({ rxPowerDbm: -21.5, signalHistory: [1, 2, 3].map((h) => ({ at: ago(h * HOUR), rxPowerDbm: -19.2, oltRxPowerDbm: -21 })) }) }),
    action: "dispatch",
    rule: "optical.drop_vs_median",
  },
  { name: "3 dB worse than ODB peers: dispatch", facts: facts({ onu: onu({ rxPowerDbm: -22.5 }) }), action: "dispatch", rule: "optical.worse_than_odb_peers" },
  {
    name: "critical Rx with the whole ODB low: the NAP, not the drop",
    facts: facts({ onu: onu({ rxPowerDbm: -27.5 }), peers: { freshness: "cached", onus: [1, 2, 3, 4].map((i) => peer(i, { rxPowerDbm: -27 })) } }),
    action: "dispatch",
    rule: "optical.odb_low",
  },
  { name: "warning Rx only: no truck", facts: facts({ onu: onu({ rxPowerDbm: -26 }), peers: { freshness: "cached", onus: [1, 2, 3].map((i) => peer(i, { rxPowerDbm: -25.5 })) } }), action: "no_action", rule: "all_green" },
  { name: "ONU fine, no PPPoE: the router", facts: facts({ pppoe: noSession }), action: "remote", rule: "pppoe.no_session" },
  { name: "secret missing", facts: facts({ pppoe: { ...pppoe, secret: null, session: null } }), action: "remote", rule: "pppoe.secret_missing" },
  { name: "secret locked to the old router", facts: facts({ pppoe: { ...noSession, secret: { ...noSession.secret, callerId: "AA:BB:CC:00:00:01", lastCallerId: "AA:BB:CC:00:00:77" } } }), action: "remote", rule: "pppoe.new_caller_id" },
  {
    name: "flapping, ONU stable: customer equipment",
    facts: facts({ sessionHistory: { observedAt: NOW, freshness: "live", since: ago(DAY), events: [5, 20, 40].map((m) => ({ at: ago(m * MIN), kind: "login" as const })) } }),
    action: "remote",
    rule: "pppoe.flapping",
  },
  {
    name: "flapping with the ONU dropping to LOS: optics",
    facts: facts({
      sessionHistory: { observedAt: NOW, freshness: "live", since: ago(DAY), events: [5, 20, 40].map((m) => ({ at: ago(m * MIN), kind: "login" as const })) },
      onu: onu({ statusHistory: [{ at: ago(21 * MIN), status: "los" }] }),
    }),
    action: "dispatch",
    rule: "onu.unstable",
  },
  {
    name: "flapping with the ONU losing power: the customer's power",
    facts: facts({
      sessionHistory: { observedAt: NOW, freshness: "live", since: ago(DAY), events: [5, 20, 40].map((m) => ({ at: ago(m * MIN), kind: "login" as const })) },
      onu: onu({ statusHistory: [{ at: ago(21 * MIN), status: "power_fail" }] }),
    }),
    action: "remote",
    rule: "onu.unstable",
  },
  { name: "queue saturated: plan", facts: facts({ traffic: [90, 45, 0].map((s) => ({ at: ago(s), downloadBps: 49_000_000, uploadBps: 0 })) }), action: "remote", rule: "queue.saturated" },
  { name: "fixed wireless, all green on PPPoE and billing", facts: facts({ access: "fixed_wireless", onu: null, peers: null, knownIn: ["ispcube", "routeros"] }), action: "no_action", rule: "all_green", confidence: "high" },
  { name: "fixed wireless, no session: the router", facts: facts({ access: "fixed_wireless", onu: null, peers: null, pppoe: noSession }), action: "remote", rule: "pppoe.no_session" },
  {
    name: "fixed wireless ignores SmartOLT being down",
    facts: facts({ access: "fixed_wireless", onu: null, peers: null, sources: base.sources.map((s) => (s.source === "smartolt" ? { ...s, freshness: "unavailable" as const, asOf: null, reason: "timeout" } : s)) }),
    action: "no_action",
    rule: "all_green",
    confidence: "high",
  },
  { name: "fibre customer missing from SmartOLT: PPPoE and billing, medium", facts: facts({ onu: null, peers: null, pppoe: noSession }), action: "remote", rule: "pppoe.no_session", confidence: "medium" },
  {
    name: "router burst with no incident yet: no truck",
    facts: facts({ onu: onu({ status: "los", lastStatusChange: ago(10 * MIN) }), pppoe: noSession, routerLogouts: { observedAt: NOW, freshness: "live", times: [0, 5, 9, 15, 30, 44].map((s) => ago(10 * MIN + s)) } }),
    action: "network_incident",
    rule: "pppoe.disconnect_burst",
    confidence: "medium",
  },
  {
    name: "SmartOLT unavailable: medium, the router still decides",
    facts: facts({ onu: null, peers: null, pppoe: noSession, sources: base.sources.map((s) => (s.source === "smartolt" ? { ...s, freshness: "unavailable" as const, asOf: null, reason: "timeout" } : s)) }),
    action: "remote",
    rule: "pppoe.no_session",
    confidence: "medium",
  },
  {
    name: "LOS from a 2 h old cache with the router live and down: dispatch, low",
    facts: facts({
      onu: onu({ status: "los", lastStatusChange: ago(3 * HOUR), observedAt: ago(2 * HOUR), freshness: "cached" }),
      pppoe: noSession,
      sources: base.sources.map((s) => (s.source === "smartolt" ? { ...s, freshness: "cached" as const, asOf: ago(2 * HOUR), reason: "breaker open" } : s)),
    }),
    action: "dispatch",
    rule: "onu.los",
    confidence: "low",
  },
  {
    name: "LOS from a 2 h old cache alone: never dispatch on stale data",
    facts: facts({
      onu: onu({ status: "los", lastStatusChange: ago(3 * HOUR), observedAt: ago(2 * HOUR), freshness: "cached" }),
      pppoe: null,
      sources: base.sources.map((s) =>
        s.source === "smartolt" ? { ...s, freshness: "cached" as const, asOf: ago(2 * HOUR), reason: "breaker open" } : s.source === "routeros" ? { ...s, freshness: "unavailable" as const, asOf: null, reason: "timeout" } : s,
      ),
    }),
    action: "remote",
    rule: "onu.los",
    confidence: "low",
  },
  {
    name: "LOS from a 10 min old cache is fresh enough",
    facts: facts({
      onu: onu({ status: "los", lastStatusChange: ago(3 * HOUR), observedAt: ago(10 * MIN), freshness: "cached" }),
      pppoe: noSession,
      sources: base.sources.map((s) => (s.source === "smartolt" ? { ...s, freshness: "cached" as const, asOf: ago(10 * MIN), reason: null } : s)),
    }),
    action: "dispatch",
    rule: "onu.los",
    confidence: "high",
  },
  {
    name: "ISPCube unavailable: a dispatch stays, at medium",
    facts: facts({ customer: null, onu: onu({ status: "los" }), pppoe: noSession, sources: base.sources.map((s) => (s.source === "ispcube" ? { ...s, freshness: "unavailable" as const, asOf: null, reason: "breaker open" } : s)) }),
    action: "dispatch",
    rule: "onu.los",
    confidence: "medium",
  },
  {
    name: "every source unavailable: low",
    facts: facts({ customer: null, onu: null, peers: null, pppoe: null, queue: null, sources: base.sources.map((s) => ({ ...s, freshness: "unavailable" as const, asOf: null, reason: "timeout" })) }),
    action: "remote",
    rule: "freshness.unavailable",
    confidence: "low",
  },
];

for (const c of VERDICT_CASES) {
  test(`verdict: ${c.name}`, () => {
    const r = triage(c.facts, options());
    assert.equal(r.verdict.ruleId, c.rule);
    assert.equal(r.verdict.action, c.action);
    if (c.confidence) assert.equal(r.verdict.confidence, c.confidence, r.verdict.confidenceReason);
    if (c.incident !== undefined) assert.equal(r.incident?.id ?? null, c.incident);
    assert.equal(r.verdict.confidence === "high", r.verdict.confidenceReason === "", "a reason exactly when below high");
  });
}

test("hard rule: never dispatch on a blocked account, inside a mass event, or on a bare Offline", () => {
  for (const c of VERDICT_CASES) {
    const r = triage(c.facts, options());
    if (c.facts.customer?.status === "blocked" || c.facts.incident !== null || c.facts.onu?.status === "offline") {
      assert.notEqual(r.verdict.action, "dispatch", c.name);
    }
  }
});

test("blocked inside a feeder cut: both in the messages, billing finding beside the incident", () => {
  const c = VERDICT_CASES[1]!;
  const r = triage(c.facts, options());
  assert.ok(r.findings.some((f) => f.ruleId === "billing.blocked"));
  assert.match(r.verdict.agentMessage, /^Corte en PON 0\/3 de OLT-NORTE: 8\/8 ONUs en LOS.*; desde las 14:20\./);
  assert.match(r.verdict.agentMessage, /No enviar técnico; asociar al incidente\. Además: cliente bloqueado por deuda \(\$ 30\.100 vencidos\)/);
  assert.match(r.verdict.customerMessage, /corte de fibra en tu zona.*saldo pendiente/);
});

test("confidence reason names the source and its age", () => {
  const r = triage(VERDICT_CASES.find((c) => c.name.startsWith("LOS from a 2 h old cache alone"))!.facts, options());
  assert.match(r.verdict.confidenceReason, /SmartOLT en caché hace 2 h/);
  assert.match(r.verdict.confidenceReason, /RouterOS no disponible \(timeout\)/);
  assert.match(r.verdict.agentMessage, /confirmar el estado en vivo antes de enviar técnico/);
});

test("the stale-age threshold is configurable", () => {
  const c = VERDICT_CASES.find((x) => x.name.startsWith("LOS from a 10 min old cache"))!;
  const r = triage(c.facts, options({ cachedMaxAgeSmartoltS: 5 * 60 }));
  assert.equal(r.verdict.confidence, "low");
  assert.equal(r.verdict.action, "dispatch"); // the router, live, agrees the customer is down
});

// Trade words a customer must not read (§7). LOS and PON in capitals: "los" and "pon" are Spanish.
const JARGON = [/\bONU\b/i, /\bLOS\b/, /\bPON\b/, /pppoe/i, /dbm/i, /\bOLT\b/i, /\bNAP\b/i, /\bODB\b/i, /caller/i, /secret/i];

test("customer messages carry no jargon, use vos and are never empty, over every case", () => {
  for (const c of VERDICT_CASES) {
    const { customerMessage } = triage(c.facts, options()).verdict;
    assert.ok(customerMessage.length > 20, c.name);
    for (const re of JARGON) assert.doesNotMatch(customerMessage, re, `${c.name}: ${customerMessage}`);
    assert.doesNotMatch(customerMessage, /\b(usted|puedes|tienes|revisa|prueba)\b/i, `${c.name}: not vos`);
  }
});

test("agent messages fit one ticket line and start from the evidence", () => {
  for (const c of VERDICT_CASES) {
    const { agentMessage } = triage(c.facts, options()).verdict;
    assert.ok(!agentMessage.includes("\n"), c.name);
    assert.ok(agentMessage.length > 20, c.name);
  }
});

test("ticket text: user, verdict, rule, evidence with local times, thresholds and every source's freshness", () => {
  const r = triage(facts({ onu: onu({ rxPowerDbm: -27.6 }) }), options());
  const t = r.ticketText;
  assert.match(t, /^Diagnóstico Beholder: juan\.perez \(02\/12\/2026 14:35, America\/Argentina\/Buenos_Aires\)/);
  assert.match(t, /Veredicto: enviar técnico \(regla optical\.rx_critical\)/);
  assert.match(t, /SmartOLT onu\.rx_power_dbm = -27\.60 \(02\/12\/2026 14:34, en vivo\)/);
  assert.match(t, /umbral onu_rx_critical_dbm = -27 dBm/);
  assert.match(t, /Fuentes: ISPCube en vivo hace 2 s; SmartOLT en vivo hace 2 s; RouterOS en vivo hace 2 s/);
});

test("times follow the configured zone", () => {
  const r = triage(facts({ onu: onu({ rxPowerDbm: -27.6 }) }), { ...options(), timeZone: "UTC" });
  assert.match(r.ticketText, /02\/12\/2026 17:35, UTC/);
});

test("triage is pure: the same facts give the same result", () => {
  for (const c of VERDICT_CASES) assert.deepEqual(triage(c.facts, options()), triage(structuredClone(c.facts), options()));
});
