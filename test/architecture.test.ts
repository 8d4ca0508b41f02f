/**
 * docs/ARCHITECTURE.md's invariants that an import scan can check. Each rule lists what breaks it as
 * `file → import`, so a failure says where to look.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { codeOf, importsOf, isUnder, packageOf, sourceFiles, type ImportEdge } from "./helpers/imports.js";

const SRC = sourceFiles("src");
const LAB = sourceFiles("lab");
const CONSOLE = sourceFiles("console");

/** Modules that open sockets (or, for http/http2/net, also serve them). */
const NETWORK = new Set(["net", "tls", "http", "https", "http2", "dgram", "undici", "node-routeros", "ws"]);
/** Beholder's own server needs these and only these. */
const SERVING = new Set(["net", "tls", "http", "http2"]);
const isSqlPackage = (e: ImportEdge): boolean => packageOf(e.specifier) === "better-sqlite3" || e.specifier.startsWith("@mikro-orm/");

function under(...folders: string[]): (path: string | undefined) => boolean {
  return (path) => folders.some((f) => isUnder(path, f));
}

function violations(files: string[], forbidden: (edge: ImportEdge) => boolean): string[] {
  return files.flatMap((file) => importsOf(file).filter(forbidden).map((e) => `${e.file} → ${e.specifier}`));
}

function assertNone(found: string[], rule: string): void {
  assert.deepEqual(found, [], `${rule}:\n  ${found.join("\n  ")}`);
}

