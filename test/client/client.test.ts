import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import { HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { KeyScope } from "../../gen/beholder/v1/keys_pb.js";
import { createBeholderClient } from "../../src/client/node.js";
import { createBeholderClient as createBrowserClient } from "../../src/client/browser.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";

const run = promisify(execFile);

async function rejectsWith(p: Promise<unknown>, code: Code, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    const e = ConnectError.from(err);
    assert.equal(e.code, code, e.rawMessage);
    if (message) assert.match(e.rawMessage, message);
    return true;
  });
}

describe("createBeholderClient and the example bot, against a server on the lab", () => {
  let env: DiagnosisLab;
  before(async () => {
    env = await startDiagnosisLab("scenarios/triage-cases.json");
  });
  after(() => env.close());

  test("the Node client sends the key: search and diagnose; the wrong key or scope is refused", async () => {
    const client = createBeholderClient(env.srv.url, env.srv.readKey);
    const { results } = await client.search.search({ query: "perez.maria" });
    assert.equal(results[0]?.pppoeUser, "perez.maria");
    const { diagnosis } = await client.diagnosis.getDiagnosis({ pppoeUser: "perez.maria" });
    assert.equal(diagnosis?.pppoeUser, "perez.maria");
    assert.ok(diagnosis?.verdict?.customerMessage);

    await rejectsWith(createBeholderClient(env.srv.url, undefined).search.search({ query: "perez" }), Code.Unauthenticated, /missing API key/);
    await rejectsWith(createBeholderClient(env.srv.url, "bh_000000000000_" + "x".repeat(43)).search.search({ query: "perez" }), Code.Unauthenticated);
    await rejectsWith(client.keys.listKeys({}), Code.PermissionDenied, /lacks the admin scope/);
    // Health needs no key.
    const health = await createBeholderClient(env.srv.url, undefined).health.check({});
    assert.equal(health.status, Status.SERVING);
  });

  test("over gRPC (h2c) and over HTTP/2 Connect too", async () => {
    for (const options of [{ protocol: "grpc" as const }, { httpVersion: "2" as const }, { json: true }]) {
      const client = createBeholderClient(env.srv.url, env.srv.readKey, options);
      const { results } = await client.search.search({ query: "gomez.lucia" });
      assert.equal(results[0]?.pppoeUser, "gomez.lucia", JSON.stringify(options));
    }
  });

  test("the browser entry (Connect over fetch) works against the same server", async () => {
    const client = createBrowserClient(env.srv.url, env.srv.readKey, { useHttpGet: true });
    const { results } = await client.search.search({ query: "gomez.lucia" });
    assert.equal(results[0]?.pppoeUser, "gomez.lucia");
  });

  test("a URL that is not http(s) is refused before any call", () => {
    assert.throws(() => createBeholderClient("ftp://example.org", "k"), /not an http\(s\) URL/);
    assert.throws(() => createBeholderClient("127.0.0.1:8500", "k"), /not an http\(s\) URL|not a URL/);
  });

  test("KeyService: an admin key creates, lists and revokes keys; the revoked key stops working", async () => {
    const admin = createBeholderClient(env.srv.url, env.srv.adminKey);
    const created = await admin.keys.createKey({ name: "bot-1", scopes: [KeyScope.READ] });
    assert.match(created.key, /^bh_[0-9a-f]{12}_/);
    assert.deepEqual(created.info?.scopes, [KeyScope.READ]);
    assert.ok(created.key.includes(created.info?.keyId ?? "?"));
    const bot = createBeholderClient(env.srv.url, created.key);
    assert.equal((await bot.search.search({ query: "gomez.lucia" })).results.length > 0, true);

    const listed = await admin.keys.listKeys({});
    const row = listed.keys.find((k) => k.name === "bot-1");
    assert.ok(row && row.revokedAt === undefined);
    assert.ok(!JSON.stringify(listed.keys.map((k) => [k.name, k.keyId])).includes(created.key), "no secret in the list");

    await rejectsWith(admin.keys.createKey({ name: "bot-1" }), Code.AlreadyExists, /already exists/);
    await rejectsWith(admin.keys.createKey({ name: "bad name!" }), Code.InvalidArgument, /name must be/);
    await rejectsWith(admin.keys.createKey({ name: "" }), Code.InvalidArgument, /^name must be set$/);

    const revoked = await admin.keys.revokeKey({ name: "bot-1" });
    assert.ok(revoked.info?.revokedAt);
    await rejectsWith(bot.search.search({ query: "gomez.lucia" }), Code.Unauthenticated, /invalid or revoked/);
    await rejectsWith(admin.keys.revokeKey({ name: "bot-1" }), Code.NotFound, /^no active key named bot-1$/);
    assert.ok(!env.srv.logText().includes(created.key.slice(17)), "the secret never reaches a log line");
  });

  test("examples/bot.ts (as CI runs it): searches, diagnoses and prints the customer sentence", async () => {
    const client = createBeholderClient(env.srv.url, env.srv.readKey);
    const want = (await client.diagnosis.getDiagnosis({ pppoeUser: "perez.maria" })).diagnosis?.verdict;
    const childEnv = { ...process.env, BEHOLDER_URL: env.srv.url, BEHOLDER_KEY: env.srv.readKey };
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/bot.ts", "perez.maria"], { env: childEnv });
    const lines = stdout.trim().split("\n");
    assert.match(lines[0] ?? "", /^perez\.maria \(.+\): DISPATCH, confidence \w+$/);
    assert.equal(lines[1], want?.customerMessage);

    const nobody = await run(process.execPath, ["--import", "tsx", "examples/bot.ts", "zzqxj"], { env: childEnv }).catch((e: { code: number; stdout: string }) => e);
    assert.equal((nobody as { code?: number }).code, 3);
    assert.match((nobody as { stdout: string }).stdout, /nobody matches "zzqxj"/);
  });
});
