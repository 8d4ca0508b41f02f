import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Freshness, Source, UnavailableReason } from "../../gen/beholder/v1/common_pb.js";
import type { Diagnosis } from "../../gen/beholder/v1/diagnosis_pb.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";

const PER_ONU = ["onu/get_onu_status", "onu/get_onu_signal"];

function smartolt(d: Diagnosis | undefined) {
  const s = d?.sources.find((x) => x.source === Source.SMARTOLT);
  assert.ok(s);
  return s;
}

function perOnuCalls(env: DiagnosisLab): number {
  return PER_ONU.reduce((n, e) => n + env.lab.counters.get("smartolt", e), 0);
}

/** SmartOLT's hourly budget is the account's: a diagnosis spends it only when it must. */
describe("SmartOLT live reads under the shared budget", () => {
  test("a fresh cached status is not read again; concurrent diagnoses of one ONU share one live read", async () => {
    const env = await startDiagnosisLab("scenarios/healthy.json", { DIAG_SMARTOLT_LIVE_AFTER_S: "600" });
    try {
      const d = (await env.client.getDiagnosis({ pppoeUser: "gomez.lucia" }, { headers: env.headers })).diagnosis;
      assert.equal(smartolt(d).freshness, Freshness.CACHED);
      assert.match(smartolt(d).detail, /^cached status is \d+ s old, under the 10 min that calls for a live read$/);
      assert.equal(perOnuCalls(env), 0);
    } finally {
      await env.close();
    }

    const live = await startDiagnosisLab("scenarios/healthy.json", {
      DIAG_SMARTOLT_LIVE_AFTER_S: "0",
      DIAG_BUDGET_MS: "4000",
      DIAG_SMARTOLT_BUDGET_MS: "3500",
    });
    try {
      // Slow enough that all ten overlap (a read that ends before the next diagnosis asks is not shared).
      await fetch(`${live.lab.control.url}/faults`, { method: "POST", body: JSON.stringify({ sim: "smartolt", fault: { latencyMs: 2500 } }) });
      const all = await Promise.all(
        Array.from({ length: 10 }, () => live.client.getDiagnosis({ pppoeUser: "gomez.lucia" }, { headers: live.headers })),
      );
      for (const r of all) assert.equal(smartolt(r.diagnosis).freshness, Freshness.LIVE);
      assert.equal(live.lab.counters.get("smartolt", "onu/get_onu_status"), 1);
      assert.equal(live.lab.counters.get("smartolt", "onu/get_onu_signal"), 1);
    } finally {
      await live.close();
    }
  });

  test("live reads stop, answering from the cache and saying so, before they eat into the sync's reserve", async () => {
    const limit = 24;
    const reserve = 12;
    const env = await startDiagnosisLab("scenarios/triage-cases.json", {
      DIAG_SMARTOLT_LIVE_AFTER_S: "0",
      DIAG_SMARTOLT_SYNC_RESERVE_CALLS: String(reserve),
      SMARTOLT_HOURLY_BUDGET: String(limit),
      SMARTOLT_BUDGET_HEADROOM_PERCENT: "0",
    });
    try {
      const users = env.lab.scenario.smartolt.onus.map((o) => o.username).filter((u): u is string => u !== null && u !== undefined);
      let paused: Diagnosis | undefined;
      for (const user of users) {
        const d = (await env.client.getDiagnosis({ pppoeUser: user }, { headers: env.headers })).diagnosis;
        if (smartolt(d).reason === UnavailableReason.RATE_LIMITED) {
          paused = d;
          break;
        }
        assert.equal(smartolt(d).freshness, Freshness.LIVE, smartolt(d).detail);
      }
      assert.ok(paused, "live reads paused before the users ran out");
      assert.equal(smartolt(paused).freshness, Freshness.CACHED);
      assert.match(smartolt(paused).detail, new RegExp(`^live reads paused: \\d+ of this hour's ${limit} SmartOLT calls are left and ${reserve} are kept for the sync`));
      // Everything SmartOLT saw this hour (sync included) leaves the reserve untouched.
      assert.ok(env.lab.counters.get("smartolt") <= limit - reserve, `${env.lab.counters.get("smartolt")} calls`);
      // The sync itself can still run on what was kept.
      await env.sync("status");
      assert.equal(env.srv.app.sync.runner.lastRun("status")?.outcome, "done");
    } finally {
      await env.close();
    }
  });
});
