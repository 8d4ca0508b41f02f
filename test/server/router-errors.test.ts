import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.js";

/** What the Connect router answers before any handler runs, over a real port. */
const CASES: { name: string; method: string; path: string; headers: Record<string, string>; body?: string | Uint8Array; status: number; code: string; message: RegExp }[] = [
  {
    name: "POST without content-type",
    method: "POST",
    path: "/beholder.v1.SearchService/Search",
    headers: {},
    // A byte body: fetch would label a string text/plain.
    body: new TextEncoder().encode('{"query":"perez"}'),
    status: 415,
    code: "invalid_argument",
    message: /^a request without content-type is not supported by beholder\.v1\.SearchService\/Search: send application\/json/,
  },
  {
    name: "POST text/plain",
    method: "POST",
    path: "/beholder.v1.SearchService/Search",
    headers: { "content-type": "text/plain" },
    body: '{"query":"perez"}',
    status: 415,
    code: "invalid_argument",
    message: /^content-type text\/plain is not supported by beholder\.v1\.SearchService\/Search/,
  },
  {
    name: "plain JSON to a server stream",
    method: "POST",
    path: "/beholder.v1.SyncService/RunSync",
    headers: { "content-type": "application/json" },
    body: "{}",
    status: 415,
    code: "invalid_argument",
    message: /RunSync: send application\/connect\+json/,
  },
  {
    name: "PUT on a unary method",
    method: "PUT",
    path: "/beholder.v1.SearchService/Search",
    headers: { "content-type": "application/json" },
    body: "{}",
    status: 405,
    code: "unimplemented",
    message: /^http method PUT is not allowed for beholder\.v1\.SearchService\/Search: use POST, GET$/,
  },
  {
    name: "GET on a method with side effects",
    method: "GET",
    path: "/beholder.v1.SyncService/RunSync?encoding=json&message=%7B%7D",
    headers: {},
    status: 405,
    code: "unimplemented",
    message: /^http method GET is not allowed for beholder\.v1\.SyncService\/RunSync: use POST$/,
  },
  {
    name: "no such procedure",
    method: "POST",
    path: "/beholder.v1.SearchService/Nope",
    headers: { "content-type": "application/json" },
    body: "{}",
    status: 404,
    code: "unimplemented",
    message: /^no procedure at \/beholder\.v1\.SearchService\/Nope$/,
  },
];

describe("errors the Connect router answers itself carry a Connect error body", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  for (const c of CASES) {
    test(`${c.name} → ${c.status} ${c.code}`, async () => {
      const res = await fetch(`${srv.url}${c.path}`, {
        method: c.method,
        headers: { "x-api-key": srv.readKey, ...c.headers },
        ...(c.body === undefined ? {} : { body: c.body }),
      });
      assert.equal(res.status, c.status);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      const body = (await res.json()) as { code: string; message: string };
      assert.equal(body.code, c.code);
      assert.match(body.message, c.message);
      if (c.status === 405) assert.ok(res.headers.get("allow"), "says which methods are allowed");
    });
  }

  test("fetch without content-type: the body is never empty, and the server keeps serving", async () => {
    // fetch adds text/plain to a string body; a Uint8Array body goes without content-type.
    const res = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, { method: "POST", body: new Uint8Array([1, 2]) });
    assert.equal(res.status, 415);
    assert.notEqual((await res.text()).length, 0);
    assert.equal((await fetch(`${srv.url}/health`)).status, 200);
  });
});