describe("architecture (docs/ARCHITECTURE.md, Invariants)", () => {
  it("the scanner sees every kind of import, and not imports named in comments", () => {
    const code = [
      'import a from "./a.js";',
      'import type { B } from "../b/b.js";',
      'export { c } from "./c/index.js";',
      'import "node:http";',
      'const d = await import("better-sqlite3");',
      "import {\n  e,\n  f,\n} from \"@mikro-orm/core\";",
      '// import g from "./not-an-import.js";',
      '/** import h from "./nor-this.js"; */',
    ].join("\n");
    const edges = importsOf("src/x/y.ts", code).map((e) => `${e.specifier} ${e.target ?? ""}`.trim()).sort();
    assert.deepEqual(edges, [
      "../b/b.js src/b/b.ts", "./a.js src/x/a.ts", "./c/index.js src/x/c/index.ts", "@mikro-orm/core", "better-sqlite3", "node:http",
    ]);
    assert.ok(SRC.includes("src/main.ts") && LAB.includes("lab/lab.ts"), "the scan reaches src/ and lab/");
    assert.ok(importsOf("src/server/server.ts").some((e) => packageOf(e.specifier) === "http2"), "a real file's imports are read");
  });

  it("the product never imports the lab", () => {
    assertNone(violations(SRC, (e) => isUnder(e.target, "lab")), "src/ imports lab/");
  });

  it("the product never imports the console (console/ is built into static files, not loaded by the server)", () => {
    assertNone(violations([...SRC, ...LAB], (e) => isUnder(e.target, "console")), "src/ or lab/ imports console/");
  });

  it("console/ reaches Beholder only through the browser client: src/client/, gen/, Connect, protobuf and Preact", () => {
    assert.ok(CONSOLE.includes("console/main.tsx") && CONSOLE.includes("console/app.tsx"), "the scan reaches console/ and its .tsx files");
    // src/time/duration.ts is pure wording (no Node API), shared so the page and the sentences agree.
    const clientFiles = new Set(["src/client/browser.ts", "src/client/client.ts", "src/time/duration.ts"]);
    const allowed = (e: ImportEdge): boolean =>
      e.target !== undefined
        ? isUnder(e.target, "console") || isUnder(e.target, "gen") || clientFiles.has(e.target)
        : /^@connectrpc\/connect(-web)?$/.test(e.specifier) || /^@bufbuild\/protobuf(\/|$)/.test(e.specifier) || /^preact(\/hooks)?$/.test(e.specifier);
    assertNone(violations(CONSOLE, (e) => !allowed(e)), "console/ imports beyond the browser client, src/time/duration.ts, gen/, Connect, protobuf and Preact");
  });

  it("the simulators do not share code with the clients and layers they exercise", () => {
    // A simulator that borrowed a client's parser would agree with the client's mistakes. Only the demo
    // (lab/demo/) assembles Beholder; beholder-env.ts names the product's config variables.
    const simulators = LAB.filter((f) => !isUnder(f, "lab/demo"));
    const layers = under("src/vendors", "src/cache", "src/sync", "src/api", "src/server", "src/auth", "src/diagnosis");
    assertNone(violations(simulators, (e) => layers(e.target)), "lab/ (outside lab/demo/) imports a product layer");
  });

  it("triage/ and outage/ import nothing from vendors/, cache/, server/ or api/", () => {
    const files = [...sourceFiles("src/diagnosis/triage"), ...sourceFiles("src/diagnosis/outage")];
    const below = under("src/vendors", "src/cache", "src/server", "src/api", "src/sync", "lab");
    const io = (e: ImportEdge): boolean => NETWORK.has(packageOf(e.specifier)) || isSqlPackage(e);
    assertNone(violations(files, (e) => below(e.target) || io(e)), "pure diagnosis imports a layer or I/O");
  });

  it("no import runs up a floor: server → api → (diagnosis) → vendors, cache, sync, auth, domain", () => {
    const serverOrApi = under("src/server", "src/api");
    const lower = SRC.filter(
      (f) => !isUnder(f, "src/server") && !isUnder(f, "src/api") && !isUnder(f, "src/cli") && f !== "src/main.ts",
    );
    assertNone(violations(lower, (e) => serverOrApi(e.target)), "a lower floor imports server/ or api/");
    assertNone(violations(sourceFiles("src/api"), (e) => isUnder(e.target, "src/server")), "api/ imports server/");
    const above = under("src/cache", "src/sync", "src/auth", "src/diagnosis", "src/context.ts");
    assertNone(violations(sourceFiles("src/vendors"), (e) => above(e.target)), "vendors/ imports a floor above it");
    assertNone(violations(sourceFiles("src/cache"), (e) => under("src/vendors")(e.target)), "cache/ imports vendors/");
    const domain = sourceFiles("src/domain");
    assertNone(violations(domain, (e) => isUnder(e.target, "src") && !isUnder(e.target, "src/domain")), "domain/ imports src/");
  });

  it("only src/vendors/ opens sockets, and src/server/ only serves Beholder's own HTTP", () => {
    const net = (e: ImportEdge): boolean => NETWORK.has(packageOf(e.specifier));
    const elsewhere = SRC.filter((f) => !isUnder(f, "src/vendors") && !isUnder(f, "src/server"));
    assertNone(violations(elsewhere, net), "a network module outside vendors/ and server/");
    const server = sourceFiles("src/server");
    assertNone(violations(server, (e) => net(e) && !SERVING.has(packageOf(e.specifier))), "server/ imports a client module");
    const fetching = [...elsewhere, ...server].filter((f) => /\bfetch\s*\(/.test(codeOf(f)));
    assertNone(fetching, "fetch() outside vendors/");
  });

  it("vendor wire types stop at src/vendors/", () => {
    const outside = SRC.filter((f) => !isUnder(f, "src/vendors"));
    assertNone(violations(outside, (e) => /^src\/vendors\/.*\/wire\.ts$/.test(e.target ?? "")), "a vendor wire type escapes");
  });

  it("nothing outside src/cache/ imports a SQL driver or the ORM", () => {
    const outside = SRC.filter((f) => !isUnder(f, "src/cache"));
    assertNone(violations(outside, isSqlPackage), "SQL driver imported outside cache/");
  });

  it("nothing outside src/cache/ runs SQL text", () => {
    const sql = /\.(?:execute|prepare|exec|run|all|get|raw|pragma)\(\s*[`"'](?:\s*)(?:select|insert|update|delete|create|drop|alter|pragma|with|begin|commit|vacuum)\b/i;
    const outside = SRC.filter((f) => !isUnder(f, "src/cache") && sql.test(codeOf(f)));
    assertNone(outside, "SQL text outside cache/");
  });

  it("src/client/ imports only gen/ and Connect; its browser entry nothing of Node", () => {
    const files = sourceFiles("src/client");
    assert.ok(files.includes("src/client/browser.ts"));
    const allowed = (e: ImportEdge): boolean =>
      e.target !== undefined ? isUnder(e.target, "gen") || isUnder(e.target, "src/client") : /^@(connectrpc|bufbuild)\//.test(e.specifier);
    assertNone(violations(files, (e) => !allowed(e)), "src/client/ imports beyond gen/ and Connect");
    const browser = files.filter((f) => f !== "src/client/node.ts");
    assertNone(violations(browser, (e) => e.specifier === "@connectrpc/connect-node" || e.specifier.startsWith("node:")), "the browser entry imports Node");
  });

  it("the beholder CLI talks to a server only through src/client/, never to the cache", () => {
    const files = ["src/cli/beholder.ts", ...sourceFiles("src/cli/beholder")];
    const below = under("src/cache", "src/context.ts", "src/sync", "src/vendors", "src/auth", "src/server", "src/api", "src/diagnosis", "src/config.ts");
    assertNone(violations(files, (e) => below(e.target) || isSqlPackage(e)), "the beholder CLI reaches past the client");
  });
});
