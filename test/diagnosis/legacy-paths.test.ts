import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";

/**
 * The old paths the React front end calls, with the exact keys it reads (OutputBox.tsx of the old
 * system) and the old systems' value formats.
 */
describe("old paths: GET /diagnosis, /search, /live with x-api-key", () => {
  let env: DiagnosisLab;
  before(async () => {
    // SmartOLT read live, as the old system always did: its signal string carries the fibre distance.
    env = await startDiagnosisLab("scenarios/triage-cases.json", { DIAG_SMARTOLT_LIVE_AFTER_S: "0" });
  });
  after(() => env.close());

  async function get(path: string, key: string | null = env.srv.readKey): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${env.srv.url}${path}`, { headers: key ? { "x-api-key": key } : {} });
    return { status: res.status, body: await res.json(), headers: res.headers };
  }

  test("a diagnosis carries every key the old screen reads, in the old formats, and the verdict under beholder", async () => {
    const { status, body, headers } = await get("/diagnosis/gomez.lucia");
    assert.equal(status, 200);
    assert.equal(headers.get("deprecation"), "true");
    const rbCentro = env.lab.routers.find((r) => r.name === "rb-centro");
    assert.equal(body.cliente_nombre, "GÓMEZ LUCÍA BELÉN");
    assert.equal(body.direccion, "Bv. España 1450");
    assert.equal(body.plan, "FIBRA 100 MEGAS");
    assert.equal(typeof body.nodo_nombre, "string");
    assert.ok(body.nodo_nombre.length > 0);
    assert.equal(body.nodo_ip, rbCentro?.host);
    assert.equal(body.OLT, "OLT-CENTRO");
    assert.equal(body.pppoe_username, "gomez.lucia");
    assert.equal(body.mikrotik.active, true);
    // RouterOS interval notation, e.g. 3d4h0m12s written as 3d4h12s.
    assert.match(body.mikrotik.uptime, /^3d4h(\d+m)?(\d+s)?$/);
    assert.match(body.mikrotik.secret["last-logged-out"], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(body.mikrotik.secret.password, undefined, "passwords are never read");
    assert.equal(body.onu_sn, "HWTC1A2B3C01");
    assert.equal(body.onu_status_smrt.onu_status, "Online");
    assert.match(body.onu_status_smrt.last_status_change, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(body.onu_signal_smrt.onu_signal, "Very good");
    const distance = env.lab.scenario.smartolt.onus.find((o) => o.sn === "HWTC1A2B3C01")?.distanceM;
    assert.equal(body.onu_signal_smrt.onu_signal_value, `-19.20 dBm / -21.40 dBm (${distance}m)`);
    assert.equal(body.beholder.action, "no_action");
    assert.equal(body.beholder.rule_id, "all_green");
    assert.ok(body.beholder.agent_message.length > 0);
    assert.deepEqual(
      body.beholder.sources.map((s: { source: string }) => s.source),
      ["ispcube", "smartolt", "routeros"],
    );
  });

  test("no session: active false with the secret's last logout; unlinked: No Vinculado", async () => {
    const camila = (await get("/diagnosis/ruiz.camila")).body;
    assert.equal(camila.mikrotik.active, false);
    assert.match(camila.mikrotik.secret["last-logged-out"], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(camila.beholder.rule_id, "pppoe.no_session");
    const unlinked = (await get("/diagnosis/prueba.tecnico")).body;
    assert.equal(unlinked.cliente_nombre, "No Vinculado (SIN CLIENTE)");
    assert.equal(unlinked.direccion, "N/A");
    assert.equal(unlinked.onu_sn, "N/A");
    assert.deepEqual(unlinked.onu_status_smrt, { status: false, error: "Sin ONU asociada" });
  });

  test("errors: no key 401, unknown user 404 with suggestions, both in the old {detail} shape", async () => {
    const anonymous = await get("/diagnosis/gomez.lucia", null);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.body.detail, /^missing API key/);
    const unknown = await get("/diagnosis/perez.mari");
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.detail, /did you mean "perez\.maria"/);
  });

  test("the same rate limit as the read RPCs: each call spends one from the key's budget", async () => {
    const a = Number((await get("/search?q=gomez")).headers.get("x-ratelimit-remaining"));
    const b = Number((await get("/diagnosis/gomez.lucia")).headers.get("x-ratelimit-remaining"));
    assert.equal(b, a - 1);
  });

  test("search rows: pppoe, nombre, direccion, id, origen", async () => {
    const { status, body } = await get("/search?q=gomez");
    assert.equal(status, 200);
    const row = body.find((r: { pppoe: string }) => r.pppoe === "gomez.lucia");
    assert.deepEqual(row, { pppoe: "gomez.lucia", nombre: "GÓMEZ LUCÍA BELÉN", direccion: "Bv. España 1450", id: 101, origen: "ispcube" });
    const mk = (await get("/search?q=prueba.tecnico")).body[0];
    assert.deepEqual(mk, { pppoe: "prueba.tecnico", nombre: "No Vinculado", direccion: "MK: SIN CLIENTE", id: 0, origen: "mikrotik" });
    assert.deepEqual((await get("/search?q=ab")).body, [], "the old endpoint answered short queries with []");
  });

  test("live: status, download_mbps, upload_mbps", async () => {
    const { body } = await get("/live/navarro.julieta");
    assert.equal(body.status, "ok");
    assert.equal(body.download_mbps, 48.9);
    assert.equal(body.upload_mbps, 2.1);
    const none = (await get("/live/ruiz.camila")).body;
    assert.equal(none.status, "error");
    assert.equal(typeof none.detail, "string");
  });
});
