/**
 * GET /metrics against a server on the lab: protected as METRICS_ACCESS says, and the numbers move
 * with the calls made (RPCs, vendor calls, the SmartOLT budget, syncs, watch streams).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";
import { createBeholderClient } from "../../src/client/node.js";
import { endpointOf } from "../../src/metrics/metrics.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";
import { startTestServer } from "../helpers/server.js";
import { until } from "../helpers/watch.js";

const EVENT_MS = 30_000;

/** `name{labels} value` lines of the Prometheus text format, keyed by `name{labels}` as written. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** The sum of the samples whose labels include every one given (0 when none). */
function value(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [k, v] of samples) {
    const brace = k.indexOf("{");
    if ((brace === -1 ? k : k.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([l, want]) => k.includes(`${l}="${want}"`))) sum += v;
  }
  return sum;
}

function has(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): boolean {
  return [...samples.keys()].some((k) => (k === name || k.startsWith(`${name}{`)) && Object.entries(labels).every(([l, want]) => k.includes(`${l}="${want}"`)));
}

describe("GET /metrics", () => {
  let env: DiagnosisLab;
  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${env.srv.adminKey}` }): Promise<Map<string, number>> => {
    const res = await fetch(`${env.srv.url}/metrics`, { headers });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    return parse(await res.text());
  };

  before(async () => {
    env = await startDiagnosisLab("scenarios/triage-cases.json", { WATCH_HEARTBEAT_MS: "60000" });
  });
  after(() => env.close());

  test("needs an admin-scope key by default: none 401, read 403, admin 200", async () => {
    assert.equal((await fetch(`${env.srv.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${env.srv.url}/metrics`, { headers: { "x-api-key": env.srv.readKey } })).status, 403);
    const ok = await scrape();
    assert.ok(has(ok, "process_cpu_user_seconds_total") && has(ok, "nodejs_heap_size_used_bytes"), "process metrics");
    assert.ok(value(ok, "beholder_cache_bytes", { file: "db" }) > 0);
  });

  test("RPC counts and latency move by procedure and code, refused calls included", async () => {
    const GET = "beholder.v1.DiagnosisService/GetDiagnosis";
    const before = await scrape();
    const client = createBeholderClient(env.srv.url, env.srv.readKey);
    await client.diagnosis.getDiagnosis({ pppoeUser: "gomez.lucia" });
    await client.diagnosis.getDiagnosis({ pppoeUser: "perez.maria" });
    await assert.rejects(client.diagnosis.getDiagnosis({ pppoeUser: "nadie.nunca" }), (e) => ConnectError.from(e).code === Code.NotFound);
    await assert.rejects(createBeholderClient(env.srv.url, undefined).diagnosis.getDiagnosis({ pppoeUser: "x" }), (e) => ConnectError.from(e).code === Code.Unauthenticated);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>): number => value(after, name, labels) - value(before, name, labels);
    assert.equal(delta("beholder_rpc_total", { procedure: GET, code: "ok" }), 2);
    assert.equal(delta("beholder_rpc_total", { procedure: GET, code: "not_found" }), 1);
    assert.equal(delta("beholder_rpc_total", { procedure: GET, code: "unauthenticated" }), 1);
    assert.equal(delta("beholder_rpc_duration_seconds_count", { procedure: GET, code: "ok" }), 2);
    assert.ok(value(after, "beholder_rpc_duration_seconds_sum", { procedure: GET, code: "ok" }) > 0);
    // The diagnoses read the routers and ISPCube live: each attempt is counted by vendor and endpoint.
    assert.ok(delta("beholder_vendor_calls_total", { vendor: "routeros", endpoint: "/ppp/active/print", outcome: "ok" }) >= 2);
    assert.ok(delta("beholder_vendor_calls_total", { vendor: "ispcube", outcome: "ok" }) >= 2);
    assert.ok(delta("beholder_vendor_call_duration_seconds_count", { vendor: "routeros", endpoint: "/ppp/active/print" }) >= 2);
  });

  test("every metric deploy/grafana-dashboard.json queries is one the server exports", async () => {
    const dashboard = readFileSync("deploy/grafana-dashboard.json", "utf8");
    const wanted = new Set([...dashboard.matchAll(/\b((?:beholder|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1] as string));
    assert.ok(wanted.size >= 15, `the dashboard queries ${wanted.size} metrics`);
    const exported = new Set([...(await scrape()).keys()].map((k) => k.split("{")[0] as string));
    assert.deepEqual([...wanted].filter((n) => !exported.has(n)), []);
  });

  test("breakers per vendor and router; vendor errors by kind (a router that refuses logins)", async () => {
    const m = await scrape();
    assert.equal(value(m, "beholder_breaker_state", { breaker: "smartolt" }), 0);
    assert.equal(value(m, "beholder_breaker_state", { breaker: "ispcube" }), 0);
    assert.ok(has(m, "beholder_breaker_state", { vendor: "routeros" }), "one per router");
    // The inventory found one router (rb-norte) refusing: its failures are errors by kind.
    assert.ok([...m.keys()].some((k) => k.startsWith("beholder_vendor_errors_total{") && k.includes('vendor="routeros"')), "routeros errors counted");
  });

  test("SmartOLT's budget goes down with a status sync; the sync's rows, durations and last success are there", async () => {
    const before = await scrape();
    const left = value(before, "beholder_smartolt_budget_remaining_calls");
    assert.ok(left > 0 && left <= value(before, "beholder_smartolt_budget_limit_calls"));
    await env.sync("status");
    const after = await scrape();
    assert.ok(value(after, "beholder_smartolt_budget_remaining_calls") < left, "a status sync spends SmartOLT calls");
    assert.ok(value(after, "beholder_sync_last_rows", { job: "inventory", source: "ispcube", entity: "customers" }) > 0);
    assert.equal(value(after, "beholder_sync_last_success", { job: "status", source: "smartolt" }), 1);
    assert.ok(has(after, "beholder_sync_last_duration_seconds", { job: "status", source: "smartolt" }));
    const smartoltAt = value(after, "beholder_sync_last_success_timestamp_seconds", { source: "smartolt.status" }) || value(after, "beholder_sync_last_success_timestamp_seconds", { source: "smartolt" });
    assert.ok(smartoltAt * 1000 > Date.now() - 600_000, "a recent success");
    assert.ok(value(after, "beholder_sync_last_run_timestamp_seconds", { job: "status" }) >= value(before, "beholder_sync_last_run_timestamp_seconds", { job: "status" }));
  });

  test("open watch streams are counted while open", async () => {
    const ac = new AbortController();
    const client = createBeholderClient(env.srv.url, env.srv.readKey);
    let first: () => void = () => undefined;
    const gotFirst = new Promise<void>((r) => (first = r));
    const reading = (async () => {
      try {
        for await (const _ of client.diagnosis.watchDiagnosis({ pppoeUser: "gomez.lucia" }, { signal: ac.signal })) first();
      } catch {
        // cancelled below
      }
    })();
    await gotFirst;
    assert.equal(value(await scrape(), "beholder_watch_streams"), 1);
    ac.abort();
    await reading;
    await until(async () => value(await scrape(), "beholder_watch_streams") === 0, EVENT_MS, "the watch released");
    await until(async () => value(await scrape(), "beholder_rpc_total", { procedure: "beholder.v1.DiagnosisService/WatchDiagnosis", code: "canceled" }) === 1, EVENT_MS, "the stream counted as canceled");
  });
});

describe("METRICS_ACCESS", () => {
  test("loopback: no key from this machine; a forwarded outside address is refused; off: 404", async () => {
    const loop = await startTestServer({ METRICS_ACCESS: "loopback", TRUSTED_PROXIES: "127.0.0.1" });
    const off = await startTestServer({ METRICS_ACCESS: "off" });
    try {
      const ok = await fetch(`${loop.url}/metrics`);
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /^# HELP /m);
      const proxied = await fetch(`${loop.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.7" } });
      assert.equal(proxied.status, 403);
      assert.match(await proxied.text(), /loopback clients only/);
      const none = await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${off.adminKey}` } });
      assert.equal(none.status, 404);
    } finally {
      await loop.close();
      await off.close();
    }
  });

  test("a RouterOS op's endpoint drops the router's name (even one with spaces)", () => {
    assert.equal(endpointOf({ breaker: "routeros:10.0.0.2:8728", op: "Nodo Norte 2@10.0.0.2:8728 /ppp/active/print" }), "/ppp/active/print");
    assert.equal(endpointOf({ breaker: "routeros:[fd00::1]:8729", op: "rb@[fd00::1]:8729 /interface/monitor-traffic" }), "/interface/monitor-traffic");
    assert.equal(endpointOf({ breaker: "smartolt", op: "get_onus_statuses" }), "get_onus_statuses");
    // A breaker's own trial is one endpoint for every router.
    assert.equal(endpointOf({ breaker: "routeros:10.0.0.2:8728", op: "probe" }), "probe");
  });
});
