import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncJob, SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";
import { keySecretOf } from "../helpers/server.js";

const LEGACY_KEY = "legacy-shared-key-7f3a9c21d4e8";

async function control(env: DiagnosisLab, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${env.lab.control.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.equal(res.status, 200, await res.text());
}

/**
 * A representative run at debug level — sync, diagnosis, live traffic, search, watch, the old paths,
 * failing auth and failing vendor logins — then no configured secret may appear in any log line.
 */
describe("no secret reaches the logs, at debug level", () => {
  let env: DiagnosisLab;
  before(async () => {
    env = await startDiagnosisLab("scenarios/healthy.json", { LOG_LEVEL: "debug", API_KEY: LEGACY_KEY, BREAKER_VOLUME: "1000" });
  });
  after(() => env.close());

  test("the whole mix, then a scan of every line", async () => {
    const { srv, lab } = env;
    const read = { "x-api-key": srv.readKey };
    const admin = { "x-api-key": srv.adminKey };
    const connect = createConnectTransport({ baseUrl: srv.url, httpVersion: "1.1" });
    const grpc = createGrpcTransport({ baseUrl: srv.url });
    const diagnosis = createClient(DiagnosisService, connect);
    const search = createClient(SearchService, grpc);
    const sync = createClient(SyncService, grpc);
    const swallow = (p: Promise<unknown>): Promise<unknown> => p.catch((err: unknown) => ConnectError.from(err).code);

    await diagnosis.getDiagnosis({ pppoeUser: "gomez.lucia" }, { headers: read });
    await swallow(diagnosis.getLiveTraffic({ pppoeUser: "gomez.lucia" }, { headers: read }));
    await search.search({ query: "gomez" }, { headers: read });
    await diagnosis.listIncidents({}, { headers: read });
    const abort = new AbortController();
    for await (const _ of diagnosis.watchDiagnosis({ pppoeUser: "gomez.lucia" }, { headers: read, signal: abort.signal })) break;
    abort.abort();
    for (const path of ["/diagnosis/gomez.lucia", "/search?q=gomez", "/live/gomez.lucia"]) {
      await (await fetch(`${srv.url}${path}`, { headers: { "x-api-key": LEGACY_KEY } })).arrayBuffer();
    }

    // Failing auth: a right id with a wrong secret, garbage, a bearer, a read key on an admin RPC.
    const typo = `${srv.readKey.slice(0, -4)}abcd`;
    await swallow(search.search({ query: "gomez" }, { headers: { "x-api-key": typo } }));
    await swallow(search.search({ query: "gomez" }, { headers: { authorization: `Bearer ${typo}` } }));
    await swallow(search.search({ query: "gomez" }, { headers: { "x-api-key": "not-a-key-at-all-0000" } }));
    await swallow(sync.getSyncStatus({}, { headers: read }));
    await (await fetch(`${srv.url}/search?q=gomez`, { headers: { "x-api-key": typo } })).arrayBuffer();

    // A sync over RPC, then one where the vendors refuse Beholder's credentials.
    for await (const _ of sync.runSync({ job: SyncJob.INVENTORY }, { headers: admin }));
    await control(env, "POST", "/faults", { sim: "ispcube", endpoint: "*", fault: { wrongCredentials: true } });
    await control(env, "POST", "/faults", { sim: "smartolt", endpoint: "*", fault: { wrongCredentials: true } });
    for (const r of lab.routers) await control(env, "POST", "/faults", { sim: "routeros", router: r.name, command: "*", fault: { wrongCredentials: true } });
    await srv.app.vendors.routers?.close(); // so the routers are logged into again
    await (await srv.app.sync.runner.start("inventory")).handle.done;
    await control(env, "DELETE", "/faults");

    const text = srv.logText();
    const lines = srv.logs;
    assert.ok(lines.some((l) => l.level === 20), "debug lines were written");
    assert.ok(lines.some((l) => l.level === 40 && /sync source failed/.test(String(l.msg))), "the refused vendor logins were logged");
    assert.ok(lines.some((l) => /unauthenticated/.test(JSON.stringify(l))), "the failed authentications were logged");
    const secrets = new Map<string, string>([
      ["SmartOLT token", lab.smartolt.token],
      ["ISPCube API key", lab.ispcube.apiKey],
      ["ISPCube password", lab.ispcube.password],
      ["legacy API_KEY", LEGACY_KEY],
      ["read key", srv.readKey],
      ["admin key", srv.adminKey],
      ["mistyped key", typo],
      ["read key's secret part", keySecretOf(srv.readKey)],
      ...lab.routers.map((r) => [`router ${r.name} password`, r.password] as [string, string]),
      ...lab.scenario.routers.flatMap((r) => r.secrets.map((s) => [`PPPoE password of ${s.name}`, s.password] as [string, string])),
      ...lab.scenario.ispcube.connections.flatMap((c) => (c.password ? [[`ISPCube connection password of ${c.user}`, c.password] as [string, string]] : [])),
    ]);
    const leaks = [...secrets].filter(([, value]) => value.length >= 6 && text.includes(value)).map(([what]) => what);
    assert.deepEqual(leaks, []);
    assert.doesNotMatch(text, /Bearer\s+[A-Za-z0-9._~+/=-]{8,}/, "no bearer token (ISPCube's included)");
  });
});
