import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { Freshness, Source } from "../../gen/beholder/v1/common_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetDiagnosisRequestSchema } from "../../gen/beholder/v1/diagnosis_pb.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";

async function rejectsWith(p: Promise<unknown>, code: Code, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    const e = ConnectError.from(err);
    assert.equal(e.code, code, e.rawMessage);
    if (typeof message === "string") assert.equal(e.rawMessage, message);
    else assert.match(e.rawMessage, message);
    return true;
  });
}

describe("GetDiagnosis: who is asked about (triage-cases, through the server)", () => {
  let env: DiagnosisLab;
  before(async () => {
    env = await startDiagnosisLab("scenarios/triage-cases.json");
  });
  after(() => env.close());

  const diagnose = (req: MessageInitShape<typeof GetDiagnosisRequestSchema>) => env.client.getDiagnosis(req, { headers: env.headers });

  test("a PPPoE user (trimmed, any case), its ONU serial and its customer code name the same subscriber", async () => {
    const byUser = await diagnose({ pppoeUser: "  Gomez.LUCIA " });
    const bySerial = await diagnose({ onuSerial: "hwtc1a2b3c01" });
    const byCode = await diagnose({ customerCode: "101" });
    for (const r of [byUser, bySerial, byCode]) {
      const d = r.diagnosis;
      assert.equal(d?.pppoeUser, "gomez.lucia");
      assert.equal(d?.customer?.code, "000101");
      assert.equal(d?.onu?.serial, "HWTC1A2B3C01");
      assert.deepEqual(d?.knownIn, [Source.ISPCUBE, Source.SMARTOLT, Source.ROUTEROS]);
    }
    const d = byUser.diagnosis;
    const rbCentro = env.lab.routers.find((r) => r.name === "rb-centro");
    assert.equal(d?.router?.host, rbCentro?.host);
    assert.equal(d?.router?.port, rbCentro?.port, "the router holding the secret, by host and port");
    assert.equal(d?.session?.callerId, "50:C7:BF:11:22:01");
    assert.equal(d?.plan?.name, "FIBRA 100 MEGAS");
    const fresh = new Map(d?.sources.map((s) => [s.source, s.freshness]));
    assert.equal(fresh.get(Source.ISPCUBE), Freshness.LIVE);
    assert.equal(fresh.get(Source.ROUTEROS), Freshness.LIVE);
    // The status job has just run: SmartOLT's shared budget is not spent on a live read.
    assert.equal(fresh.get(Source.SMARTOLT), Freshness.CACHED);
    assert.ok(d?.verdict && d.verdict.ruleId !== "", "a verdict with its rule");
  });

  test("a bridged ONU without PPPoE user is found by its serial and diagnosed on the ONU alone", async () => {
    const d = (await diagnose({ onuSerial: "ZTEG4D5E6F02" })).diagnosis;
    assert.equal(d?.pppoeUser, "");
    assert.equal(d?.onu?.mode, "Bridging");
    assert.deepEqual(d?.knownIn, [Source.SMARTOLT]);
    // Nothing else holds it: ISPCube and RouterOS answer "not there" from the cached inventory.
    assert.deepEqual(d?.sources.map((s) => [s.source, s.freshness]), [
      [Source.ISPCUBE, Freshness.CACHED],
      [Source.SMARTOLT, Freshness.CACHED],
      [Source.ROUTEROS, Freshness.CACHED],
    ]);
    assert.ok(d?.findings.some((f) => f.ruleId === "link.unlinked"));
  });

  test("unlinked subscribers: a secret only, ISPCube only", async () => {
    const secretOnly = (await diagnose({ pppoeUser: "prueba.tecnico" })).diagnosis;
    assert.deepEqual(secretOnly?.knownIn, [Source.ROUTEROS]);
    assert.equal(secretOnly?.customer, undefined);
    const ispOnly = (await diagnose({ pppoeUser: "ojeda.valeria" })).diagnosis;
    assert.deepEqual(ispOnly?.knownIn, [Source.ISPCUBE]);
    // No secret anywhere: the ISPCube node of the connection is asked, and has none.
    const rbSur = env.lab.routers.find((r) => r.name === "rb-sur");
    assert.equal(ispOnly?.router?.port, rbSur?.port);
    assert.equal(ispOnly?.secret, undefined);
  });

  test("a customer added since the inventory is found live in ISPCube by its code", async () => {
    const model = env.lab.scenario.ispcube.customers[0];
    assert.ok(model);
    env.lab.scenario.ispcube.customers.push({ ...model, id: 9901, code: "009901", name: "NUEVA CLIENTA" });
    const d = (await diagnose({ customerCode: "9901" })).diagnosis;
    assert.equal(d?.customer?.name, "NUEVA CLIENTA");
    assert.deepEqual(d?.knownIn, [Source.ISPCUBE]);
    assert.equal(d?.sources.find((s) => s.source === Source.ISPCUBE)?.freshness, Freshness.LIVE);
  });

  test("exactly one identifier: none or two is InvalidArgument; malformed ones too", async () => {
    const rule = "exactly one of pppoe_user, onu_serial and customer_code must be set";
    await rejectsWith(diagnose({}), Code.InvalidArgument, rule);
    await rejectsWith(diagnose({ pppoeUser: "  " }), Code.InvalidArgument, rule);
    await rejectsWith(diagnose({ pppoeUser: "gomez.lucia", onuSerial: "HWTC1A2B3C01" }), Code.InvalidArgument, rule);
    await rejectsWith(diagnose({ onuSerial: "HWTC 1A2B" }), Code.InvalidArgument, "onu_serial must be 4 to 32 letters, digits or dashes");
    await rejectsWith(diagnose({ customerCode: "10;1" }), Code.InvalidArgument, "customer_code must be 1 to 20 letters, digits or dashes");
    await rejectsWith(diagnose({ pppoeUser: "x".repeat(65) }), Code.InvalidArgument, "pppoe_user must be 1 to 64 characters");
  });

  test("nobody in any system is NotFound with up to three close matches", async () => {
    await rejectsWith(
      diagnose({ pppoeUser: "perez.mari" }),
      Code.NotFound,
      'no subscriber with pppoe_user "perez.mari" in ispcube, smartolt or the routers; did you mean "perez.maria"?',
    );
    await rejectsWith(diagnose({ pppoeUser: "gomez.lucas" }), Code.NotFound, /; did you mean "gomez\.lucia"/);
    await rejectsWith(diagnose({ onuSerial: "XXXX00000000" }), Code.NotFound, 'no subscriber with onu_serial "XXXX00000000" in ispcube, smartolt or the routers');
    const e = await diagnose({ pppoeUser: "martinez" }).catch((err: unknown) => ConnectError.from(err));
    assert.ok(e instanceof ConnectError && e.code === Code.NotFound);
    const suggested = [...e.rawMessage.matchAll(/"([^"]+)"/g)].slice(1);
    assert.ok(suggested.length >= 1 && suggested.length <= 3, e.rawMessage);
  });

  test("GetLiveTraffic: the router's monitor-traffic once, the plan beside it", async () => {
    const r = await env.client.getLiveTraffic({ pppoeUser: "navarro.julieta" }, { headers: env.headers });
    const lab = env.lab.scenario.routers.flatMap((x) => x.traffic).find((t) => t.name === "navarro.julieta");
    assert.equal(r.source?.freshness, Freshness.LIVE);
    assert.equal(Number(r.traffic?.downloadBps), Math.round(lab?.downloadBps ?? -1));
    assert.equal(r.plan?.downloadKbps, 50000n);
    const none = await env.client.getLiveTraffic({ pppoeUser: "ruiz.camila" }, { headers: env.headers });
    assert.equal(none.traffic, undefined, "no session, no traffic");
    assert.equal(none.source?.detail, "no active PPPoE session");
    await rejectsWith(env.client.getLiveTraffic({}, { headers: env.headers }), Code.InvalidArgument, "exactly one of pppoe_user, onu_serial and customer_code must be set");
  });

  test("secrets never reach a response or a log", async () => {
    const r = await diagnose({ pppoeUser: "gomez.lucia", includeTraffic: true });
    const text = JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    for (const secret of ["pw-", env.lab.routers[0]?.password ?? "", env.lab.ispcube.password, env.lab.smartolt.token]) {
      assert.ok(!text.includes(secret), `response holds ${secret}`);
      assert.ok(!env.srv.logText().includes(secret), `log holds ${secret}`);
    }
  });
});
