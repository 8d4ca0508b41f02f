import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { CachedOnu } from "../../src/cache/diagnosis-reads.js";
import type { Customer } from "../../src/domain/types.js";
import { applyReadings, subjectOf } from "../../src/diagnosis/watch/readings.js";
import type { Gathered } from "../../src/diagnosis/types.js";

const t0 = new Date("2026-03-10T18:00:00Z");
const t1 = new Date("2026-03-10T18:00:12Z");
const customer: Customer = {
  id: 113, code: "000113", name: "Pérez María", docNumber: null, address: null, city: null, status: "enabled", statusRaw: "Habilitado",
  debt: "0.00", dueDebt: "0.00", phones: [], emails: [], blockedAt: null, createdAt: null, deleted: false,
};
const onu: CachedOnu = {
  externalId: "HWTC0000A1", serial: "HWTC0000A1", oltId: "1", oltName: "OLT Centro", board: 0, port: 3, onuIndex: 7, zoneId: null, zoneName: null,
  odbName: "NAP-0001", name: "perez.maria", address: null, pppoeUser: "perez.maria", status: "online", adminEnabled: true,
  lastStatusChange: t0, rxPowerDbm: -20.1, oltRxPowerDbm: -22.4, signalCategory: "Very good", vlans: [], onuType: "", mode: "Routing", distanceM: null,
  statusObservedAt: t0, signalObservedAt: t0,
};
const gathered: Gathered = {
  target: { kind: "onu_serial", value: "HWTC0000A1" },
  pppoeUser: "perez.maria",
  knownIn: ["ispcube", "smartolt", "routeros"],
  customer,
  connection: null,
  plan: null,
  router: { name: "rb-centro", host: "127.0.0.1", port: 8728, nodeId: 3, via: "secret" },
  pppoe: {
    secret: null,
    session: { name: "perez.maria", address: "10.0.0.2", callerId: "AA:BB:CC:00:11:22", uptimeS: 60, service: "pppoe", sessionId: "0x1" },
    queue: undefined,
    traffic: { downloadBps: 1, uploadBps: 1, at: t0 },
    logs: undefined,
  },
  cachedSecret: null,
  onu: { onu, statusAt: t0, signalAt: t0 },
  sources: [
    { source: "smartolt", freshness: "cached", asOf: t0, reason: "rate_limited", detail: "budget", latencyMs: null },
    { source: "routeros", freshness: "live", asOf: t0, reason: null, detail: "", latencyMs: 30 },
  ],
};

describe("watch: readings over the first gather", () => {
  test("the subject is keyed by PPPoE user whatever identifier was asked, with the ONU's place and the router", () => {
    const s = subjectOf(gathered);
    assert.equal(s.key, "user:perez.maria");
    assert.deepEqual(s.onu, { externalId: "HWTC0000A1", oltId: "1", board: 0, port: 3 });
    assert.deepEqual(s.router, { name: "rb-centro", host: "127.0.0.1", port: 8728, nodeId: 3 });
    assert.equal(s.customerId, 113);
    assert.equal(subjectOf({ ...gathered, pppoeUser: null }).key, "onu:HWTC0000A1");
    assert.equal(subjectOf({ ...gathered, pppoeUser: null, onu: null }).key, "customer:113");
  });

  test("no readings: the gather unchanged", () => {
    assert.deepEqual(applyReadings(gathered, {}), gathered);
  });

  test("an ONU status reading replaces status and change time, and makes SmartOLT live as of the read", () => {
    const g = applyReadings(gathered, { onuStatus: { status: "los", lastStatusChange: t1, at: t1 } });
    assert.equal(g.onu?.onu.status, "los");
    assert.equal(g.onu?.onu.lastStatusChange, t1);
    assert.equal(g.onu?.statusAt, t1);
    assert.equal(g.onu?.onu.rxPowerDbm, -20.1);
    assert.deepEqual(g.sources.find((s) => s.source === "smartolt"), { source: "smartolt", freshness: "live", asOf: t1, reason: null, detail: "", latencyMs: null });
    assert.equal(gathered.onu?.onu.status, "online", "the input is not modified");
  });

  test("a session that ended drops the session and its traffic; the new secret comes along", () => {
    const secret = { name: "perez.maria", profile: "p", service: "pppoe", disabled: false, remoteAddress: null, callerId: null, lastLoggedOut: t1, lastCallerId: null, lastDisconnectReason: "peer-request", comment: null };
    const g = applyReadings(gathered, { pppoe: { session: null, secret, at: t1 }, traffic: { downloadBps: 9, uploadBps: 9, at: t1 } });
    assert.equal(g.pppoe.session, null);
    assert.equal(g.pppoe.traffic, null);
    assert.equal(g.pppoe.secret?.lastDisconnectReason, "peer-request");
    assert.equal(g.sources.find((s) => s.source === "routeros")?.asOf, t1);
  });

  test("customer and traffic readings; a source the gather lacked is added", () => {
    const g = applyReadings(gathered, { customer: { customer: { ...customer, status: "blocked" }, at: t1 }, traffic: { downloadBps: 9, uploadBps: 8, at: t1 } });
    assert.equal(g.customer?.status, "blocked");
    assert.deepEqual(g.pppoe.traffic, { downloadBps: 9, uploadBps: 8, at: t1 });
    assert.equal(g.sources.find((s) => s.source === "ispcube")?.freshness, "live");
  });
});
