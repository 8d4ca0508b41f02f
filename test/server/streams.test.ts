import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { connectRawH2, grpcRequest } from "../helpers/raw-h2.js";

/** Opens a Health/Watch and resolves once its first answer arrived (the slot is held from then). */
async function openWatch(client: Client<typeof Health>, signal: AbortSignal): Promise<{ done: Promise<unknown> }> {
  const it = client.watch({ service: "" }, { signal })[Symbol.asyncIterator]();
  await it.next();
  const done = (async () => {
    for (;;) if ((await it.next()).done) return;
  })().catch((err: unknown) => err);
  return { done };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), what);
}

describe("public watch streams are capped", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ RATE_LIMIT_WATCH_STREAMS_PER_IP: "30", RATE_LIMIT_WATCH_STREAMS_TOTAL: "100", LOG_LEVEL: "debug" });
  });
  after(() => srv.close());

  test("grpc.health.v1 Watch without a key: the address gets 30, the 31st is ResourceExhausted; a cancel frees a slot", async () => {
    const client = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
    const abort = new AbortController();
    const watches = [];
    for (let i = 0; i < 30; i++) watches.push(await openWatch(client, abort.signal));
    const over = async (): Promise<void> => {
      for await (const _ of client.watch({ service: "" })) assert.fail("no answer expected");
    };
    await assert.rejects(over(), (err: unknown) => {
      const e = ConnectError.from(err);
      assert.equal(e.code, Code.ResourceExhausted);
      assert.equal(e.rawMessage, "too many open streams from this address; close one first");
      return true;
    });
    // Unary calls and plain HTTP still answer while the watches are held.
    assert.equal((await client.check({ service: "" })).status, 1);
    assert.equal((await fetch(`${srv.url}/health`)).status, 200);
    abort.abort();
    await Promise.all(watches.map((w) => w.done));
    // Slots come back once the server has seen the cancels.
    let reopened: ConnectError | undefined = new ConnectError("not tried");
    for (let i = 0; i < 100 && reopened; i++) {
      const again = new AbortController();
      reopened = await openWatch(client, again.signal).then(
        () => undefined,
        (err: unknown) => ConnectError.from(err),
      );
      again.abort();
      if (reopened) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(reopened, undefined);
  });

  test("a client-cancelled stream is logged as canceled at debug, never as an error", async () => {
    const client = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
    const before = srv.logs.length;
    const abort = new AbortController();
    const w = await openWatch(client, abort.signal);
    abort.abort();
    await w.done;
    const mine = (): Record<string, unknown>[] => srv.logs.slice(before).filter((l) => l.procedure === "grpc.health.v1.Health/Watch");
    await until("a log line for the cancelled watch", () => mine().length > 0);
    const [line] = mine();
    assert.equal(line?.code, "canceled");
    assert.equal(line?.level, 20, "debug");
    assert.equal(srv.logs.filter((l) => (l.level as number) >= 50).length, 0, "no error line at all");
  });

  test("streams reset before their request arrived (Premature close) are canceled at debug too", async () => {
    const before = srv.logs.length;
    const raw = await connectRawH2(srv.port);
    await raw.settings;
    for (let i = 0; i < 20; i++) {
      raw.headers(1 + 2 * i, grpcRequest("/grpc.health.v1.Health/Watch", `127.0.0.1:${srv.port}`), false);
    }
    // Let the server start every call, then hang up on each of them.
    assert.equal((await fetch(`${srv.url}/health`)).status, 200);
    for (let i = 0; i < 20; i++) raw.reset(1 + 2 * i);
    const mine = (): Record<string, unknown>[] => srv.logs.slice(before).filter((l) => l.procedure === "grpc.health.v1.Health/Watch");
    // A stream reset before the server got to it leaves no line; those it had started must say canceled.
    await until("log lines for the reset streams", () => mine().length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(new Set(mine().map((l) => l.code)), new Set(["canceled"]));
    assert.equal(srv.logs.filter((l) => (l.level as number) >= 50).length, 0, "no error line at all");
    raw.socket.destroy();
  });
});
