import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { generateScenario } from "../../lab/scenario/generate.js";
import type { Onu, Scenario } from "../../lab/scenario/types.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";

type Mode = "username" | "name" | "auto";
const norm = (s: string | null): string => (s ?? "").trim().toLowerCase();

/** What each rule should link, worked out from the scenario itself (not from Beholder). */
function expectedLinks(world: Scenario, mode: Mode): { byUsername: number; byName: number; unlinked: number } {
  const known = new Set([
    ...world.ispcube.connections.filter((c) => c.user && !c.deleteDate).map((c) => norm(c.user)),
    ...world.routers.flatMap((r) => r.secrets.map((s) => norm(s.name))),
  ]);
  let byUsername = 0;
  let byName = 0;
  for (const o of world.smartolt.onus) {
    if (mode !== "name" && o.username) byUsername++;
    else if (mode === "name" && norm(o.name) !== "") byName++;
    else if (mode === "auto" && known.has(norm(o.name))) byName++;
  }
  return { byUsername, byName, unlinked: world.smartolt.onus.length - byUsername - byName };
}

async function inventory(env: LabAndServer): Promise<void> {
  await (await env.srv.app.sync.runner.start("inventory")).handle.done;
}

async function onuLinks(env: LabAndServer): Promise<{ mode: string; byUsername: number; byName: number; unlinked: number }> {
  const sync = createClient(SyncService, createGrpcTransport({ baseUrl: env.srv.url }));
  const status = await sync.getSyncStatus({}, { headers: { "x-api-key": env.srv.adminKey } });
  const l = status.onuLinks;
  assert.ok(l, "GetSyncStatus reports the ONU links after an inventory");
  assert.ok(l.asOf, "with the time of the join");
  return { mode: l.mode, byUsername: Number(l.byUsername), byName: Number(l.byName), unlinked: Number(l.unlinked) };
}

describe("the ONU ↔ PPPoE link (SMARTOLT_ONU_LINK) through the lab, the sync and the server", () => {
  // Half the ONUs bridged (no username); names after the PPPoE user for the newer ONUs, the
  // customer's name for the older ones; some typed in capitals or with a trailing space.
  const world = generateScenario({ subscribers: 240, seed: "onu-link", onuNaming: "mixed", bridgedShare: 0.5 });
  const bridgedNamedAfterUser = (o: Onu): boolean => o.username === null && /^[a-z.]+\d{6}$/.test(norm(o.name)) && o.name !== norm(o.name);
  const target = world.smartolt.onus.find(bridgedNamedAfterUser);
  const customerNamed = world.smartolt.onus.find((o) => o.username === null && /\s/.test(o.name.trim()));

  test("the generated world has every shape the rules must tell apart", () => {
    assert.ok(target, "a bridged ONU whose name is its PPPoE user, typed in capitals or with a space");
    assert.ok(customerNamed, "a bridged ONU named after the customer");
    assert.ok(world.smartolt.onus.some((o) => o.username !== null), "ONUs with a username");
  });

  for (const mode of ["auto", "username", "name"] as const) {
    describe(`SMARTOLT_ONU_LINK=${mode}`, () => {
      let env: LabAndServer;
      before(async () => {
        env = await startLabAndServer(world, { SMARTOLT_ONU_LINK: mode });
        await inventory(env);
      });
      after(() => env.close());

      test("GetSyncStatus counts the ONUs linked by each field and those linked to nothing", async () => {
        const expected = expectedLinks(world, mode);
        assert.deepEqual(await onuLinks(env), { mode, ...expected });
        if (mode === "auto") assert.ok(expected.byName > 0 && expected.byUsername > 0 && expected.unlinked > 0);
        if (mode === "username") assert.equal(expected.byName, 0);
        const finished = env.srv.logs.filter((l) => l.msg === "sync finished").at(-1);
        assert.deepEqual(finished?.onuLinks, { byUsername: expected.byUsername, byName: expected.byName, unlinked: expected.unlinked }, "the sync log line says it too");
      });

      test("the diagnosis of a bridged subscriber reads the ONU named after them, or says there is none", async () => {
        assert.ok(target);
        const user = norm(target.name);
        const diagnosis = createClient(DiagnosisService, createConnectTransport({ baseUrl: env.srv.url, httpVersion: "1.1" }));
        const d = (await diagnosis.getDiagnosis({ pppoeUser: user }, { headers: { "x-api-key": env.srv.readKey } })).diagnosis;
        assert.equal(d?.pppoeUser, user);
        if (mode === "username") assert.equal(d?.onu, undefined, "linked only by username: no ONU");
        else assert.equal(d?.onu?.serial, target.sn);
        // The serial finds the same subscriber when the ONU is linked; search shows it on the row.
        const search = createClient(SearchService, createGrpcTransport({ baseUrl: env.srv.url }));
        const hits = await search.search({ query: user }, { headers: { "x-api-key": env.srv.readKey } });
        assert.equal(hits.results[0]?.pppoeUser, user);
        assert.equal(hits.results[0]?.onuSerial, mode === "username" ? "" : target.sn);
      });
    });
  }
});
