import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Freshness, Source } from "../../gen/beholder/v1/common_pb.js";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { FailureReason, SyncJob, SyncPhase, SyncService, type RunSyncResponse } from "../../gen/beholder/v1/sync_pb.js";
import { beholderEnvForLab } from "../../lab/beholder-env.js";
import { startLab, type Lab, type LabRouter } from "../../lab/lab.js";
import { loadScenario } from "../../lab/scenario/load.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

/**
 * Routers are their host and port. The lab's routers all listen on 127.0.0.1, each on its own port,
 * as routers behind one public address with port forwarding do. rb-sur's API port is closed
 * (connection refused), rb-norte accepts and resets; MK_HOST:MK_PORT is rb-centro's address, which
 * ISPCube's node already names.
 */
describe("routers identified by host and port: sync, status, health and the diagnosis' choice", () => {
  let lab: Lab;
  let srv: TestServer;
  let router: (name: string) => LabRouter;
  before(async () => {
    const world = await loadScenario("scenarios/triage-cases.json");
    world.faults = { routeros: { "rb-norte": { "*": { refuse: true } }, "rb-sur": { "*": { portClosed: true } } } };
    lab = await startLab({ scenario: world });
    router = (name) => {
      const r = lab.routers.find((x) => x.name === name);
      assert.ok(r, name);
      return r;
    };
    srv = await startTestServer({
      ...beholderEnvForLab(lab),
      MK_HOST: router("rb-centro").host,
      MK_PORT: String(router("rb-centro").port),
      MK_TIMEOUT_MS: "2000",
      VENDOR_RETRIES: "0",
    });
  });
  after(async () => {
    await srv?.close();
    await lab?.close();
  });

  const nodeName = (r: string): string => lab.scenario.ispcube.nodes.find((n) => n.router === r)?.comment ?? "";

  test("each address is read once; a closed port and a reset are told apart per router in RunSync, GetSyncStatus and /health", async () => {
    const sync = createClient(SyncService, createGrpcTransport({ baseUrl: srv.url }));
    const headers = { "x-api-key": srv.adminKey };
    const events: RunSyncResponse[] = [];
    for await (const e of sync.runSync({ job: SyncJob.INVENTORY }, { headers })) events.push(e);
    const done = events.filter((e) => e.source === Source.ROUTEROS).at(-1);
    assert.equal(done?.phase, SyncPhase.DONE, done?.error);
    assert.equal(done?.total, 3n, "three addresses: MK_HOST is rb-centro's, not a fourth router");
    const expected = [
      { target: nodeName("rb-norte"), host: router("rb-norte").host, port: router("rb-norte").port, reason: FailureReason.CONNECTION_RESET },
      { target: nodeName("rb-sur"), host: router("rb-sur").host, port: router("rb-sur").port, reason: FailureReason.CONNECTION_REFUSED },
    ];
    const pick = (fs: RunSyncResponse["failures"]) =>
      fs.map((f) => ({ target: f.target, host: f.host, port: f.port, reason: f.reason })).sort((a, b) => a.target.localeCompare(b.target));
    assert.deepEqual(pick(done?.failures ?? []), expected);
    assert.match(done?.error ?? "", new RegExp(`^2 of 3 routers failed: .*${nodeName("rb-sur")} at 127\\.0\\.0\\.1:${router("rb-sur").port} \\(`));

    const status = await sync.getSyncStatus({}, { headers });
    const routeros = status.jobs.find((j) => j.job === SyncJob.INVENTORY)?.lastRun?.sources.find((s) => s.source === Source.ROUTEROS);
    assert.deepEqual(pick(routeros?.failures ?? []), expected);

    type Failed = { router: string; address: string; error: string };
    const health = (await (await fetch(`${srv.url}/health`)).json()) as { components: { routeros?: { failedRouters?: Failed[] } } };
    const failed = [...(health.components.routeros?.failedRouters ?? [])].sort((a, b) => a.router.localeCompare(b.router));
    assert.deepEqual(
      failed.map((f) => [f.router, f.address]),
      expected.map((e) => [e.target, `${e.host}:${e.port}`]),
    );
    assert.match(failed[1]?.error ?? "", /connection refused/);
    assert.match(failed[0]?.error ?? "", /ECONNRESET|closed the connection/);
  });

  test("the diagnosis asks the router of the user's node, by port, though every router has the same address", async () => {
    const diagnosis = createClient(DiagnosisService, createConnectTransport({ baseUrl: srv.url, httpVersion: "1.1" }));
    const headers = { "x-api-key": srv.readKey };
    const centro = (await diagnosis.getDiagnosis({ pppoeUser: "gomez.lucia" }, { headers })).diagnosis;
    assert.deepEqual([centro?.router?.host, centro?.router?.port], [router("rb-centro").host, router("rb-centro").port]);
    assert.equal(centro?.sources.find((s) => s.source === Source.ROUTEROS)?.freshness, Freshness.LIVE);
    // acosta.raul's secret is on rb-sur, whose port is closed: the node's router, not MK_HOST's.
    const sur = (await diagnosis.getDiagnosis({ pppoeUser: "acosta.raul" }, { headers })).diagnosis;
    assert.deepEqual([sur?.router?.host, sur?.router?.port], [router("rb-sur").host, router("rb-sur").port]);
    assert.notEqual(sur?.sources.find((s) => s.source === Source.ROUTEROS)?.freshness, Freshness.LIVE);
  });
});
