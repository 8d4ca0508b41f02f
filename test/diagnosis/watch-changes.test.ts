import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Action, DiagnosisSchema, Severity } from "../../gen/beholder/v1/diagnosis_pb.js";
import { CustomerStatus, Freshness, OnuStatus, Source } from "../../gen/beholder/v1/common_pb.js";
import { changedFields, OBSERVED_FIELDS } from "../../src/diagnosis/watch/changes.js";
import { createMailbox } from "../../src/diagnosis/watch/mailbox.js";

type Init = MessageInitShape<typeof DiagnosisSchema>;

const base = {
  pppoeUser: "perez.maria",
  generatedAt: timestampFromMs(1_000),
  customer: { status: CustomerStatus.ENABLED, debt: { amount: "0.00" } },
  onu: { status: OnuStatus.ONLINE, lastStatusChange: timestampFromMs(500), rxPowerDbm: -20.1, oltRxPowerDbm: -22.4, signalCategory: "Very good", adminEnabled: true },
  session: { sessionId: "0x81000001", address: "10.0.0.2", callerId: "AA:BB:CC:00:11:22", uptime: { seconds: 60n } },
  secret: { disabled: false },
  verdict: { action: Action.NO_ACTION, ruleId: "healthy" },
  findings: [],
  sources: [{ source: Source.SMARTOLT, freshness: Freshness.LIVE, asOf: timestampFromMs(900) }],
} satisfies Init;
const d = (patch: Partial<Init>): ReturnType<typeof create<typeof DiagnosisSchema>> => create(DiagnosisSchema, { ...base, ...patch } as Init);

describe("watch: changed fields", () => {
  const cases: Array<{ name: string; after: Partial<Init>; fields: string[] }> = [
    { name: "nothing observable: no change", after: {}, fields: [] },
    { name: "a rebuild later (generated_at, took) is not a change", after: { generatedAt: timestampFromMs(9_000), took: { nanos: 5_000_000 } }, fields: [] },
    { name: "session uptime alone is not a change", after: { session: { ...base.session, uptime: { seconds: 120n } } }, fields: [] },
    { name: "source as_of alone is not a change", after: { sources: [{ source: Source.SMARTOLT, freshness: Freshness.LIVE, asOf: timestampFromMs(5_000) }] }, fields: [] },
    {
      name: "ONU to LOS",
      after: { onu: { ...base.onu, status: OnuStatus.LOS, lastStatusChange: timestampFromMs(2_000) }, verdict: { action: Action.DISPATCH, ruleId: "onu.los_single" } },
      fields: ["onu.status", "onu.last_status_change", "verdict.action", "verdict.rule_id"],
    },
    { name: "levels", after: { onu: { ...base.onu, rxPowerDbm: -27.5, signalCategory: "Warning" } }, fields: ["onu.rx_power_dbm", "onu.signal_category"] },
    { name: "session down", after: { session: undefined, secret: { disabled: false, lastLoggedOut: timestampFromMs(3_000), lastDisconnectReason: "peer-request" } }, fields: ["session", "secret.last_logged_out", "secret.last_disconnect_reason"] },
    { name: "a new session", after: { session: { ...base.session, sessionId: "0x81000002" } }, fields: ["session"] },
    { name: "customer blocked", after: { customer: { status: CustomerStatus.BLOCKED, debt: { amount: "30100.00" } } }, fields: ["customer.status", "customer.debt"] },
    { name: "a finding appears", after: { findings: [{ ruleId: "optical.rx_warning", severity: Severity.WARNING }] }, fields: ["findings"] },
    { name: "an incident starts", after: { incident: { id: "pon:1:0:3", onusAffected: 12 } }, fields: ["incident"] },
    { name: "a source goes unavailable", after: { sources: [{ source: Source.SMARTOLT, freshness: Freshness.UNAVAILABLE }] }, fields: ["sources"] },
    { name: "a traffic sample", after: { traffic: { downloadBps: 5_000_000n, uploadBps: 1_000_000n, measuredAt: timestampFromMs(4_000) } }, fields: ["traffic"] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const fields = changedFields(d({}), d(c.after));
      assert.deepEqual(fields, c.fields);
      for (const f of fields) assert.ok(OBSERVED_FIELDS.includes(f));
    });
  }
});

describe("watch: mailbox", () => {
  test("a slow reader gets the newest diagnosis and every field that changed meanwhile", async () => {
    const box = createMailbox();
    box.push({ diagnosis: d({ pppoeUser: "a" }), changedFields: ["onu.status"] });
    box.push({ diagnosis: d({ pppoeUser: "b" }), changedFields: ["session", "onu.status"] });
    const got = await box.next(new AbortController().signal);
    assert.equal(got?.diagnosis.pppoeUser, "b");
    assert.deepEqual(got?.changedFields, ["onu.status", "session"]);
  });

  test("a waiting reader wakes on push, and gets undefined on abort or close", async () => {
    const box = createMailbox();
    const waiting = box.next(new AbortController().signal);
    box.push({ diagnosis: d({}), changedFields: ["session"] });
    assert.deepEqual((await waiting)?.changedFields, ["session"]);
    const ac = new AbortController();
    const aborted = box.next(ac.signal);
    ac.abort();
    assert.equal(await aborted, undefined);
    const closing = box.next(new AbortController().signal);
    box.close();
    assert.equal(await closing, undefined);
    box.push({ diagnosis: d({}), changedFields: ["session"] });
    assert.equal(await box.next(new AbortController().signal), undefined);
  });
});
