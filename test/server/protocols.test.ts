import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError, createClient, createRouterTransport, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { createInterceptors, createRoutes } from "../../src/server/routes.js";
import { HealthState } from "../../src/server/health.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe("one handler behind every protocol", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  const transports: Record<string, () => Transport> = {
    "Connect JSON over HTTP/1.1": () => createConnectTransport({ baseUrl: srv.url, httpVersion: "1.1", useBinaryFormat: false }),
    "Connect binary over h2c": () => createConnectTransport({ baseUrl: srv.url, httpVersion: "2" }),
    "gRPC over h2c": () => createGrpcTransport({ baseUrl: srv.url }),
    "gRPC-Web over HTTP/1.1": () => createGrpcWebTransport({ baseUrl: srv.url, httpVersion: "1.1" }),
    "in-memory router": () =>
      createRouterTransport(createRoutes(srv.app, new HealthState([])), { router: { interceptors: createInterceptors(srv.app) } }),
  };

  for (const [name, make] of Object.entries(transports)) {
    test(`${name}: validation and the handler's answer are the same`, async () => {
      const search = createClient(SearchService, make());
      const headers = { "x-api-key": srv.readKey };
      await assert.rejects(search.search({ query: "ab" }, { headers }), (err: unknown) => {
        const e = ConnectError.from(err);
        assert.equal(e.code, Code.InvalidArgument);
        assert.equal(e.rawMessage, "query must be 3 to 100 characters");
        return true;
      });
      const diagnosis = createClient(DiagnosisService, make());
      // An empty cache and no vendors: nobody is known, whatever the protocol.
      await assert.rejects(diagnosis.getDiagnosis({ pppoeUser: "juan.perez" }, { headers }), (err: unknown) => {
        const e = ConnectError.from(err);
        assert.equal(e.code, Code.NotFound);
        assert.equal(e.rawMessage, 'no subscriber with pppoe_user "juan.perez" in ispcube, smartolt or the routers');
        return true;
      });
    });
  }

  test("plain curl-style JSON POST and Connect GET reach the handler", async () => {
    const post = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": srv.readKey },
      body: JSON.stringify({ query: "x" }),
    });
    assert.equal(post.status, 400);
    assert.deepEqual(await post.json(), { code: "invalid_argument", message: "query must be 3 to 100 characters" });

    const message = encodeURIComponent(JSON.stringify({ pppoeUser: "  " }));
    const get = await fetch(`${srv.url}/beholder.v1.DiagnosisService/GetDiagnosis?encoding=json&message=${message}`, {
      headers: { "x-api-key": srv.readKey },
    });
    assert.equal(get.status, 400);
    assert.deepEqual(await get.json(), {
      code: "invalid_argument",
      message: "exactly one of pppoe_user, onu_serial and customer_code must be set",
    });
  });

  test("Connect GET only for NO_SIDE_EFFECTS unary methods", async () => {
    const res = await fetch(`${srv.url}/beholder.v1.SyncService/GetSyncStatus?encoding=json&message=%7B%7D`, {
      headers: { "x-api-key": srv.adminKey },
    });
    // GetSyncStatus is NO_SIDE_EFFECTS, so GET is allowed; RunSync is a stream and never is.
    assert.equal(res.status, 200);
    const stream = await fetch(`${srv.url}/beholder.v1.SyncService/RunSync?encoding=json&message=%7B%7D`, {
      headers: { "x-api-key": srv.adminKey },
    });
    assert.equal(stream.status, 405);
  });

  test("an unknown path is a 404", async () => {
    const res = await fetch(`${srv.url}/beholder.v1.Nope/Nothing`, { method: "POST", body: "{}" });
    assert.equal(res.status, 404);
  });
});
