import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { createRateLimits } from "../../src/auth/rate-limits.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

function search(srv: TestServer, key: string, body: string = JSON.stringify({ query: "garcía" })): Promise<Response> {
  return fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key },
    body,
  });
}

describe("rate limits", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ RATE_LIMIT_READ_PER_MIN: "5", RATE_LIMIT_AUTH_FAILURES_PER_MIN: "3" });
  });
  after(() => srv.close());

  test("a burst over the budget is ResourceExhausted with retry-after; another key is unaffected", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await search(srv, srv.readKey)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    const over = await search(srv, srv.readKey);
    assert.equal(over.status, 429);
    const retryAfter = Number(over.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    assert.deepEqual(await over.json(), {
      code: "resource_exhausted",
      message: `rate limit exceeded for key test-read; retry in ${retryAfter} s`,
    });
    // gRPC carries the same in trailers.
    const client = createClient(SearchService, createGrpcTransport({ baseUrl: srv.url }));
    await assert.rejects(client.search({ query: "garcía" }, { headers: { "x-api-key": srv.readKey } }), (err: unknown) => {
      const e = ConnectError.from(err);
      assert.equal(e.code, Code.ResourceExhausted);
      assert.ok(Number(e.metadata.get("retry-after")) >= 1);
      return true;
    });
    // The admin key has its own budget.
    assert.equal((await search(srv, srv.adminKey)).status, 200);
  });

  test("an address that keeps failing authentication is locked out, even with a good key", async () => {
    const other = await startTestServer({ RATE_LIMIT_AUTH_FAILURES_PER_MIN: "3" });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await search(other, "wrong-key")).status, 401);
      const locked = await search(other, other.readKey);
      assert.equal(locked.status, 429);
      assert.ok(Number(locked.headers.get("retry-after")) >= 1);
    } finally {
      await other.close();
    }
  });
});

describe("bad requests get clear errors", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ MAX_BODY_BYTES: "1024" });
  });
  after(() => srv.close());

  test("malformed JSON is InvalidArgument", async () => {
    const res = await search(srv, srv.readKey, '{"query": ');
    assert.equal(res.status, 400);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, "invalid_argument");
    assert.match(body.message, /^cannot decode message beholder\.v1\.SearchRequest from JSON/);
  });

  test("a field of the wrong type is InvalidArgument", async () => {
    const res = await search(srv, srv.readKey, '{"query": 42}');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, "invalid_argument");
  });

  test("an oversized body is refused and the server keeps serving", async () => {
    const res = await search(srv, srv.readKey, JSON.stringify({ query: "x".repeat(4096) }));
    assert.equal(res.status, 429);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, "resource_exhausted");
    assert.match(body.message, /larger than configured readMaxBytes 1024/);
    assert.equal((await search(srv, srv.readKey)).status, 200);
  });
});

describe("watch stream slots", () => {
  test("a key gets at most N concurrent streams; releasing frees a slot once", () => {
    const limits = createRateLimits({ readPerMinute: 10, adminPerMinute: 10, watchStreamsPerKey: 2, authFailuresPerMinutePerIp: 10 });
    const a = limits.acquireStream("agent");
    const b = limits.acquireStream("agent");
    assert.ok(a && b);
    assert.equal(limits.acquireStream("agent"), undefined);
    assert.ok(limits.acquireStream("other"), "another key is unaffected");
    a();
    a();
    assert.ok(limits.acquireStream("agent"));
    assert.equal(limits.acquireStream("agent"), undefined, "a double release must not free two slots");
  });
});
