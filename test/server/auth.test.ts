import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SyncJob, SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { keySecretOf, startTestServer, type TestServer } from "../helpers/server.js";

const LEGACY = "legacy-shared-key-0123456789";

async function search(srv: TestServer, headers: Record<string, string>): Promise<Response> {
  return fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: "pérez" }),
  });
}

describe("API keys", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ API_KEY: LEGACY });
  });
  after(() => srv.close());

  test("a missing key is Unauthenticated (401)", async () => {
    const res = await search(srv, {});
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      code: "unauthenticated",
      message: "missing API key: send it in the x-api-key header or as authorization: Bearer <key>",
    });
  });

  test("a wrong key is Unauthenticated, whatever its shape", async () => {
    const forged = srv.readKey.slice(0, -4) + "AAAA";
    for (const key of ["nope", forged, "bh_000000000000_" + "A".repeat(43)]) {
      const res = await search(srv, { "x-api-key": key });
      assert.equal(res.status, 401, key);
      assert.deepEqual(await res.json(), { code: "unauthenticated", message: "invalid or revoked API key" });
    }
  });

  test("x-api-key and authorization: Bearer are both accepted", async () => {
    assert.equal((await search(srv, { "x-api-key": srv.readKey })).status, 200);
    assert.equal((await search(srv, { authorization: `Bearer ${srv.readKey}` })).status, 200);
    assert.equal((await search(srv, { authorization: `Basic ${srv.readKey}` })).status, 401);
  });

  test("a revoked key stops working at once", async () => {
    const { key } = await srv.app.keys.create("short-lived", ["read"]);
    assert.equal((await search(srv, { "x-api-key": key })).status, 200);
    assert.equal(await srv.app.keys.revoke("short-lived"), true);
    const res = await search(srv, { "x-api-key": key });
    assert.equal(res.status, 401);
  });

  test("a read key calling sync is PermissionDenied", async () => {
    const sync = createClient(SyncService, createGrpcTransport({ baseUrl: srv.url }));
    const run = async (): Promise<void> => {
      for await (const _ of sync.runSync({ job: SyncJob.INVENTORY }, { headers: { "x-api-key": srv.readKey } })) {
        assert.fail("no progress expected");
      }
    };
    await assert.rejects(run(), (err: unknown) => {
      const e = ConnectError.from(err);
      assert.equal(e.code, Code.PermissionDenied);
      assert.equal(e.rawMessage, "key test-read lacks the admin scope needed for beholder.v1.SyncService/RunSync");
      return true;
    });
  });

  test("the old API_KEY keeps working, as an admin key", async () => {
    const sync = createClient(SyncService, createGrpcTransport({ baseUrl: srv.url }));
    const status = await sync.getSyncStatus({}, { headers: { "x-api-key": LEGACY } });
    assert.deepEqual(status.jobs.map((j) => j.job), [SyncJob.INVENTORY, SyncJob.STATUS]);
  });

  test("health, reflection and CORS preflight need no key", async () => {
    assert.equal((await fetch(`${srv.url}/health`)).status, 200);
    const preflight = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
      method: "OPTIONS",
      headers: { origin: "https://agents.example", "access-control-request-method": "POST", "access-control-request-headers": "x-api-key,content-type" },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /x-api-key/);
  });

  test("no key ever reaches a log line; each RPC logs procedure, key name, code and duration", async () => {
    await search(srv, { "x-api-key": srv.readKey });
    await search(srv, { "x-api-key": LEGACY });
    const text = srv.logText();
    for (const secret of [srv.readKey, srv.adminKey, LEGACY, keySecretOf(srv.readKey)]) {
      assert.equal(text.includes(secret), false, "a key leaked into the logs");
    }
    const line = srv.logs.find((l) => l.procedure === "beholder.v1.SearchService/Search" && l.key === "test-read");
    assert.ok(line, "expected an RPC log line");
    assert.equal(line.code, "ok");
    assert.equal(typeof line.ms, "number");
  });

  test("keys are stored only as hashes", async () => {
    const rows = (await srv.app.orm.em.getConnection().execute("select * from api_key")) as { secret_hash: string }[];
    const dump = JSON.stringify(rows);
    assert.equal(dump.includes(keySecretOf(srv.readKey)), false);
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.secret_hash)));
  });
});

describe("CORS with an origin list", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ CORS_ORIGINS: "https://agents.example, https://bot.example" });
  });
  after(() => srv.close());

  test("only listed origins are allowed", async () => {
    const ask = (origin: string): Promise<Response> =>
      fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
    assert.equal((await ask("https://bot.example")).headers.get("access-control-allow-origin"), "https://bot.example");
    assert.equal((await ask("https://evil.example")).headers.get("access-control-allow-origin"), null);
  });
});
