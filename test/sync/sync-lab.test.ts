import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Source } from "../../gen/beholder/v1/common_pb.js";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncJob, SyncPhase, SyncService, type RunSyncResponse } from "../../gen/beholder/v1/sync_pb.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";
import { queryCache } from "../helpers/sqlite.js";

function count(env: LabAndServer, table: string): number {
  return (queryCache(env.srv.app.config.db.path, `select count(*) as n from ${table}`)[0] as { n: number }).n;
}

async function runSync(env: LabAndServer, job: SyncJob, sources: Source[] = []): Promise<RunSyncResponse[]> {
  const sync = createClient(SyncService, createGrpcTransport({ baseUrl: env.srv.url }));
  const events: RunSyncResponse[] = [];
  for await (const e of sync.runSync({ job, sources }, { headers: { "x-api-key": env.srv.adminKey } })) events.push(e);
  return events;
}

describe("inventory sync against the lab (triage-cases)", () => {
  let env: LabAndServer;
  before(async () => {
    // Searches here go through a worker thread (SEARCH_WORKERS), the other server tests stay on the event loop.
    env = await startLabAndServer("scenarios/triage-cases.json", { SEARCH_WORKERS: "1" });
  });
  after(() => env.close());

  test("a full sync loads exactly the scenario's counts; a refusing router fails only its own secrets", async () => {
    const events = await runSync(env, SyncJob.INVENTORY);
    const final = new Map(events.filter((e) => [SyncPhase.DONE, SyncPhase.FAILED, SyncPhase.SKIPPED].includes(e.phase)).map((e) => [e.source, e]));
    assert.equal(final.get(Source.ISPCUBE)?.phase, SyncPhase.DONE, final.get(Source.ISPCUBE)?.error);
    assert.equal(final.get(Source.SMARTOLT)?.phase, SyncPhase.DONE, final.get(Source.SMARTOLT)?.error);
    assert.equal(final.get(Source.ROUTEROS)?.phase, SyncPhase.DONE, final.get(Source.ROUTEROS)?.error);
    assert.ok(events.some((e) => e.phase === SyncPhase.FETCHING), "progress before the end");

    const world = env.lab.scenario;
    const liveCustomers = world.ispcube.customers.filter((c) => !c.deletedAt && !c.temporary);
    assert.equal(count(env, "customer"), liveCustomers.length);
    assert.equal(count(env, "connection"), world.ispcube.connections.length);
    assert.equal(count(env, "plan"), world.ispcube.plans.length);
    assert.equal(count(env, "onu"), world.smartolt.onus.length);
    const mikrotik = world.ispcube.nodes.filter((n) => n.type === "Mikrotik");
    assert.equal(count(env, "router"), mikrotik.length);
    const refusing = new Set(Object.keys(world.faults?.routeros ?? {}));
    const reachable = world.routers.filter((r) => !refusing.has(r.name));
    assert.ok(reachable.length < world.routers.length, "the scenario has a refusing router");
    assert.equal(count(env, "ppp_secret"), reachable.reduce((n, r) => n + r.secrets.length, 0));

    const status = await createClient(SyncService, createGrpcTransport({ baseUrl: env.srv.url })).getSyncStatus(
      {},
      { headers: { "x-api-key": env.srv.adminKey } },
    );
    const inventory = status.jobs.find((j) => j.job === SyncJob.INVENTORY);
    assert.equal(inventory?.running, false);
    const routeros = inventory?.lastRun?.sources.find((s) => s.source === Source.ROUTEROS);
    assert.equal(routeros?.counts.routersFailed, 1n);
    assert.match(inventory?.schedule ?? "", /^0 3 \* \* \* \(America\/Argentina\/Buenos_Aires\), not scheduled/);

    // GET /health tells when each vendor's data was last synced.
    const health = (await (await fetch(`${env.srv.url}/health`)).json()) as { components: Record<string, { status: string; lastSync?: string; stale?: boolean }> };
    assert.equal(health.components.ispcube?.status, "configured");
    assert.equal(health.components.ispcube?.stale, false);
    assert.ok(Date.parse(health.components.smartolt?.lastSync ?? "") > 0);
  });

  test("a router that fails is named, with its error, in RunSync, GetSyncStatus and /health", async () => {
    const world = env.lab.scenario;
    const refusingRouters = Object.keys(world.faults?.routeros ?? {});
    assert.equal(refusingRouters.length, 1, "the scenario has one refusing router");
    // Beholder knows routers by their ISPCube node's name.
    const refusing = world.ispcube.nodes.filter((n) => n.router === refusingRouters[0]).map((n) => n.comment);
    const events = await runSync(env, SyncJob.INVENTORY, [Source.ROUTEROS]);
    const done = events.filter((e) => e.source === Source.ROUTEROS).at(-1);
    assert.equal(done?.phase, SyncPhase.DONE);
    assert.deepEqual(done?.failures.map((f) => f.target), refusing);
    assert.ok(done?.failures.every((f) => f.error.length > 0));
    assert.match(done?.error ?? "", new RegExp(`^1 of ${done?.total} routers failed: ${refusing[0]} at 127\\.0\\.0\\.1:\\d+ \\(`));
    assert.equal(done?.done, (done?.total ?? 0n) - 1n, "done counts the routers that answered");

    const status = await createClient(SyncService, createGrpcTransport({ baseUrl: env.srv.url })).getSyncStatus(
      {},
      { headers: { "x-api-key": env.srv.adminKey } },
    );
    const routeros = status.jobs.find((j) => j.job === SyncJob.INVENTORY)?.lastRun?.sources.find((s) => s.source === Source.ROUTEROS);
    assert.deepEqual(routeros?.failures.map((f) => f.target), refusing);
    assert.equal(routeros?.error, done?.error);

    type Health = { components: { routeros?: { status: string; failedRouters?: { router: string; error: string }[] } } };
    const health = (await (await fetch(`${env.srv.url}/health`)).json()) as Health;
    assert.equal(health.components.routeros?.status, "degraded");
    assert.deepEqual(health.components.routeros?.failedRouters?.map((r) => r.router), refusing);
  });

  test("search finds accented names, serials, MACs and unlinked records after the sync", async () => {
    const search = createClient(SearchService, createGrpcTransport({ baseUrl: env.srv.url }));
    const headers = { "x-api-key": env.srv.readKey };
    const world = env.lab.scenario;
    const accented = world.ispcube.customers.find((c) => /[ÁÉÍÓÚÑ]/.test(c.name));
    assert.ok(accented, "the scenario has an accented name");
    const plain = accented.name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().split(" ")[0] ?? "";
    const byName = await search.search({ query: plain }, { headers });
    assert.ok(byName.results.some((r) => r.customerName === accented.name), `${plain} finds ${accented.name}`);

    const onu = world.smartolt.onus.find((o) => o.username);
    assert.ok(onu);
    const bySerial = await search.search({ query: onu.sn.toLowerCase() }, { headers });
    assert.equal(bySerial.results[0]?.pppoeUser, onu.username?.toLowerCase());
    assert.equal(bySerial.results[0]?.matchedField, "onu_serial");

    const unlinked = await search.search({ query: "quiroga.pedro" }, { headers });
    assert.deepEqual(unlinked.results[0]?.knownIn, [Source.SMARTOLT, Source.ROUTEROS]);
  });

  test("a second request for the running job joins it; another job is FailedPrecondition", async () => {
    const sync = createClient(SyncService, createGrpcTransport({ baseUrl: env.srv.url }));
    const headers = { "x-api-key": env.srv.adminKey };
    const first = sync.runSync({ job: SyncJob.INVENTORY }, { headers })[Symbol.asyncIterator]();
    const firstEvent = await first.next();
    assert.equal(firstEvent.done, false);
    const joined: RunSyncResponse[] = [];
    for await (const e of sync.runSync({ job: SyncJob.INVENTORY }, { headers })) joined.push(e);
    assert.ok(joined.length > 0 && joined.every((e) => e.joined && e.runId === firstEvent.value?.runId));
    // The run is over now; drain the first stream.
    for (let r = await first.next(); !r.done; r = await first.next());
  });

  test("RunSync for another job while one runs is FailedPrecondition", async () => {
    const sync = createClient(SyncService, createGrpcTransport({ baseUrl: env.srv.url }));
    const headers = { "x-api-key": env.srv.adminKey };
    const first = sync.runSync({ job: SyncJob.INVENTORY }, { headers })[Symbol.asyncIterator]();
    await first.next();
    const other = async (): Promise<void> => {
      for await (const _ of sync.runSync({ job: SyncJob.STATUS }, { headers }));
    };
    await assert.rejects(other(), (err: unknown) => {
      const e = ConnectError.from(err);
      assert.equal(e.code, Code.FailedPrecondition);
      assert.match(e.rawMessage, /^a inventory sync is running/);
      return true;
    });
    for (let r = await first.next(); !r.done; r = await first.next());
  });
});
