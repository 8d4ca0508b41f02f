import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http2 from "node:http2";
import { once } from "node:events";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncJob, SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

/** Bytes that are not a SearchRequest: field 1 announces 100 bytes of string and ends after 2. */
const GARBAGE = new Uint8Array([0x0a, 100, 0x41, 0x42]);

function envelope(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  new DataView(out.buffer).setUint32(1, data.length);
  out.set(data, 5);
  return out;
}

describe("refusals and malformed input in every protocol", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ LOG_LEVEL: "info" });
  });
  after(() => srv.close());

  const transports = (): [string, Transport][] => [
    ["connect json", createConnectTransport({ baseUrl: srv.url, httpVersion: "1.1" })],
    ["connect proto", createConnectTransport({ baseUrl: srv.url, httpVersion: "2", useBinaryFormat: true })],
    ["grpc", createGrpcTransport({ baseUrl: srv.url })],
    ["grpc-web", createGrpcWebTransport({ baseUrl: srv.url, httpVersion: "1.1" })],
  ];

  test("no key: Unauthenticated with its message, unary and streaming, whatever the protocol", async () => {
    for (const [name, transport] of transports()) {
      const search = createClient(SearchService, transport);
      await assert.rejects(search.search({ query: "garcía" }), (err: unknown) => {
        const e = ConnectError.from(err);
        assert.equal(e.code, Code.Unauthenticated, name);
        assert.equal(e.rawMessage, "missing API key: send it in the x-api-key header or as authorization: Bearer <key>", name);
        return true;
      });
      const sync = createClient(SyncService, transport);
      const run = async (): Promise<void> => {
        for await (const _ of sync.runSync({ job: SyncJob.STATUS }, { headers: { "x-api-key": "bh_000000000000_" + "B".repeat(43) } })) {
          assert.fail("no progress expected");
        }
      };
      await assert.rejects(run(), (err: unknown) => {
        const e = ConnectError.from(err);
        assert.equal(e.code, Code.Unauthenticated, `${name} stream`);
        assert.equal(e.rawMessage, "invalid or revoked API key", `${name} stream`);
        return true;
      });
    }
  });

  test("malformed binary protobuf is InvalidArgument (Connect unary, gRPC, gRPC-Web), never internal", async () => {
    const connect = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
      method: "POST",
      headers: { "content-type": "application/proto", "x-api-key": srv.readKey },
      body: GARBAGE,
    });
    assert.equal(connect.status, 400);
    const body = (await connect.json()) as { code: string; message: string };
    assert.equal(body.code, "invalid_argument");
    assert.match(body.message, /^cannot decode message beholder\.v1\.SearchRequest from binary: /);

    const web = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-api-key": srv.readKey },
      body: envelope(GARBAGE),
    });
    const text = new TextDecoder().decode(new Uint8Array(await web.arrayBuffer()));
    assert.match(text, /grpc-status: 3\r\n/);
    assert.match(decodeURIComponent(text), /cannot decode message beholder\.v1\.SearchRequest from binary/);

    const session = http2.connect(srv.url);
    const stream = session.request({
      ":method": "POST",
      ":path": "/beholder.v1.SearchService/Search",
      "content-type": "application/grpc",
      te: "trailers",
      "x-api-key": srv.readKey,
    });
    stream.end(envelope(GARBAGE));
    stream.resume();
    const [trailers] = (await once(stream, "trailers")) as [http2.IncomingHttpHeaders];
    session.close();
    assert.equal(trailers["grpc-status"], "3");
    assert.match(decodeURIComponent(String(trailers["grpc-message"])), /^cannot decode message beholder\.v1\.SearchRequest from binary/);

    // The same through a streaming call, which parses inside the interceptors.
    const streamed = await fetch(`${srv.url}/grpc.health.v1.Health/Watch`, {
      method: "POST",
      headers: { "content-type": "application/connect+proto" },
      body: envelope(new Uint8Array([0x0a, 50, 0x41])),
    });
    const end = new TextDecoder().decode(new Uint8Array(await streamed.arrayBuffer()).subarray(5));
    assert.equal((JSON.parse(end) as { error: { code: string } }).error.code, "invalid_argument");
    assert.equal(srv.logs.filter((l) => (l.level as number) >= 50).length, 0, "no error line");
  });
});
