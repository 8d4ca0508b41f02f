import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";
import { queryCache } from "../helpers/sqlite.js";

/** Codes the README documents for a request; anything else (internal, unknown) is a bug. */
const DOCUMENTED = new Set([Code.InvalidArgument, Code.NotFound, Code.ResourceExhausted, Code.Unauthenticated, Code.PermissionDenied]);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);

/** Unicode, control characters, long strings, FTS and SQL metacharacters, path-like names. */
const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", minLength: 60, maxLength: 3000 }),
  fc.constantFrom(
    "",
    "   ",
    "\u0000",
    "a\u0000b",
    "\u202egomez",
    "\ud800",
    '"',
    '"gomez',
    "gomez*",
    "NEAR(gomez lucia)",
    "gomez OR 1=1",
    "gomez AND NOT x",
    "{customer_name}: x",
    "^gomez",
    "' OR '1'='1",
    "'; DROP TABLE subscriber; --",
    "gomez%",
    "_%_",
    "../../etc/passwd",
    "..\\..\\windows",
    "%2e%2e%2f",
    "/ppp/secret/print",
    "=name=x",
    "?name=gomez.lucia",
    "gomez.lucia\r\n=disabled=yes",
    "🙂".repeat(70),
    "ñandú-ÁÉÍ",
    "x".repeat(65),
  ),
  fc.tuple(fc.constantFrom("gomez.lucia", "sosa.ramon"), fc.constantFrom("*", '"', "\u0000", " OR ", "'", "%", "\n")).map(([a, b]) => a + b),
);

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it). */
function percentEncode(raw: string): string {
  return [...Buffer.from(raw, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

/** Escapes that do not decode: a lone surrogate in WTF-8, overlong forms, truncated and bad escapes. */
const malformedEscapes = fc.constantFrom("%ED%A0%80", "%C0%AF", "%E0%80%AF", "%", "%zz", "gomez%", "%E2%82", "%FF%FE", "..%2F..%2Fetc%2Fpasswd", "%00");

/** Every table a request could touch; keys' last-use bookkeeping aside. */
function cacheDigest(env: DiagnosisLab): string {
  const path = env.srv.app.config.db.path;
  const tables = (queryCache(path, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%api_key%' order by name") as { name: string }[]).map((t) => t.name);
  const hash = createHash("sha256");
  // Rows sorted by their text: some tables (FTS5's shadow tables) have no rowid to order by.
  for (const t of tables) hash.update(t).update(JSON.stringify(queryCache(path, `select * from "${t}"`).map((r) => JSON.stringify(r)).sort()));
  return hash.digest("hex");
}

async function codeOf(p: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

function assertDocumented(code: Code | "ok", what: string): void {
  assert.ok(code === "ok" || DOCUMENTED.has(code), `${what}: ${code === "ok" ? "ok" : Code[code]}`);
}

describe("hostile input: only documented codes, no crash, no change to the cache", () => {
  let env: DiagnosisLab;
  let before_: string;
  before(async () => {
    env = await startDiagnosisLab("scenarios/healthy.json", {
      RATE_LIMIT_READ_PER_MIN: "100000",
      RATE_LIMIT_ADMIN_PER_MIN: "100000",
      RATE_LIMIT_WATCH_STREAMS: "1000",
    });
    before_ = cacheDigest(env);
  });
  after(() => env?.close());

  // Last: the server still answers, and nothing any of the above sent was written.
  const unchanged = async (): Promise<void> => {
    assert.equal((await fetch(`${env.srv.url}/health`)).status, 200);
    assert.equal(cacheDigest(env), before_, "the cache is unchanged");
  };

  const read = (): { headers: Record<string, string> } => ({ headers: { "x-api-key": env.srv.readKey } });

  test("GetDiagnosis, GetLiveTraffic and WatchDiagnosis on any subscriber fields", async () => {
    const diagnosis = createClient(DiagnosisService, createGrpcTransport({ baseUrl: env.srv.url }));
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, fc.integer({ min: 0, max: 2 }), async (user, serial, code, which) => {
        // Sometimes one field only (the validator's happy shape), sometimes several.
        const req = which === 0 ? { pppoeUser: user } : which === 1 ? { onuSerial: serial } : { pppoeUser: user, onuSerial: serial, customerCode: code };
        assertDocumented(await codeOf(diagnosis.getDiagnosis(req, read())), "GetDiagnosis");
        assertDocumented(await codeOf(diagnosis.getLiveTraffic(req, read())), "GetLiveTraffic");
        const abort = new AbortController();
        const watched = codeOf((async () => {
          for await (const _ of diagnosis.watchDiagnosis(req, { ...read(), signal: abort.signal })) break;
        })());
        assertDocumented(await watched, "WatchDiagnosis");
        abort.abort();
      }),
      { numRuns: RUNS },
    );
  });

  test("Search and ListIncidents on any text and any page fields", async () => {
    const search = createClient(SearchService, createConnectTransport({ baseUrl: env.srv.url, httpVersion: "1.1" }));
    const diagnosis = createClient(DiagnosisService, createConnectTransport({ baseUrl: env.srv.url, httpVersion: "1.1" }));
    await fc.assert(
      fc.asyncProperty(hostileText, fc.integer(), hostileText, async (query, pageSize, pageToken) => {
        assertDocumented(await codeOf(search.search({ query, pageSize, pageToken }, read())), "Search");
        assertDocumented(await codeOf(search.search({ query }, read())), "Search");
        assertDocumented(await codeOf(diagnosis.listIncidents({ oltId: query, pageSize, pageToken }, read())), "ListIncidents");
      }),
      { numRuns: RUNS },
    );
  });

  test("RunSync with enum values that do not exist is refused before any sync starts", async () => {
    const sync = createClient(SyncService, createGrpcTransport({ baseUrl: env.srv.url }));
    const admin = { headers: { "x-api-key": env.srv.adminKey } };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -5, max: 1000 }).filter((j) => j !== 1 && j !== 2),
        fc.array(fc.integer({ min: -5, max: 1000 }), { maxLength: 5 }),
        async (job, sources) => {
          const code = await codeOf((async () => {
            for await (const _ of sync.runSync({ job, sources }, admin));
          })());
          assert.equal(code, Code.InvalidArgument, `job ${job} sources ${sources.join(",")}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("Connect JSON bodies of the wrong types and binary garbage: invalid_argument, never internal", async () => {
    const anyJson = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ pppoeUser: fc.jsonValue({ maxDepth: 2 }), query: fc.jsonValue({ maxDepth: 2 }), pageSize: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({ pppoe_user: fc.anything({ maxDepth: 2 }) }).map((o) => JSON.parse(JSON.stringify(o) ?? "null") as unknown),
    );
    const procedures = ["beholder.v1.DiagnosisService/GetDiagnosis", "beholder.v1.DiagnosisService/GetLiveTraffic", "beholder.v1.DiagnosisService/ListIncidents", "beholder.v1.SearchService/Search"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...procedures), anyJson, fc.uint8Array({ maxLength: 200 }), async (procedure, body, bytes) => {
        const json = await fetch(`${env.srv.url}/${procedure}`, { method: "POST", headers: { "content-type": "application/json", ...read().headers }, body: JSON.stringify(body) ?? "null" });
        const text = await json.text();
        assert.ok([200, 400, 404, 429].includes(json.status), `${procedure} json ${JSON.stringify(body)}: ${json.status} ${text}`);
        const proto = await fetch(`${env.srv.url}/${procedure}`, { method: "POST", headers: { "content-type": "application/proto", ...read().headers }, body: bytes });
        const ptext = await proto.text();
        assert.ok([200, 400, 404, 429].includes(proto.status), `${procedure} proto: ${proto.status} ${ptext}`);
      }),
      { numRuns: RUNS },
    );
  });

  test("the old paths on any name and query: 200, 400 or 404, never 500", async () => {
    // Found by this property: an escape that is not UTF-8 used to be a 500.
    for (const bad of ["%ED%A0%80", "%zz"]) {
      const res = await fetch(`${env.srv.url}/diagnosis/${bad}`, { headers: read().headers });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { detail: "pppoe_user must be percent-encoded UTF-8" });
    }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("diagnosis", "live", "search"), fc.oneof(hostileText.map(percentEncode), malformedEscapes), async (kind, arg) => {
        const url = kind === "search" ? `${env.srv.url}/search?q=${arg}` : `${env.srv.url}/${kind}/${arg}`;
        const res = await fetch(url, { headers: read().headers });
        const text = await res.text();
        assert.ok([200, 400, 404].includes(res.status), `${url.slice(0, 200)}: ${res.status} ${text.slice(0, 200)}`);
        if (res.status !== 200) assert.doesNotMatch(text, /at .*\.ts:\d+/, "no stack trace");
      }),
      { numRuns: RUNS },
    );
  });

  test("afterwards the server answers and the cache is exactly as before", unchanged);
});
