/** The ISPCube client under the lab's injected faults, and a few odd answers from a one-off server. */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import type { HttpFault } from "../../lab/scenario/types.js";
import { isVendorError } from "../../src/vendors/errors.js";
import { createGuard } from "../../src/vendors/guard.js";
import { createIspCubeClient } from "../../src/vendors/ispcube/client.js";
import { API_KEY, CLIENT_ID, PASSWORD, USERNAME } from "../lab/ispcube-fixture.js";
import { captureLogger, labConfig, startClientLab, testGuardOptions, type ClientLab, type ClientLabOptions } from "./ispcube-fixture.js";

async function expectKind(p: Promise<unknown>, kind: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isVendorError(err), `not a VendorError: ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

async function withLab(opts: ClientLabOptions, body: (t: ClientLab) => Promise<void>): Promise<void> {
  const t = await startClientLab(opts);
  try {
    await body(t);
  } finally {
    await t.close();
  }
}

function setFault(t: ClientLab, endpoint: string, fault: HttpFault): void {
  t.lab.ctx.scenario.faults = { ispcube: { [endpoint]: fault } };
}

describe("ispcube client: lab faults", () => {
  it("retries ISPCube's error-with-HTTP-200 like any failed read, then reports unavailable", () =>
    withLab({}, async (t) => {
      setFault(t, "plans/plans_list", { status200Error: true });
      await expectKind(t.client.plans(), "unavailable", /error with HTTP 200: No se pudo procesar/);
      assert.equal(t.calls("plans/plans_list"), 3, "1 attempt + 2 retries");
    }));

  it("rides out a burst of HTML 502s thanks to retries", () =>
    withLab({}, async (t) => {
      setFault(t, "plans/plans_list", { burst: { count: 2, status: 502 } });
      assert.equal((await t.client.plans()).length, 1);
      assert.equal(t.calls("plans/plans_list"), 3);
    }));

  it("reports a longer 502 burst as unavailable, without the HTML page", () =>
    withLab({}, async (t) => {
      setFault(t, "nodes/nodes_list", { burst: { count: 5, status: 502 } });
      await expectKind(t.client.nodes(), "unavailable", /HTTP 502$/);
    }));

  it("reports Laravel's 500 with its message", () =>
    withLab({ guard: { retries: 0 } }, async (t) => {
      setFault(t, "connections/connections_list", { errorRate: 1 });
      await expectKind(t.client.connections(), "unavailable", /HTTP 500: Server Error/);
    }));

  it("reports a 429 as rate_limited", () =>
    withLab({ guard: { retries: 0 } }, async (t) => {
      setFault(t, "plans/plans_list", { burst: { count: 1, status: 429 } });
      await expectKind(t.client.plans(), "rate_limited");
    }));

  it("opens the breaker under a 100% error rate, fails fast, and recovers", () =>
    withLab({ guard: { retries: 0, volumeThreshold: 2, errorThresholdPercent: 50, resetTimeoutMs: 150 } }, async (t) => {
      await t.client.plans();
      setFault(t, "plans/plans_list", { errorRate: 1 });
      const kinds: string[] = [];
      for (let i = 0; i < 4; i++) {
        await t.client.plans().catch((err: unknown) => kinds.push(isVendorError(err) ? err.kind : "?"));
      }
      assert.deepEqual(kinds.slice(0, 2), ["unavailable", "unavailable"]);
      assert.deepEqual(kinds.slice(2), ["breaker_open", "breaker_open"]);
      assert.equal(t.guard.state(), "open");
      const reached = t.calls("plans/plans_list");
      for (let i = 0; i < 5; i++) await expectKind(t.client.plans(), "breaker_open");
      assert.equal(t.calls("plans/plans_list"), reached, "an open breaker sends nothing");
      delete t.lab.ctx.scenario.faults;
      await sleep(200);
      assert.equal((await t.client.plans()).length, 1);
      assert.equal(t.guard.state(), "closed");
    }));

  it("times out on a hung answer", () =>
    withLab({ guard: { retries: 0, timeoutMs: 150 } }, async (t) => {
      setFault(t, "plans/plans_list", { hang: true });
      await expectKind(t.client.plans(), "timeout", /no answer within 150 ms/);
    }));

  it("times out on a hung login too", () =>
    withLab({ guard: { retries: 0, timeoutMs: 150 } }, async (t) => {
      setFault(t, "sanctum/token", { hang: true });
      await expectKind(t.client.nodes(), "timeout");
    }));

  it("reports a connection reset on customers_list page 2 as unavailable", () =>
    withLab({ guard: { retries: 1 } }, async (t) => {
      const pages: number[] = [];
      await expectKind(
        (async () => {
          for await (const page of t.client.customers({ pageSize: 3 })) {
            pages.push(page.length);
            setFault(t, "customers/customers_list", { resetMidResponse: true });
          }
        })(),
        "unavailable",
      );
      assert.deepEqual(pages, [3]);
      assert.equal(t.calls("customers/customers_list"), 3, "page 1, then page 2 tried twice");
    }));

  it("reports a vendor that is down as unavailable", () =>
    withLab({ guard: { retries: 0 } }, async (t) => {
      setFault(t, "*", { down: true });
      await expectKind(t.client.plans(), "unavailable", /request failed/);
    }));

  it("stops paging when the caller aborts", () =>
    withLab({}, async (t) => {
      const controller = new AbortController();
      await expectKind(
        (async () => {
          for await (const page of t.client.customers({ pageSize: 2, signal: controller.signal })) {
            assert.equal(page.length, 2);
            controller.abort();
          }
        })(),
        "timeout",
        /cancelled by the caller/,
      );
      assert.equal(t.calls("customers/customers_list"), 1);
    }));
});

// --- answers the lab does not give, from a few-line server (STYLE §13) ---

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Odd {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

async function oddServer(answer: (seen: Seen) => Odd): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const s = { path: req.url ?? "", headers: req.headers, body };
      seen.push(s);
      const a = answer(s);
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const BRACED_TOKEN = "{ 5|UdaQdRYxaOQfVSinqLbZIlUtuDinqt60WwWUGfGZ }";

async function withOdd(data: (seen: Seen) => Odd, body: (c: ReturnType<typeof createIspCubeClient>, seen: Seen[]) => Promise<void>, login?: Odd): Promise<void> {
  const srv = await oddServer((s) => (s.path === "/api/sanctum/token" ? (login ?? { status: 200, body: BRACED_TOKEN, headers: { "content-type": "text/plain" } }) : data(s)));
  const guard = createGuard(testGuardOptions({ retries: 1 }));
  const log = captureLogger();
  try {
    await body(createIspCubeClient(labConfig(srv.url), guard, { logger: log.logger }), srv.seen);
    assert.ok(!log.lines.join("\n").includes("UdaQdRYx"), "the token is never logged");
  } finally {
    guard.shutdown();
    await srv.close();
  }
}

describe("ispcube client: odd answers", () => {
  it("logs in with the doc's brace-wrapped token and sends the seven headers", () =>
    withOdd(
      () => ({ status: 200, body: "[]" }),
      async (client, seen) => {
        assert.deepEqual(await client.plans(), []);
        const [login, data] = seen;
        assert.equal(login?.headers["api-key"], API_KEY);
        assert.equal(login?.headers["client-id"], CLIENT_ID);
        assert.equal(login?.headers["login-type"], "api");
        assert.equal(login?.headers["authorization"], undefined);
        assert.equal(login?.headers["username"], undefined);
        assert.deepEqual(JSON.parse(login?.body ?? ""), { username: USERNAME, password: PASSWORD });
        assert.equal(data?.path, "/api/plans/plans_list");
        const h = data?.headers ?? {};
        assert.deepEqual(
          [h["content-type"], h["accept"], h["api-key"], h["client-id"], h["login-type"], h["username"], h["authorization"]],
          ["application/json", "application/json", API_KEY, CLIENT_ID, "api", USERNAME, "Bearer 5|UdaQdRYxaOQfVSinqLbZIlUtuDinqt60WwWUGfGZ"],
        );
        assert.equal(client.requests(), 2);
      },
    ));

  it("reports a missing-header 400 as our bug (bad_response), not retried", () =>
    withOdd(
      () => ({ status: 400, body: JSON.stringify({ status: false, message: "username header requerido" }) }),
      async (client, seen) => {
        await expectKind(client.plans(), "bad_response", /HTTP 400: username header requerido/);
        assert.equal(seen.length, 2);
      },
    ));

  it("reports a 403 as auth (a permission to grant inside ISPCube)", () =>
    withOdd(
      () => ({ status: 403, body: JSON.stringify({ message: "This action is unauthorized." }) }),
      (client) => expectKind(client.nodes(), "auth", /permission denied/),
    ));

  it("waits out a 429's Retry-After and retries", () => {
    let n = 0;
    return withOdd(
      () => (n++ === 0 ? { status: 429, body: "{}", headers: { "retry-after": "0" } } : { status: 200, body: "[]" }),
      async (client) => assert.deepEqual(await client.nodes(), []),
    );
  });

  it("reports HTML with HTTP 200, an unexpected shape and a redirect as bad_response", () =>
    withOdd(
      (s): Odd =>
        s.path.startsWith("/api/plans")
          ? { status: 200, body: "<html>mantenimiento</html>", headers: { "content-type": "text/html" } }
          : s.path.startsWith("/api/nodes")
            ? { status: 200, body: JSON.stringify({ count: 1 }) }
            : { status: 302, body: "", headers: { location: "https://elsewhere.example/login" } },
      async (client) => {
        await expectKind(client.plans(), "bad_response", /not JSON/);
        await expectKind(client.nodes(), "bad_response", /expected a JSON array/);
        await expectKind(client.connections(), "bad_response", /redirected \(HTTP 302\).*ISPCUBE_BASEURL/);
      },
    ));

  it("reports a login that answers no token as bad_response, without echoing the body", () =>
    withOdd(
      () => ({ status: 200, body: "[]" }),
      (client) => expectKind(client.plans(), "bad_response", /^ispcube sanctum\/token: login answered no readable token$/),
      { status: 200, body: "<html>Bienvenido</html>", headers: { "content-type": "text/html" } },
    ));
});

describe("ispcube client: the injected clock", () => {
  it("reads a Retry-After HTTP date against the injected clock, not the machine's", async () => {
    // Years away from the machine's clock, so a client reading Date.now() would say 0 or years.
    const now = new Date("2031-05-04T12:00:00Z");
    const retryAt = new Date(now.getTime() + 90_000).toUTCString();
    const srv = await oddServer(
      (s): Odd =>
        s.path === "/api/sanctum/token"
          ? { status: 200, body: BRACED_TOKEN, headers: { "content-type": "text/plain" } }
          : { status: 429, body: "{}", headers: { "retry-after": retryAt } },
    );
    const guard = createGuard(testGuardOptions({ retries: 0 }));
    try {
      const client = createIspCubeClient(labConfig(srv.url), guard, { now: () => now });
      const err = await client.plans().then(
        () => assert.fail("expected rate_limited"),
        (e: unknown) => e,
      );
      assert.ok(isVendorError(err) && err.kind === "rate_limited", String(err));
      assert.equal(err.retryAfterS, 90);
    } finally {
      guard.shutdown();
      await srv.close();
    }
  });
});
