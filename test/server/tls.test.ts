/**
 * TLS on the one port with a self-signed certificate (test/fixtures/tls): HTTP/1.1 and HTTP/2 by
 * ALPN, through curl, buf curl and the generated client; no clear-text listening on a public address
 * unless allowed; reflection can be switched off.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { connect } from "node:net";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import { HealthCheckResponse_ServingStatus as Serving } from "../../gen/grpc/health/v1/health_pb.js";
import { loadConfig } from "../../src/config.js";
import { createAppContext } from "../../src/context.js";
import { createServer, isLoopbackHost } from "../../src/server/server.js";
import { createBeholderClient } from "../../src/client/node.js";
import { main as beholder } from "../../src/cli/beholder.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { pino } from "pino";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = promisify(execFile);
const CERT = "test/fixtures/tls/localhost.crt";
const KEY = "test/fixtures/tls/localhost.key";

describe("TLS with a full connection cap", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ TLS_CERT: CERT, TLS_KEY: KEY, SERVER_MAX_CONNECTIONS: "3" });
  });
  after(() => srv.close());

  test("sockets that never finish the handshake make room for a client that does, over HTTP/1.1 and HTTP/2", async () => {
    const held = await Promise.all([0, 1, 2].map(() => new Promise<import("node:net").Socket>((resolve) => {
      const s = connect({ port: srv.port, host: "127.0.0.1" }, () => resolve(s));
      s.on("error", () => undefined);
    })));
    for (const version of ["--http1.1", "--http2"]) {
      const { stdout } = await run("curl", ["-s", version, "--cacert", CERT, "-o", "/dev/null", "-w", "%{http_code}", `https://localhost:${srv.port}/health`]);
      assert.equal(stdout, "200");
    }
    // Two newcomers, two of the held sockets closed by the server to admit them (this waits for it).
    await new Promise<void>((resolve) => {
      let n = 0;
      for (const s of held) void (s.closed ? Promise.resolve() : once(s, "close")).then(() => ++n === 2 && resolve());
    });
    for (const s of held) s.destroy();
  });
});

describe("TLS", () => {
  let srv: TestServer;
  let url: string;
  before(async () => {
    srv = await startTestServer({ TLS_CERT: CERT, TLS_KEY: KEY });
    url = `https://localhost:${srv.port}`;
  });
  after(() => srv.close());

  test("the server says https, and a clear-text request on the TLS port gets nothing", async () => {
    assert.match(srv.url, /^https:\/\//);
    const clear = await fetch(`http://127.0.0.1:${srv.port}/health`).then(
      (r) => r.status,
      () => "refused",
    );
    assert.equal(clear, "refused");
  });

  test("curl over HTTP/1.1 and HTTP/2 (ALPN), trusting the certificate", async () => {
    for (const version of ["--http1.1", "--http2"]) {
      const { stdout } = await run("curl", ["-s", version, "--cacert", CERT, "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "-H", `x-api-key: ${srv.readKey}`, "-H", "content-type: application/json", "-d", '{"query":"nobody-here"}', `${url}/beholder.v1.SearchService/Search`]);
      assert.equal(stdout, version === "--http2" ? "2 200" : "1.1 200");
    }
    const untrusted = await run("curl", ["-s", `${url}/health`]).then(() => 0, (e: { code: number }) => e.code);
    assert.equal(untrusted, 60, "curl refuses a certificate it was not told to trust");
  });

  test("buf curl: gRPC over TLS, by reflection", async () => {
    const { stdout } = await run("npx", ["buf", "curl", "--protocol", "grpc", "--cacert", CERT, "--list-services", url]);
    assert.match(stdout, /^beholder\.v1\.DiagnosisService$/m);
    const health = await run("npx", ["buf", "curl", "--protocol", "grpc", "--cacert", CERT, `${url}/grpc.health.v1.Health/Check`]);
    assert.equal((JSON.parse(health.stdout) as { status: string }).status, "SERVING");
  });

  test("the generated client (Connect over HTTP/1.1 and HTTP/2, gRPC) and the CLI, with the CA", async () => {
    const ca = readFileSync(CERT);
    for (const options of [{}, { httpVersion: "2" as const }, { protocol: "grpc" as const }]) {
      const client = createBeholderClient(url, srv.readKey, { ...options, ca });
      assert.deepEqual((await client.search.search({ query: "nobody-here" })).results, [], JSON.stringify(options));
      assert.equal((await client.health.check({})).status, Serving.SERVING);
    }
    let out = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
    assert.equal(await beholder(["health", "--url", url, "--cacert", CERT], io, { env: {} }), 0, out);
    assert.match(out, /^server +SERVING$/m);
    await assert.rejects(createBeholderClient(url, srv.readKey).health.check({}), (e) => ConnectError.from(e).code === Code.Unavailable || ConnectError.from(e).code === Code.Internal || ConnectError.from(e).code === Code.Unknown);
  });
});

describe("listening without TLS", () => {
  test("a non-loopback address without TLS is refused unless ALLOW_INSECURE_LISTEN=on; loopback is fine", async () => {
    const dir = mkdtempSync(join(tmpdir(), "beholder-tls-"));
    const config = loadConfig({ DB_PATH: join(dir, "t.db"), SYNC_SCHEDULE: "off", LOG_LEVEL: "silent" });
    const app = await createAppContext(config, { logger: pino({ level: "silent" }) });
    try {
      const server = createServer(app);
      await assert.rejects(server.listen(0, "0.0.0.0"), /refusing to listen on 0\.0\.0\.0 without TLS/);
      const allowed = createServer({ ...app, config: { ...config, server: { ...config.server, allowInsecureListen: true } } });
      const bound = await allowed.listen(0, "0.0.0.0");
      assert.equal(bound.host, "0.0.0.0");
      await allowed.close();
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "0.0.0.0", "::", "10.0.0.5"].map(isLoopbackHost), [true, true, true, true, true, false, false, false]);
  });

  test("TLS_CERT without TLS_KEY is a configuration error", () => {
    assert.throws(() => loadConfig({ TLS_CERT: CERT }), /TLS: set both TLS_CERT and TLS_KEY, or neither/);
  });

  test("REFLECTION=off: buf curl cannot list services; the services still answer", async () => {
    const srv = await startTestServer({ REFLECTION: "off" });
    try {
      const listed = await run("npx", ["buf", "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", srv.url]).then(() => "listed", (e: { stderr: string }) => e.stderr);
      assert.match(listed, /unimplemented/i);
      const client = createBeholderClient(srv.url, srv.readKey);
      assert.deepEqual((await client.search.search({ query: "nobody-here" })).results, []);
    } finally {
      await srv.close();
    }
  });
});
