/**
 * WatchDiagnosis through the server on a real port against the lab: changes flipped with the lab's
 * control API reach the stream; watchers share pollers; cancelling stops every vendor call.
 * Short poll intervals come from the config; the tests wait for events, never for speed.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { OnuStatus } from "../../gen/beholder/v1/common_pb.js";
import { DiagnosisService, WatchEventKind } from "../../gen/beholder/v1/diagnosis_pb.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";
import { control, counters, isUpdate, until, watchInBackground, type Watching } from "../helpers/watch.js";

/** Generous: the machine is shared; a poll round is 500 ms here. */
const EVENT_MS = 30_000;

export const FAST_WATCH_ENV = {
  WATCH_INTERVAL_MIN_MS: "200",
  WATCH_INTERVAL_DEFAULT_MS: "500",
  // A budget big enough that the share does not stretch 500 ms rounds (the lab allows 1000/h).
  SMARTOLT_HOURLY_BUDGET: "100000",
  WATCH_SMARTOLT_BUDGET_PERCENT: "50",
  WATCH_CUSTOMER_INTERVAL_MS: "1000",
  WATCH_TRAFFIC_INTERVAL_S: "1",
  WATCH_HEARTBEAT_MS: "60000",
};

describe("WatchDiagnosis against the lab", () => {
  let env: DiagnosisLab;
  let grpc: Client<typeof DiagnosisService>;
  const open: Watching[] = [];
  const watch = (req: Parameters<DiagnosisLab["client"]["watchDiagnosis"]>[0], client: Client<typeof DiagnosisService> = env.client): Watching => {
    const w = watchInBackground((signal) => client.watchDiagnosis(req, { headers: env.headers, signal }));
    open.push(w);
    return w;
  };

  before(async () => {
    env = await startDiagnosisLab("scenarios/single-los.json", {
      ...FAST_WATCH_ENV,
      // 200 watchers over HTTP/1.1 from one test client: above the per-key, per-address and
      // connections-per-address caps of production.
      RATE_LIMIT_WATCH_STREAMS: "500",
      RATE_LIMIT_WATCH_STREAMS_PER_IP: "500",
      SERVER_MAX_CONNECTIONS_PER_IP: "1000",
    });
    grpc = createClient(DiagnosisService, createGrpcTransport({ baseUrl: env.srv.url }));
  });
  after(async () => {
    for (const w of open) w.cancel();
    await env?.close();
  });

  test("FULL first, then an UPDATE when the lab flips the ONU to LOS (gRPC over h2c)", async () => {
    const w = watch({ pppoeUser: "bustos.noelia" }, grpc);
    const full = await w.waitFor(() => true, EVENT_MS);
    assert.equal(full.kind, WatchEventKind.FULL);
    assert.equal(full.diagnosis?.pppoeUser, "bustos.noelia");
    assert.equal(full.diagnosis?.onu?.status, OnuStatus.ONLINE);
    assert.deepEqual(full.changedFields, []);
    assert.ok(full.polling && full.polling.watchedOnuGroups >= 1, "the polling cadence comes with every message");

    await control(env.lab.control.url, "/onus/bustos.noelia", { status: "LOS" });
    const update = await w.waitFor(isUpdate("onu.status"), EVENT_MS);
    assert.equal(update.diagnosis?.onu?.status, OnuStatus.LOS);
    assert.ok(update.changedFields.includes("onu.last_status_change"));
    w.cancel();
    await w.ended;
    await control(env.lab.control.url, "/onus/bustos.noelia", { status: "Online" });
  });

  test("a session that drops and comes back: two updates", async () => {
    const w = watch({ pppoeUser: "olivera.facundo" });
    const full = await w.waitFor(() => true, EVENT_MS);
    assert.ok(full.diagnosis?.session, "the session is up at first");

    await control(env.lab.control.url, "/sessions/olivera.facundo/end", { reason: "hung-up" });
    const down = await w.waitFor((m) => isUpdate("session")(m) && !m.diagnosis?.session, EVENT_MS);
    assert.equal(down.diagnosis?.secret?.lastDisconnectReason, "hung-up");

    const from = w.messages.indexOf(down) + 1;
    await control(env.lab.control.url, "/sessions/olivera.facundo/start", {});
    const up = await w.waitFor((m) => isUpdate("session")(m) && m.diagnosis?.session !== undefined, EVENT_MS, from);
    assert.ok(up.diagnosis?.session?.sessionId);
    assert.equal(w.messages.filter(isUpdate("session")).length, 2, "exactly two session updates");
    w.cancel();
    await w.ended;
  });

  test("200 watchers of one user cost SmartOLT what one does", async () => {
    // One round of bulk reads per poll interval, whoever watches: count the calls over three rounds.
    const roundsCost = async (): Promise<Record<string, number>> => {
      await control(env.lab.control.url, "/counters/reset");
      await until(async () => ((await counters(env.lab.control.url)).smartolt["onu/get_onus_statuses"] ?? 0) >= 3, EVENT_MS, "three bulk rounds");
      const c = (await counters(env.lab.control.url)).smartolt;
      return { statuses: Math.min(c["onu/get_onus_statuses"] ?? 0, 3), perOnu: (c["onu/get_onu_status"] ?? 0) + (c["onu/get_onu_signal"] ?? 0) };
    };
    const opening = async (n: number, user: string): Promise<{ watchers: Watching[]; smartolt: number; gathers: number }> => {
      await control(env.lab.control.url, "/counters/reset");
      const watchers = Array.from({ length: n }, () => watch({ pppoeUser: user }));
      await Promise.all(watchers.map((w) => w.waitFor((m) => m.kind === WatchEventKind.FULL, EVENT_MS)));
      // The bulk rounds that ran while the streams opened are counted apart (roundsCost).
      const all = await counters(env.lab.control.url);
      const c = all.smartolt;
      delete c["onu/get_onus_statuses"];
      delete c["onu/get_onus_signals"];
      // Only a diagnosis' gather reads the queue: one per gather.
      const gathers = all.routeros["rb-centro /queue/simple/print"] ?? 0;
      return { watchers, smartolt: Object.values(c).reduce((a, b) => a + b, 0), gathers };
    };

    const one = await opening(1, "bustos.noelia");
    const oneRounds = await roundsCost();
    for (const w of one.watchers) w.cancel();
    await Promise.all(one.watchers.map((w) => w.ended));

    // Another user on the same PON port: the same bulk call covers it.
    const many = await opening(200, "olivera.facundo");
    // The first user's subject goes once the server has seen its stream close.
    await until(() => env.srv.server.watchStats().subscribers === 1, EVENT_MS, "one subscriber watched");
    assert.equal(env.srv.server.watchStats().watchers, 200, "200 streams, one set of pollers");
    assert.ok(many.smartolt <= one.smartolt, `opening 200 watchers cost ${many.smartolt} SmartOLT calls, one cost ${one.smartolt}`);
    assert.deepEqual([one.gathers, many.gathers], [1, 1], "one gather per watched user, however many watch");
    const manyRounds = await roundsCost();
    assert.deepEqual(manyRounds, oneRounds);
    assert.deepEqual(manyRounds, { statuses: 3, perOnu: 0 }, "polling uses the bulk endpoint only");
    for (const w of many.watchers) w.cancel();
    await Promise.all(many.watchers.map((w) => w.ended));
  });

  test("cancelling stops the lab's counters: no poller, no router stream left", async () => {
    await control(env.lab.control.url, "/traffic/olivera.facundo", { downloadBps: 12_000_000, uploadBps: 2_000_000 });
    const w = watch({ pppoeUser: "olivera.facundo", includeTraffic: true });
    const sample = await w.waitFor(isUpdate("traffic"), EVENT_MS);
    assert.equal(sample.diagnosis?.traffic?.downloadBps, 12_000_000n);
    assert.equal(env.srv.app.vendors.routers?.openStreams(), 1, "one monitor-traffic for the watched user");
    await until(async () => {
      const c = await counters(env.lab.control.url);
      return (c.smartolt["onu/get_onus_statuses"] ?? 0) > 0 && (c.routeros["rb-centro /ppp/active/print"] ?? 0) > 0;
    }, EVENT_MS, "the pollers running");

    assert.deepEqual(
      [env.srv.server.watchStats().subscribers, env.srv.server.watchStats().watchers, env.srv.server.watchStats().onuPollerRunning],
      [1, 1, true],
    );

    w.cancel();
    await w.ended;
    await until(() => env.srv.app.vendors.routers?.openStreams() === 0, EVENT_MS, "the router stream closed");
    await until(() => env.srv.server.watchStats().subscribers === 0, EVENT_MS, "the subscriber released");
    const stats = env.srv.server.watchStats();
    assert.deepEqual([stats.watchers, stats.onuPollerRunning, stats.trafficStreams], [0, false, 0], "no poller, no stream left");
    const c0 = await counters(env.lab.control.url);
    assert.equal(c0.routeros["rb-centro /cancel"] ?? 0, c0.routeros["rb-centro /interface/monitor-traffic"] ?? 0, "every monitor-traffic was cancelled");
    // Several poll rounds (500 ms) and customer reads (1 s) later, nothing moved.
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(await counters(env.lab.control.url), c0);
  });

  test("bad requests: InvalidArgument naming the field; nobody known: NotFound", async () => {
    const first = async (req: Parameters<DiagnosisLab["client"]["watchDiagnosis"]>[0]): Promise<unknown> => {
      const w = watch(req);
      return w.ended;
    };
    const none = (await first({})) as Error;
    assert.match(none.message, /exactly one of pppoe_user, onu_serial and customer_code must be set/);
    const negative = (await first({ pppoeUser: "bustos.noelia", interval: { seconds: -1n } })) as Error;
    assert.match(negative.message, /interval must not be negative/);
    const unknown = (await first({ pppoeUser: "nadie.existe" })) as { code: number; message: string };
    assert.equal(unknown.code, 5);
  });
});
