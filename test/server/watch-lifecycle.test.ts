/**
 * WatchDiagnosis and the server's limits: the per-key stream cap, heartbeats, the maximum duration,
 * server close (in process) and SIGTERM (a real process), all against the lab.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { DiagnosisService, WatchEventKind } from "../../gen/beholder/v1/diagnosis_pb.js";
import { SyncJob, SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { beholderEnvForLab } from "../../lab/beholder-env.js";
import { startLab } from "../../lab/lab.js";
import { scenarioNow, startDiagnosisLab } from "../helpers/diagnosis-lab.js";
import { counters, until, watchInBackground } from "../helpers/watch.js";

const EVENT_MS = 30_000;
const FAST = {
  WATCH_INTERVAL_MIN_MS: "200",
  WATCH_INTERVAL_DEFAULT_MS: "500",
  SMARTOLT_HOURLY_BUDGET: "100000",
  WATCH_SMARTOLT_BUDGET_PERCENT: "50",
  WATCH_CUSTOMER_INTERVAL_MS: "1000",
};

describe("WatchDiagnosis: limits and lifecycle", () => {
  test("the per-key cap applies to watch streams; closing one frees its slot", async () => {
    const env = await startDiagnosisLab("scenarios/healthy.json", { ...FAST, RATE_LIMIT_WATCH_STREAMS: "2" });
    try {
      const open = () => watchInBackground((signal) => env.client.watchDiagnosis({ pppoeUser: "gomez.lucia" }, { headers: env.headers, signal }));
      const a = open();
      const b = open();
      await Promise.all([a, b].map((w) => w.waitFor((m) => m.kind === WatchEventKind.FULL, EVENT_MS)));
      const third = open();
      const err = ConnectError.from(await third.ended);
      assert.equal(err.code, Code.ResourceExhausted);
      assert.match(err.rawMessage, /too many open streams for this key/);
      a.cancel();
      await a.ended;
      // The server sees the hang-up a moment after the client: wait until a slot is free again.
      await until(() => {
        const slot = env.srv.app.limits.acquireStream({ key: "test-read", ip: "probe" });
        if (typeof slot === "function") slot();
        return typeof slot === "function";
      }, EVENT_MS, "a free slot");
      const fourth = open();
      await fourth.waitFor((m) => m.kind === WatchEventKind.FULL, EVENT_MS);
      b.cancel();
      fourth.cancel();
      await Promise.all([b.ended, fourth.ended]);
    } finally {
      await env.close();
    }
  });

  test("HEARTBEAT when nothing changes; the stream ends with OK at its maximum duration; the default budget stretches the ONU interval and says so", async () => {
    // The default SmartOLT share (30% of 1,000 calls/h) against a 500 ms request: the budget decides.
    const env = await startDiagnosisLab("scenarios/healthy.json", {
      ...FAST,
      SMARTOLT_HOURLY_BUDGET: "1000",
      WATCH_SMARTOLT_BUDGET_PERCENT: "30",
      WATCH_HEARTBEAT_MS: "300",
      WATCH_MAX_DURATION_S: "3",
    });
    try {
      const w = watchInBackground((signal) => env.client.watchDiagnosis({ pppoeUser: "gomez.lucia" }, { headers: env.headers, signal }));
      const beat = await w.waitFor((m) => m.kind === WatchEventKind.HEARTBEAT, EVENT_MS);
      assert.equal(beat.diagnosis, undefined, "a heartbeat carries no diagnosis");
      assert.ok(beat.polling, "but it does carry the polling cadence");
      assert.equal(beat.polling.stretched, true);
      assert.deepEqual([beat.polling.onuStatusInterval?.seconds, beat.polling.onuStatusInterval?.nanos], [13n, 200_000_000]);
      assert.equal(beat.polling.watchedOnuGroups, 1);
      assert.equal(await w.ended, undefined, "the maximum duration ends the stream with OK");
      assert.equal(w.messages[0]?.kind, WatchEventKind.FULL);
      await until(() => env.srv.app.vendors.routers?.openStreams() === 0, EVENT_MS, "nothing left open");
    } finally {
      await env.close();
    }
  });

  test("server close ends open watches with OK and stops their pollers", async () => {
    const env = await startDiagnosisLab("scenarios/healthy.json", { ...FAST, SHUTDOWN_TIMEOUT_MS: "20000" });
    let closed = false;
    try {
      const ws = [1, 2, 3].map(() =>
        watchInBackground((signal) => env.client.watchDiagnosis({ pppoeUser: "gomez.lucia", includeTraffic: true }, { headers: env.headers, signal })),
      );
      await Promise.all(ws.map((w) => w.waitFor((m) => m.kind === WatchEventKind.FULL, EVENT_MS)));
      await until(() => env.srv.app.vendors.routers?.openStreams() === 1, EVENT_MS, "the traffic stream open");
      // Graceful close waits for in-flight calls: it only finishes because the watches end.
      await env.srv.server.close();
      closed = true;
      for (const w of ws) assert.equal(await w.ended, undefined, "ended with OK");
      await until(() => env.srv.app.vendors.routers?.openStreams() === 0, EVENT_MS, "the traffic stream cancelled");
      const c0 = await counters(env.lab.control.url);
      await new Promise((r) => setTimeout(r, 2000));
      assert.deepEqual(await counters(env.lab.control.url), c0, "no vendor call after close");
    } finally {
      if (!closed) await env.srv.server.close();
      await env.close();
    }
  });

  test("SIGTERM with a watch open: the stream ends with OK and the process exits 0", { timeout: 90_000 }, async () => {
    const lab = await startLab({ scenario: await scenarioNow("scenarios/healthy.json") });
    const dir = mkdtempSync(join(tmpdir(), "beholder-watch-sigterm-"));
    const key = "watch-sigterm-legacy-key-0123456789";
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { ...process.env, ...beholderEnvForLab(lab), ...FAST, PORT: "0", HOST: "127.0.0.1", DB_PATH: join(dir, "w.db"), LOG_FORMAT: "json", API_KEY: key, SYNC_SCHEDULE: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        createInterface({ input: child.stdout }).on("line", (line) => {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === "listening") resolve(entry.port as number);
        });
        child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
      });
      const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });
      const headers = { "x-api-key": key };
      const sync = createClient(SyncService, transport);
      for (const job of [SyncJob.INVENTORY, SyncJob.STATUS]) for await (const _ of sync.runSync({ job }, { headers }));
      const w = watchInBackground((signal) => createClient(DiagnosisService, transport).watchDiagnosis({ pppoeUser: "gomez.lucia" }, { headers, signal }));
      await w.waitFor((m) => m.kind === WatchEventKind.FULL, EVENT_MS);
      child.kill("SIGTERM");
      assert.equal(await w.ended, undefined, "the watch ended with OK");
      const [code] = await once(child, "exit");
      assert.equal(code, 0);
    } finally {
      child.kill("SIGKILL");
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
