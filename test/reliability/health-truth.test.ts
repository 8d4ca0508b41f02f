import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { generateScenario } from "../../lab/scenario/generate.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";
import type { SearchConnection } from "../../src/cache/search.js";
import { startTestServer } from "../helpers/server.js";
import { control } from "../helpers/watch.js";

interface Health {
  ok: boolean;
  status: string;
  components: Record<string, {
    status: string;
    stale?: boolean;
    syncs?: Record<string, { stale: boolean; error?: string; lastSync: string | null }>;
    routers?: { name: string; address: string; stale: boolean; error?: string; breaker: string }[];
    failedRouters?: { router: string; address: string; error: string }[];
  }>;
  jobs: Record<"inventory" | "status", { lastRun: { outcome: string } | null; stale: boolean; errors?: Record<string, string> }>;
}

async function health(env: LabAndServer): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${env.srv.url}/health`);
  return { code: res.status, body: (await res.json()) as Health };
}

describe("/health tells the truth about each job and each router; grpc health only about Beholder", () => {
  let env: LabAndServer;
  let grpc: ReturnType<typeof createClient<typeof Health>>;
  const sync = async (job: "inventory" | "status", only?: ("ispcube" | "smartolt" | "routeros")[]): Promise<string> =>
    (await (await env.srv.app.sync.runner.start(job, only)).handle.done).outcome;

  before(async () => {
    env = await startLabAndServer(generateScenario({ subscribers: 300, seed: 11 }), { BREAKER_VOLUME: "50" });
    grpc = createClient(Health, createGrpcTransport({ baseUrl: env.srv.url }));
    assert.equal(await sync("inventory"), "done");
    assert.equal(await sync("status"), "done");
  });
  after(() => env.close());

  test("after good runs: every job and router fresh, each router by host:port", async () => {
    const { code, body } = await health(env);
    assert.equal(code, 200);
    assert.equal(body.components.smartolt?.stale, false);
    assert.equal(body.components.smartolt?.syncs?.["smartolt.status"]?.stale, false);
    assert.equal(body.jobs.inventory.lastRun?.outcome, "done");
    assert.equal(body.jobs.status.lastRun?.outcome, "done");
    assert.equal(body.jobs.status.stale, false);
    const routers = body.components.routeros?.routers ?? [];
    assert.deepEqual(
      routers.map((r) => r.address).sort(),
      env.lab.routers.map((r) => `${r.host}:${r.port}`).sort(),
    );
    assert.ok(routers.every((r) => !r.stale && r.breaker === "closed"));
  });

  test("three failed status refreshes make SmartOLT stale, not Beholder unhealthy", async () => {
    await control(env.lab.control.url, "/faults", { sim: "smartolt", endpoint: "onu/get_onus_statuses", fault: { errorRate: 1, status: 500 } });
    for (let i = 0; i < 3; i++) assert.equal(await sync("status"), "failed");
    const { code, body } = await health(env);
    assert.equal(code, 200, "a vendor outage is not Beholder's");
    assert.equal(body.ok, true);
    assert.equal(body.components.smartolt?.stale, true);
    assert.equal(body.components.smartolt?.status, "degraded");
    assert.equal(body.components.smartolt?.syncs?.["smartolt.status"]?.stale, true);
    assert.equal(body.components.smartolt?.syncs?.smartolt?.stale, false, "the inventory itself is still fresh");
    assert.equal(body.jobs.status.stale, true);
    assert.match(body.jobs.status.errors?.["smartolt.status"] ?? "", /500|unavailable|breaker/i);
    assert.equal((await grpc.check({ service: "" })).status, Status.SERVING);
    assert.equal((await grpc.check({ service: "beholder.v1.DiagnosisService" })).status, Status.SERVING);

    await control(env.lab.control.url, "/faults", {}, "DELETE");
    // The breaker may be open from the failures: wait for its reset period, then refresh.
    await new Promise((r) => setTimeout(r, env.srv.app.config.resilience.breakerResetMs + 50));
    assert.equal(await sync("status"), "done");
    const healed = await health(env);
    assert.equal(healed.body.components.smartolt?.stale, false);
    assert.equal(healed.body.jobs.status.stale, false);
  });

  test("a router whose secrets could not be refreshed makes RouterOS stale and names it", async () => {
    const bad = env.lab.routers[0];
    assert.ok(bad);
    await control(env.lab.control.url, "/faults", { sim: "routeros", router: bad.name, command: "/ppp/secret/print", fault: { errorRate: 1 } });
    const outcome = await sync("inventory", ["routeros"]);
    assert.equal(outcome, env.lab.routers.length > 1 ? "done" : "failed");
    const { code, body } = await health(env);
    assert.equal(code, 200);
    const routeros = body.components.routeros;
    assert.equal(routeros?.stale, true);
    assert.equal(routeros?.status, "degraded");
    const entry = routeros?.routers?.find((r) => r.address === `${bad.host}:${bad.port}`);
    assert.equal(entry?.stale, true);
    assert.match(entry?.error ?? "", /ppp\/secret\/print/);
    assert.deepEqual(routeros?.failedRouters?.map((f) => f.address), [`${bad.host}:${bad.port}`]);
    assert.ok(routeros?.routers?.filter((r) => r !== entry).every((r) => !r.stale), "the other routers are fresh");
    assert.equal(body.jobs.inventory.stale, true);
    assert.ok(Object.keys(body.jobs.inventory.errors ?? {}).some((k) => k.startsWith("router:")));
    assert.equal((await grpc.check({ service: "" })).status, Status.SERVING);

    await control(env.lab.control.url, "/faults", {}, "DELETE");
    assert.equal(await sync("inventory", ["routeros"]), "done");
    assert.equal((await health(env)).body.components.routeros?.stale, false);
  });

  test("the secrets never reach /health", async () => {
    const text = await (await fetch(`${env.srv.url}/health`)).text();
    for (const secret of [env.lab.smartolt.token, env.lab.ispcube.apiKey, env.lab.ispcube.password, ...env.lab.routers.map((r) => r.password)]) {
      assert.ok(!text.includes(secret));
    }
  });
});

describe("grpc.health.v1 goes NOT_SERVING when the cache cannot serve", () => {
  test("a dead cache connection: Check, Watch and /health all say so", async () => {
    const srv = await startTestServer();
    try {
      const grpc = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
      const abort = new AbortController();
      const seen: Status[] = [];
      const watching = (async () => {
        for await (const res of grpc.watch({ service: "" }, { signal: abort.signal })) {
          seen.push(res.status);
          if (res.status === Status.NOT_SERVING) return;
        }
      })();
      assert.equal((await grpc.check({ service: "" })).status, Status.SERVING);
      // The search connection dies under the server (what a deleted or corrupted file does to it).
      (srv.app.cache.searcher as SearchConnection).close();
      assert.equal((await grpc.check({ service: "" })).status, Status.NOT_SERVING);
      assert.equal((await grpc.check({ service: "beholder.v1.SearchService" })).status, Status.NOT_SERVING);
      await watching;
      abort.abort();
      assert.deepEqual(seen, [Status.SERVING, Status.NOT_SERVING]);
      const res = await fetch(`${srv.url}/health`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as Health;
      assert.equal(body.ok, false);
      assert.equal(body.components.database?.status, "down");
    } finally {
      await srv.close().catch(() => {});
    }
  });
});

describe("health does not wait for the sync", () => {
  test("while a commit's transaction holds the sync's connection, /health, Check and GetSyncStatus answer", async () => {
    const srv = await startTestServer();
    let release: () => void = () => undefined;
    let holding: Promise<void> | undefined;
    try {
      const grpc = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
      // What a 100k commit does for seconds: a transaction on the sync's one connection, awaiting in between.
      const held = new Promise<void>((resolve) => (release = resolve));
      const started = new Promise<void>((resolve) => {
        holding = srv.app.cache.syncOrm.em.fork().transactional(async () => {
          resolve();
          await held;
        });
      });
      await started;
      // The bound only matters when health queues behind the transaction (it would wait for ever here).
      const res = await fetch(`${srv.url}/health`, { signal: AbortSignal.timeout(30_000) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Health;
      assert.equal(body.components.database?.status, "up");
      assert.equal((await grpc.check({ service: "" }, { timeoutMs: 30_000 })).status, Status.SERVING);
      // The admin's GetSyncStatus reads the last runs on the API's connection, not behind the commit.
      const sync = createClient(SyncService, createGrpcTransport({ baseUrl: srv.url }));
      const status = await sync.getSyncStatus({}, { headers: { "x-api-key": srv.adminKey }, timeoutMs: 30_000 });
      assert.equal(status.jobs.length, 2);
    } finally {
      release();
      await holding;
      await srv.close().catch(() => {});
    }
  });

  test("the sync's connection closed under the server: NOT_SERVING", async () => {
    const srv = await startTestServer();
    try {
      const grpc = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
      assert.equal((await grpc.check({ service: "" })).status, Status.SERVING);
      await srv.app.cache.syncOrm.close();
      assert.equal((await grpc.check({ service: "" })).status, Status.NOT_SERVING);
      const res = await fetch(`${srv.url}/health`);
      assert.equal(res.status, 503);
    } finally {
      await srv.close().catch(() => {});
    }
  });
});
