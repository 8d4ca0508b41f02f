/**
 * The console's static handler through a real port (no browser): security and caching headers,
 * ETag revalidation, gzip, traversal attempts sent byte for byte, methods, a console that is not
 * built, CONSOLE=off, and that no API key reaches the served files.
 */
import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildConsole, type BuiltConsole } from "../../scripts/build-console.js";
import { CONSOLE_CSP } from "../../src/server/console.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path exactly as given: fetch and curl would normalise `..` away. */
function raw(url: string, path: string, method = "GET", headers: Record<string, string> = {}): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise, reject) => {
    const req = http.request({ host: hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function assertSecurityHeaders(r: Raw, what: string): void {
  assert.equal(r.headers["content-security-policy"], CONSOLE_CSP, `${what}: CSP`);
  assert.doesNotMatch(CONSOLE_CSP, /unsafe-inline|unsafe-eval|\*/, "the CSP allows nothing inline and no other origin");
  assert.equal(r.headers["x-content-type-options"], "nosniff", `${what}: nosniff`);
  assert.equal(r.headers["referrer-policy"], "no-referrer", `${what}: referrer-policy`);
  assert.equal(r.headers["x-frame-options"], "DENY", `${what}: x-frame-options`);
}

describe("the console's static files", () => {
  const work = mkdtempSync(join(tmpdir(), "beholder-console-static-"));
  const consoleDir = join(work, "console");
  let built: BuiltConsole;
  let srv: TestServer;
  let js: string;
  let css: string;

  before(async () => {
    built = await buildConsole({ outDir: consoleDir });
    js = built.files.find((f) => /^app-[A-Z0-9]+\.js$/.test(f)) as string;
    css = built.files.find((f) => /^app-[A-Z0-9]+\.css$/.test(f)) as string;
    // Things that sit inside the folder and must never be served: a dotfile, a symlink out of it.
    writeFileSync(join(consoleDir, ".secret"), "DOTFILE-CONTENT");
    mkdirSync(join(consoleDir, ".git"));
    writeFileSync(join(consoleDir, ".git", "config"), "DOTDIR-CONTENT");
    symlinkSync(resolve("package.json"), join(consoleDir, "linked.json"));
    srv = await startTestServer({ CONSOLE_DIR: consoleDir });
  });
  after(async () => {
    await srv?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test("the build has hashed names and an index.html with no inline script or style", () => {
    assert.ok(js && css, `hashed bundle and stylesheet: ${built.files.join(", ")}`);
    const html = readFileSync(join(consoleDir, "index.html"), "utf8");
    assert.ok(html.includes(`<script type="module" src="/console/${js}"></script>`));
    assert.ok(html.includes(`<link rel="stylesheet" href="/console/${css}">`));
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "no inline script");
    assert.doesNotMatch(html, /<style|\sstyle=/, "no inline style");
  });

  test("/ and /console redirect to /console/", async () => {
    for (const path of ["/", "/console"]) {
      const r = await raw(srv.url, path);
      assert.equal(r.status, 302, path);
      assert.equal(r.headers.location, "/console/", path);
      assertSecurityHeaders(r, path);
    }
  });

  test("index.html: HTML, revalidated (no-cache + ETag → 304), with the security headers", async () => {
    const r = await raw(srv.url, "/console/");
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(r.headers["cache-control"], "no-cache");
    assertSecurityHeaders(r, "/console/");
    const etag = r.headers.etag as string;
    assert.match(etag, /^"[\w-]+"$/);
    assert.equal(r.body.toString("utf8"), readFileSync(join(consoleDir, "index.html"), "utf8"));

    const again = await raw(srv.url, "/console/", "GET", { "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    assertSecurityHeaders(again, "304");
    assert.equal((await raw(srv.url, "/console/", "GET", { "if-none-match": '"something-else"' })).status, 200);
    assert.equal((await raw(srv.url, "/console/index.html")).headers.etag, etag, "the same file by its name");

    const head = await raw(srv.url, "/console/", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers.etag, etag);
    assert.equal(head.headers["content-length"], String(r.body.length));
  });

  test("hashed assets: right types, cached for a year, gzip when asked, 304 on their ETag", async () => {
    const script = await raw(srv.url, `/console/${js}`);
    assert.equal(script.status, 200);
    assert.equal(script.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(script.headers["cache-control"], "public, max-age=31536000, immutable");
    assertSecurityHeaders(script, js);
    const style = await raw(srv.url, `/console/${css}`);
    assert.equal(style.headers["content-type"], "text/css; charset=utf-8");
    assert.equal(style.headers["cache-control"], "public, max-age=31536000, immutable");
    const map = await raw(srv.url, `/console/${js}.map`);
    assert.equal(map.headers["content-type"], "application/json; charset=utf-8");

    const gz = await raw(srv.url, `/console/${js}`, "GET", { "accept-encoding": "gzip, br" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(gz.headers.vary, "accept-encoding");
    assert.ok(gz.body.length < script.body.length / 2, `gzip shrinks the bundle (${gz.body.length} of ${script.body.length} bytes)`);
    assert.notEqual(gz.headers.etag, script.headers.etag, "each encoding has its own ETag");
    assert.equal((await raw(srv.url, `/console/${js}`, "GET", { "accept-encoding": "gzip", "if-none-match": gz.headers.etag as string })).status, 304);
    assert.equal((await raw(srv.url, `/console/${js}`, "GET", { "if-none-match": script.headers.etag as string })).status, 304);
  });

  test("traversal, encoded dots, NUL bytes, dotfiles and symlinks out: 404, nothing outside served", async () => {
    const pkg = readFileSync("package.json", "utf8");
    const attempts = [
      "/console/../package.json",
      "/console/../../package.json",
      "/console/%2e%2e/package.json",
      "/console/%2E%2E/%2E%2E/package.json",
      "/console/..%2fpackage.json",
      "/console/%2e%2e%2f%2e%2e%2fpackage.json",
      "/console/..%5cpackage.json",
      "/console/%252e%252e/package.json",
      `/console/${js}%00.html`,
      "/console/%00",
      "/console/index.html%00",
      "/console/.secret",
      "/console/%2esecret",
      "/console/.git/config",
      "/console/linked.json",
      "/console//etc/passwd",
      "/console/%2fetc%2fpasswd",
      "/console/%zz",
      "/console/nope.js",
    ];
    for (const path of attempts) {
      const r = await raw(srv.url, path);
      assert.equal(r.status, 404, `${path} → ${r.status}`);
      const body = r.body.toString("utf8");
      assert.ok(!body.includes("DOTFILE-CONTENT") && !body.includes("DOTDIR-CONTENT") && !body.includes(pkg.slice(0, 40)), `${path} leaks nothing`);
      assertSecurityHeaders(r, path);
    }
  });

  test("other methods: 405 with allow: GET, HEAD; the API and its CORS are untouched", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
      const r = await raw(srv.url, "/console/", method);
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, "GET, HEAD");
      assertSecurityHeaders(r, method);
    }
    const preflight = await raw(srv.url, "/beholder.v1.SearchService/Search", "OPTIONS", {
      origin: "https://frontend.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,x-api-key",
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], "*");
    assert.equal(preflight.headers["content-security-policy"], undefined, "API answers do not carry the console's headers");
    const search = await fetch(`${srv.url}/beholder.v1.SearchService/Search`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": srv.readKey },
      body: JSON.stringify({ query: "nobody-here" }),
    });
    assert.equal(search.status, 200);
  });

  test("HTTP/2 (h2c) clients get the same page and headers", async () => {
    const session = http2.connect(srv.url);
    try {
      const { status, csp, body } = await new Promise<{ status: number; csp: unknown; body: string }>((done, reject) => {
        const stream = session.request({ ":path": "/console/", ":method": "GET" });
        let status = 0;
        let csp: unknown;
        let body = "";
        stream.on("response", (h) => {
          status = Number(h[":status"]);
          csp = h["content-security-policy"];
        });
        stream.setEncoding("utf8");
        stream.on("data", (c: string) => (body += c));
        stream.on("end", () => done({ status, csp, body }));
        stream.on("error", reject);
      });
      assert.equal(status, 200);
      assert.equal(csp, CONSOLE_CSP);
      assert.ok(body.includes(`/console/${js}`));
    } finally {
      session.close();
    }
  });

  test("no API key in the served page or bundle", async () => {
    const served = (await Promise.all([`/console/`, `/console/${js}`, `/console/${css}`, `/console/${js}.map`].map((p) => raw(srv.url, p))))
      .map((r) => r.body.toString("utf8"))
      .join("\n");
    for (const key of [srv.readKey, srv.adminKey]) {
      assert.ok(!served.includes(key), "a key created for this server is not in the files");
      const [, id] = /^bh_([0-9a-f]+)_/.exec(key) ?? [];
      assert.ok(id && !served.includes(id), "nor its key id");
    }
    assert.doesNotMatch(served, /bh_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}/, "nothing shaped like a key");
    assert.match(served, /sessionStorage/, "the key is kept per tab");
    assert.doesNotMatch(served.replace(/\/\/# sourceMappingURL=.*$/gm, ""), /localStorage\.setItem/, "never in localStorage");
  });
});

describe("the console when it is not built, or switched off", () => {
  const empty = mkdtempSync(join(tmpdir(), "beholder-console-none-"));
  after(() => rmSync(empty, { recursive: true, force: true }));

  test("not built: /console/ answers 503 saying to run npm run build; the server keeps serving", async () => {
    const srv = await startTestServer({ CONSOLE_DIR: join(empty, "missing") });
    try {
      const r = await raw(srv.url, "/console/");
      assert.equal(r.status, 503);
      assert.equal(r.headers["content-type"], "text/plain; charset=utf-8");
      assert.match(r.body.toString("utf8"), /the agent console is not built: run `npm run build`/);
      assertSecurityHeaders(r, "503");
      assert.equal((await raw(srv.url, `/console/app-ABCDEFGH.js`)).status, 503);
      assert.equal((await raw(srv.url, "/")).status, 302);
      assert.equal((await raw(srv.url, "/health")).status, 200, "the rest of the server is unaffected");
    } finally {
      await srv.close();
    }
  });

  test("CONSOLE=off: nothing is served on / or /console/", async () => {
    const srv = await startTestServer({ CONSOLE: "off", CONSOLE_DIR: join(empty, "missing") });
    try {
      for (const path of ["/", "/console/"]) {
        const r = await raw(srv.url, path);
        assert.equal(r.status, 404, path);
        assert.equal(r.headers["content-security-policy"], undefined, `${path} is not the console's`);
      }
    } finally {
      await srv.close();
    }
  });
});
