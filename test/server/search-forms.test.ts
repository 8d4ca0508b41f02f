import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { SearchService, SessionState, type SearchResult } from "../../gen/beholder/v1/search_pb.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";
import { queryCache } from "../helpers/sqlite.js";

/**
 * What agents type into search (issue 10), through the real server on a real port (Connect JSON over
 * HTTP/1.1) after a real inventory sync from the lab's triage cases. perez.maria's CRM record holds
 * `+54 9 353 4765432`, DNI 29334501 and `mariajose.perez@gmail.com`; her ONU is HWTC2B3C4D03.
 */
describe("search: what agents type", () => {
  let env: LabAndServer;
  let search: Client<typeof SearchService>;
  let headers: Record<string, string>;
  before(async () => {
    env = await startLabAndServer("scenarios/triage-cases.json");
    const run = await env.srv.app.sync.runner.start("inventory");
    await run.handle.done;
    search = createClient(SearchService, createConnectTransport({ baseUrl: env.srv.url, httpVersion: "1.1" }));
    headers = { "x-api-key": env.srv.readKey };
  });
  after(() => env.close());

  const first = async (query: string): Promise<SearchResult | undefined> => (await search.search({ query }, { headers })).results[0];

  for (const query of ["+54 9 353 4765432", "3534765432", "353 4765432", "353-4765432", "0353 154765432", "0353 15 476-5432", "4765432"]) {
    test(`the phone typed as ${JSON.stringify(query)} finds the customer`, async () => {
      const r = await first(query);
      assert.deepEqual([r?.pppoeUser, r?.matchedField], ["perez.maria", "phones"]);
    });
  }

  test("a phone stored with the trunk 0 and the old 15 is found by its plain ten digits", async () => {
    const r = await first("3534302211");
    assert.deepEqual([r?.pppoeUser, r?.phones], ["munoz.jorge", ["0353 15 430-2211"]]);
  });

  test("a CUIT/CUIL finds the customer stored by DNI, and a DNI finds the customer stored by CUIT", async () => {
    const byCuit = await first("27-29334501-4");
    assert.deepEqual([byCuit?.pppoeUser, byCuit?.matchedField], ["perez.maria", "doc_number"]);
    const byDni = await first("16220987");
    assert.deepEqual([byDni?.pppoeUser, byDni?.docNumber, byDni?.matchedField], ["fernandez.hugo", "20-16220987-7", "doc_number"]);
  });

  test("a serial's hex tail finds the ONU's subscriber", async () => {
    const r = await first("2B3C4D03");
    assert.deepEqual([r?.pppoeUser, r?.onuSerial, r?.matchedField], ["perez.maria", "HWTC2B3C4D03", "onu_serial"]);
  });

  test("an e-mail finds the customer, whatever its case", async () => {
    const r = await first("mariajose.perez@gmail.com");
    assert.deepEqual([r?.pppoeUser, r?.matchedField], ["perez.maria", "emails"]);
    const upper = await first("tomassilva@gmail.com");
    assert.deepEqual([upper?.pppoeUser, upper?.emails], ["silva.tomas", ["TomasSilva@Gmail.com"]]);
  });

  test("a PPPoE user prefix ranks first and says so; an address match says address", async () => {
    const r = await first("perez.ma");
    assert.deepEqual([r?.pppoeUser, r?.matchedField], ["perez.maria", "pppoe_user"]);
    const street = (await search.search({ query: "entre rios" }, { headers })).results;
    assert.ok(street.length >= 2, "several customers live on Entre Ríos");
    assert.deepEqual(new Set(street.map((s) => s.matchedField)), new Set(["address"]));
  });

  test("a result carries phone, e-mail, city, plan and router", async () => {
    const r = await first("perez.maria");
    const [router] = queryCache(env.srv.app.config.db.path, "select name from router where node_id = 1") as { name: string }[];
    assert.deepEqual(
      { phones: r?.phones, emails: r?.emails, city: r?.city, plan: r?.plan, router: r?.router },
      { phones: ["+54 9 353 4765432"], emails: ["mariajose.perez@gmail.com"], city: "Villa María", plan: "FIBRA 100 MEGAS", router: router?.name },
    );
    assert.equal(r?.session, SessionState.UNSPECIFIED, "no status job has read the routers' sessions yet");
  });

  test("after a status job, a result says whether the PPPoE session is up, and as of when", async () => {
    const started = new Date();
    const run = await env.srv.app.sync.runner.start("status");
    const record = await run.handle.done;
    const routeros = record.sources.find((s) => s.source === "routeros");
    assert.equal(routeros?.outcome, "done", JSON.stringify(routeros));
    assert.equal(routeros?.failures?.length, 1, "rb-norte refuses the API");
    const up = await first("gomez.lucia");
    assert.equal(up?.session, SessionState.UP);
    assert.ok(up?.sessionAsOf && Number(up.sessionAsOf.seconds) * 1000 >= started.getTime() - 1000);
    assert.equal((await first("perez.maria"))?.session, SessionState.DOWN, "her ONU is in LOS: no session");
    assert.equal((await first("paz.gabriel"))?.session, SessionState.UNSPECIFIED, "rb-norte was never read");
  });

  test("the old GET /search?q= finds by phone too", async () => {
    const res = await fetch(`${env.srv.url}/search?q=${encodeURIComponent("0353 15 476-5432")}`, { headers });
    assert.equal(res.status, 200);
    const rows = (await res.json()) as { pppoe: string; nombre: string }[];
    assert.deepEqual(rows[0], { pppoe: "perez.maria", nombre: "PÉREZ MARÍA JOSÉ", direccion: "Entre Ríos 517", id: 108, origen: "ispcube" });
  });
});
