import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1Alpha } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const run = promisify(execFile);
const SERVICES = [
  "beholder.v1.DiagnosisService",
  "beholder.v1.KeyService",
  "beholder.v1.SearchService",
  "beholder.v1.SyncService",
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
];

describe("reflection", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  for (const [version, desc] of [["v1", ServerReflection], ["v1alpha", ServerReflectionV1Alpha]] as const) {
    test(`${version} lists the services and serves their files with dependencies`, async () => {
      const client = createClient(desc, createGrpcTransport({ baseUrl: srv.url }));
      async function* requests() {
        yield { messageRequest: { case: "listServices" as const, value: "" } };
        yield { messageRequest: { case: "fileContainingSymbol" as const, value: "beholder.v1.DiagnosisService.GetDiagnosis" } };
        yield { messageRequest: { case: "fileByFilename" as const, value: "nope.proto" } };
      }
      const answers = [];
      for await (const res of client.serverReflectionInfo(requests())) answers.push(res);
      assert.equal(answers.length, 3);
      const [list, file, missing] = answers;
      assert.equal(list?.messageResponse.case, "listServicesResponse");
      assert.deepEqual(
        list?.messageResponse.case === "listServicesResponse" ? list.messageResponse.value.service.map((s) => s.name) : [],
        SERVICES,
      );
      assert.equal(file?.messageResponse.case, "fileDescriptorResponse");
      const names =
        file?.messageResponse.case === "fileDescriptorResponse"
          ? file.messageResponse.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name)
          : [];
      assert.ok(names.includes("beholder/v1/diagnosis.proto"));
      assert.ok(names.includes("beholder/v1/common.proto"), "dependencies come along");
      assert.ok(names.includes("google/protobuf/timestamp.proto"));
      assert.equal(missing?.messageResponse.case, "errorResponse");
    });
  }

  test("buf curl lists the services by reflection, with no proto files", async () => {
    const { stdout } = await run("npx", ["buf", "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", srv.url]);
    assert.deepEqual(stdout.trim().split("\n"), SERVICES);
  });
});

describe("health", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  test("grpc.health.v1 Check answers SERVING for the server and each service", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
    assert.equal((await health.check({ service: "" })).status, Status.SERVING);
    assert.equal((await health.check({ service: "beholder.v1.DiagnosisService" })).status, Status.SERVING);
    await assert.rejects(health.check({ service: "nope.v1.Nope" }), (err: unknown) => {
      assert.equal(ConnectError.from(err).code, Code.NotFound);
      return true;
    });
    const { statuses } = await health.list({});
    assert.equal(statuses["beholder.v1.SyncService"]?.status, Status.SERVING);
  });

  test("Watch sends the current status, then changes", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
    const abort = new AbortController();
    const seen: Status[] = [];
    const stream = health.watch({ service: "beholder.v1.SearchService" }, { signal: abort.signal });
    for await (const res of stream) {
      seen.push(res.status);
      if (seen.length === 1) srv.server.health.set("beholder.v1.SearchService", Status.NOT_SERVING);
      else break;
    }
    abort.abort();
    assert.deepEqual(seen, [Status.SERVING, Status.NOT_SERVING]);
    srv.server.health.set("beholder.v1.SearchService", Status.SERVING);
  });

  test("GET /health keeps the old JSON shape and adds components", async () => {
    const res = await fetch(`${srv.url}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      ok: true,
      service: "beholder",
      status: "running",
      components: {
        database: { status: "up" },
        smartolt: { status: "disabled" },
        ispcube: { status: "disabled" },
        routeros: { status: "disabled" },
      },
      jobs: {
        inventory: { lastRun: null, stale: false },
        status: { lastRun: null, stale: false },
      },
    });
  });
});
