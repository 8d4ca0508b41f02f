import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.js";

function search(srv: TestServer, key: string | undefined, forwardedFor?: string): Promise<Response> {
  return fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === undefined ? {} : { "x-api-key": key }),
      ...(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }),
    },
    body: JSON.stringify({ query: "garcía" }),
  });
}

async function codeOf(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { code: string; message: string };
  return [res.status, body.message];
}

const BAD = "bh_000000000000_" + "A".repeat(43);

describe("lockout by address and by key id", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ RATE_LIMIT_AUTH_FAILURES_PER_MIN: "3", RATE_LIMIT_AUTH_FAILURES_HARD_PER_MIN: "8" });
  });
  after(() => srv.close());

  test("bad keys from one address: 401, then 429; a valid key from it still passes until the hard threshold", async () => {
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await search(srv, BAD)).status);
    assert.deepEqual(answers, [401, 401, 401, 429, 429]);
    const locked = await search(srv, "wrong-key");
    assert.deepEqual(await codeOf(locked), [429, "too many failed authentications from this address; retry later"]);
    assert.ok(Number(locked.headers.get("retry-after")) >= 1);
    // The office behind one NAT keeps working: a colleague's valid key is not refused.
    assert.equal((await search(srv, srv.readKey)).status, 200);
    assert.equal((await search(srv, srv.adminKey)).status, 200);
    // Far past the hard threshold the address is refused outright, key or not.
    for (let i = 0; i < 2; i++) await search(srv, undefined);
    const refused = await search(srv, srv.readKey);
    assert.deepEqual(await codeOf(refused), [429, "too many failed authentications from this address; retry later"]);
  });
});

describe("behind a trusted proxy", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({
      RATE_LIMIT_AUTH_FAILURES_PER_MIN: "3",
      RATE_LIMIT_AUTH_FAILURES_HARD_PER_MIN: "5",
      TRUSTED_PROXIES: "127.0.0.1, ::1",
    });
  });
  after(() => srv.close());

  test("each client behind the proxy has its own count; a spoofed left-most hop is not believed", async () => {
    for (let i = 0; i < 6; i++) await search(srv, "wrong-key", "203.0.113.7");
    assert.equal((await search(srv, srv.readKey, "203.0.113.7")).status, 429, "the attacker's address is hard-locked");
    // The attacker cannot pose as another client by writing the header itself: the proxy appends.
    assert.equal((await search(srv, srv.readKey, "198.51.100.9, 203.0.113.7")).status, 429);
    // Everyone else behind the same proxy is unaffected.
    assert.equal((await search(srv, srv.readKey, "198.51.100.9")).status, 200);
  });

  test("a revoked key retried from many addresses is locked by its id, not its hosts' other keys", async () => {
    const { key } = await srv.app.keys.create("retired-bot", ["read"]);
    await srv.app.keys.revoke("retired-bot");
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await search(srv, key, `192.0.2.${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    const res = await search(srv, key, "192.0.2.50");
    assert.deepEqual(await codeOf(res), [429, "too many failed authentications with this key; retry later"]);
    assert.equal((await search(srv, srv.readKey, "192.0.2.5")).status, 200, "the bot's host keeps its other keys");
  });
});

describe("without a trusted proxy", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ RATE_LIMIT_AUTH_FAILURES_PER_MIN: "3", RATE_LIMIT_AUTH_FAILURES_HARD_PER_MIN: "4" });
  });
  after(() => srv.close());

  test("X-Forwarded-For is ignored: rotating it does not escape the lockout", async () => {
    for (let i = 1; i <= 5; i++) await search(srv, "wrong-key", `192.0.2.${i}`);
    assert.equal((await search(srv, srv.readKey, "192.0.2.99")).status, 429);
  });
});

describe("auth before the body", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ MAX_BODY_BYTES: "1024" });
  });
  after(() => srv.close());

  test("an anonymous oversized POST is Unauthenticated, not ResourceExhausted; with a key it is too large", async () => {
    const big = JSON.stringify({ query: "x".repeat(256 * 1024) });
    const anonymous = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: big,
    });
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { code: string }).code, "unauthenticated");
    const keyed = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": srv.readKey },
      body: big,
    });
    assert.equal(keyed.status, 429);
    assert.equal((await fetch(`${srv.url}/health`)).status, 200);
  });
});
