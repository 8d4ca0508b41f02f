import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { KeyService } from "../../gen/beholder/v1/keys_pb.js";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1Alpha } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { BEHOLDER_SERVICES } from "../../src/server/routes.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

type Row = "none" | "read" | "admin" | "read+admin" | "revoked";
const ROWS: Row[] = ["none", "read", "admin", "read+admin", "revoked"];
type Outcome = "unauthenticated" | "permission_denied" | "allowed";

/** Requests that pass validation and end quickly on an empty cache (a NotFound is still "allowed"). */
const REQUESTS: Record<string, Record<string, unknown>> = {
  GetDiagnosis: { pppoeUser: "nobody.here" },
  WatchDiagnosis: { pppoeUser: "nobody.here" },
  GetLiveTraffic: { pppoeUser: "nobody.here" },
  ListIncidents: {},
  Search: { query: "gomez" },
  RunSync: { job: 1 },
  GetSyncStatus: {},
  ServerReflectionInfo: { messageRequest: { case: "listServices", value: "" } },
  // A key the table's own rows do not use: the first allowed row creates it, the next get AlreadyExists.
  CreateKey: { name: "t-scope-probe", scopes: [1] },
  ListKeys: {},
  // Nobody by that name: NotFound when allowed, and the table's keys stay as they are.
  RevokeKey: { name: "t-nobody" },
};

/** What each service needs: the README's table of scopes. */
const NEEDS: Record<string, "read" | "admin" | "public"> = {
  "beholder.v1.DiagnosisService": "read",
  "beholder.v1.SearchService": "read",
  "beholder.v1.SyncService": "admin",
  "beholder.v1.KeyService": "admin",
  "grpc.health.v1.Health": "public",
  "grpc.reflection.v1.ServerReflection": "public",
  "grpc.reflection.v1alpha.ServerReflection": "public",
};

function expected(needs: "read" | "admin" | "public", row: Row): Outcome {
  if (needs === "public") return "allowed";
  if (row === "none" || row === "revoked") return "unauthenticated";
  return row.split("+").includes(needs) ? "allowed" : "permission_denied";
}

/** One call, unary or server-streaming (the first message or the error settles it). */
async function call(client: Client<DescService>, method: DescMethod, input: DescMessage, req: Record<string, unknown>, headers: Record<string, string>): Promise<Code | "ok"> {
  const fn = (client as unknown as Record<string, (r: unknown, o: unknown) => unknown>)[method.localName];
  assert.ok(fn);
  const abort = new AbortController();
  try {
    const message = create(input, req as never);
    if (method.methodKind === "bidi_streaming") {
      async function* one(): AsyncIterable<unknown> {
        yield message;
      }
      for await (const _ of fn(one(), { headers, signal: abort.signal }) as AsyncIterable<unknown>) break;
    } else if (method.methodKind === "server_streaming") {
      for await (const _ of fn(message, { headers, signal: abort.signal }) as AsyncIterable<unknown>) break;
    } else {
      await fn(message, { headers });
    }
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  } finally {
    abort.abort();
  }
}

describe("scopes: every procedure × none, read, admin, read+admin, revoked", () => {
  let srv: TestServer;
  const keys: Partial<Record<Row, string>> = {};
  before(async () => {
    // The failures of the none and revoked rows must not trip the address lockout mid-table.
    srv = await startTestServer({ RATE_LIMIT_AUTH_FAILURES_PER_MIN: "1000", RATE_LIMIT_AUTH_FAILURES_HARD_PER_MIN: "2000" });
    keys.read = (await srv.app.keys.create("t-read", ["read"])).key;
    keys.admin = (await srv.app.keys.create("t-admin", ["admin"])).key;
    keys["read+admin"] = (await srv.app.keys.create("t-both", ["read", "admin"])).key;
    keys.revoked = (await srv.app.keys.create("t-revoked", ["read", "admin"])).key;
    assert.equal(await srv.app.keys.revoke("t-revoked"), true);
  });
  after(() => srv.close());

  const services: DescService[] = [...BEHOLDER_SERVICES, Health, ServerReflection, ServerReflectionV1Alpha];
  test("the table covers every method of every service", () => {
    assert.deepEqual(services.filter((s) => NEEDS[s.typeName] === undefined).map((s) => s.typeName), []);
    const methods = BEHOLDER_SERVICES.flatMap((s) => s.methods.map((m) => m.name));
    assert.deepEqual(methods.filter((m) => REQUESTS[m] === undefined), []);
    assert.deepEqual(new Set(BEHOLDER_SERVICES), new Set([DiagnosisService, SearchService, SyncService, KeyService]));
  });

  for (const service of services) {
    for (const method of service.methods) {
      test(`${service.typeName}/${method.name}`, async () => {
        const client = createClient(service, createGrpcTransport({ baseUrl: srv.url })) as Client<DescService>;
        const req = REQUESTS[method.name] ?? {};
        const got: Record<string, Outcome> = {};
        const want: Record<string, Outcome> = {};
        for (const row of ROWS) {
          const key = keys[row];
          const code = await call(client, method, method.input, req, key ? { "x-api-key": key } : {});
          assert.notEqual(code, Code.Internal, `${row}: internal`);
          assert.notEqual(code, Code.Unknown, `${row}: unknown`);
          got[row] = code === Code.Unauthenticated ? "unauthenticated" : code === Code.PermissionDenied ? "permission_denied" : "allowed";
          want[row] = expected(NEEDS[service.typeName] ?? "admin", row);
        }
        assert.deepEqual(got, want);
      });
    }
  }

  test("the old paths need read: none and revoked 401, admin alone 403, read 2xx/404", async () => {
    for (const path of ["/diagnosis/nobody.here", "/search?q=gomez", "/live/nobody.here"]) {
      const got: Record<string, number> = {};
      for (const row of ROWS) {
        const key = keys[row];
        got[row] = (await fetch(`${srv.url}${path}`, { headers: key ? { "x-api-key": key } : {} })).status;
      }
      const allowed = path.startsWith("/diagnosis") ? 404 : 200;
      assert.deepEqual(got, { none: 401, read: allowed, admin: 403, "read+admin": allowed, revoked: 401 }, path);
    }
  });
});
