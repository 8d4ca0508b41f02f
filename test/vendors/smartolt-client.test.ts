import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { normalizeUser, type OnuRecord, type OnuStatus } from "../../src/domain/types.js";
import type { Onu } from "../../lab/scenario/types.js";
import { isVendorError, type VendorErrorKind } from "../../src/vendors/errors.js";
import { createSmartOltClient } from "../../src/vendors/smartolt/client.js";
import {
  makeOnu,
  makeScenario,
  makeWorld,
  rejection,
  startClientFixture,
  TOKEN,
  type ClientFixture,
  type ClientFixtureOptions,
} from "./smartolt-fixture.js";

const open: ClientFixture[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function start(o: ClientFixtureOptions = {}): Promise<ClientFixture> {
  const f = await startClientFixture(o);
  open.push(f);
  return f;
}

async function expectKind(p: Promise<unknown>, kind: VendorErrorKind): Promise<Error & { retryAfterS?: number; status?: number }> {
  const err = await rejection(p);
  assert.ok(isVendorError(err), `expected a VendorError, got ${String(err)}`);
  assert.equal(err.kind, kind, err.message);
  return err;
}

const STATUS: Record<Onu["status"], OnuStatus> = {
  Online: "online",
  Offline: "offline",
  "Power fail": "power_fail",
  LOS: "los",
  "Admin Disabled": "admin_disabled",
};

/** What the client must make of a scenario ONU read through get_all_onus_details. */
function expectedRecord(onu: Onu, world: ReturnType<typeof makeWorld>): OnuRecord {
  const online = onu.status === "Online";
  return {
    externalId: onu.externalId,
    serial: onu.sn,
    oltId: String(onu.oltId),
    oltName: world.olts.find((o) => o.id === onu.oltId)?.name ?? "",
    board: onu.board,
    port: onu.port,
    onuIndex: onu.onu,
    zoneId: String(onu.zoneId),
    zoneName: world.zones.find((z) => z.id === onu.zoneId)?.name ?? null,
    odbName: world.odbs.find((d) => d.id === onu.odbId)?.name ?? null,
    name: onu.name,
    address: onu.address,
    pppoeUser: normalizeUser(onu.username),
    status: STATUS[onu.status],
    adminEnabled: onu.administrativeStatus === "Enabled",
    lastStatusChange: new Date(onu.lastStatusChange),
    rxPowerDbm: online ? onu.rxDbm : null,
    oltRxPowerDbm: online ? onu.oltRxDbm : null,
    signalCategory: labSignal(onu),
    vlans: [onu.vlan],
    onuType: onu.onuType,
    mode: onu.mode,
    distanceM: null,
  };
}

/** The category the lab derives (its own rule, worst level against -30/-32 dBm), passed through as is. */
function labSignal(onu: Onu): string {
  if (onu.status !== "Online") return "-";
  const worst = Math.min(onu.rxDbm ?? 0, onu.oltRxDbm ?? 0);
  return worst <= -32 ? "Critical" : worst <= -30 ? "Warning" : "Very good";
}

describe("inventory", () => {
  test("pages of 100 yield every ONU exactly once, normalised", async () => {
    const world = makeWorld();
    for (let i = 0; i < 244; i++) {
      world.onus.push(
        makeOnu({
          externalId: `GEN${String(i).padStart(9, "0")}`,
          board: i % 2,
          port: i % 16,
          onu: i,
          username: i % 7 === 0 ? null : `  Gen.User${i} `,
          status: i % 5 === 0 ? "LOS" : i % 11 === 0 ? "Admin Disabled" : "Online",
          administrativeStatus: i % 11 === 0 ? "Disabled" : "Enabled",
          rxDbm: -20 - (i % 10) / 4,
          oltRxDbm: -25.5 - (i % 6),
          // Spread over a year, so both sides of any DST change would be read (Buenos Aires has none).
          lastStatusChange: new Date(Date.UTC(2025, 6, 1) + i * 36 * 3_600_000 + i * 1000).toISOString(),
        }),
      );
    }
    const scenario = makeScenario(world);
    const f = await start({ scenario });
    const progress: Array<[number, number]> = [];
    const pages: OnuRecord[][] = [];
    for await (const page of f.client.onuInventory({ onPage: (done, total) => progress.push([done, total]) })) pages.push(page);

    assert.deepEqual(pages.map((p) => p.length), [100, 100, 50]);
    assert.deepEqual(progress, [[100, 250], [200, 250], [250, 250]]);
    const got = new Map(pages.flat().map((r) => [r.externalId, r]));
    assert.equal(got.size, 250, "no ONU twice");
    for (const onu of world.onus) assert.deepEqual(got.get(onu.externalId), expectedRecord(onu, world), onu.externalId);
    assert.equal(f.labCalls("onu/get_all_onus_details?paged"), 3);
    assert.equal(f.labCalls("onu/get_all_onus_details"), 0, "never the unpaged export");
  });

  test("spot checks: dBm numbers, null levels without a reading, the account-local instant, null user", async () => {
    const f = await start();
    const all = new Map<string, OnuRecord>();
    for await (const page of f.client.onuInventory({ pageSize: 4 })) for (const r of page) all.set(r.externalId, r);
    assert.equal(all.size, 6);
    assert.equal(f.labCalls("onu/get_all_onus_details?paged"), 2);
    const warning = all.get("TPLG2A561D98");
    assert.equal(warning?.rxPowerDbm, -24.95);
    assert.equal(warning?.oltRxPowerDbm, -30.46);
    assert.equal(warning?.signalCategory, "Warning");
    // The wire says "2026-07-08 11:36:33" in Buenos Aires (UTC-3).
    assert.deepEqual(warning?.lastStatusChange, new Date("2026-07-08T14:36:33Z"));
    const los = all.get("HWTC0113B892");
    assert.deepEqual([los?.status, los?.rxPowerDbm, los?.oltRxPowerDbm, los?.signalCategory], ["los", null, null, "-"]);
    assert.equal(los?.pppoeUser, null);
    assert.deepEqual(all.get("TPLG00000005")?.rxPowerDbm, null, "an Offline ONU has no reading");
  });

  test("the caller's signal stops the paging", async () => {
    const f = await start();
    const stop = new AbortController();
    const pages: number[] = [];
    const err = await rejection(
      (async () => {
        for await (const page of f.client.onuInventory({ pageSize: 2, signal: stop.signal })) {
          pages.push(page.length);
          stop.abort();
        }
      })(),
    );
    assert.ok(isVendorError(err, "timeout"), String(err));
    assert.deepEqual(pages, [2]);
    assert.equal(f.labCalls("onu/get_all_onus_details?paged"), 1);
  });

  test("updated_since goes out in the account's zone; page_size is capped at 100", async () => {
    const f = await start();
    // 15:30Z is 12:30 in Buenos Aires: only the ONU updated at 16:00Z qualifies. Sent as UTC wall
    // time ("15:30"), it would be read as 18:30Z and match nothing.
    const ids: string[] = [];
    for await (const page of f.client.onuInventory({ updatedSince: new Date("2026-07-09T15:30:00Z"), pageSize: 500 })) {
      ids.push(...page.map((r) => r.externalId));
    }
    assert.deepEqual(ids, ["TPLG00000006"]);
  });
});

describe("bulk and per-ONU reads", () => {
  test("bulkStatuses: enum statuses, UTC instants, the olt filter", async () => {
    const f = await start();
    const rows = await f.client.bulkStatuses();
    assert.deepEqual(rows.map((r) => r.status), ["online", "los", "power_fail", "online", "offline", "online"]);
    assert.deepEqual(rows[0], {
      externalId: "TPLG2A561D98",
      serial: "TPLG2A561D98",
      oltId: "1",
      board: 0,
      port: 0,
      onuIndex: 1,
      zoneId: "1",
      odbId: "1",
      status: "online",
      lastStatusChange: new Date("2026-07-08T14:36:33Z"),
    });
    assert.deepEqual(rows[1]?.lastStatusChange, new Date("2026-07-10T11:00:00Z"));
    assert.equal(rows[3]?.odbId, null);
    assert.deepEqual((await f.client.bulkStatuses({ oltId: "2" })).map((r) => r.externalId), ["ZTEG00000001"]);
  });

  test("bulkSignals: dBm as numbers, null for '-'", async () => {
    const f = await start();
    const rows = new Map((await f.client.bulkSignals()).map((r) => [r.externalId, r]));
    assert.deepEqual(rows.get("TPLG2A561D98"), {
      externalId: "TPLG2A561D98",
      rxPowerDbm: -24.95,
      oltRxPowerDbm: -30.46,
      signalCategory: "Warning",
    });
    assert.deepEqual(rows.get("HWTC0113B892"), { externalId: "HWTC0113B892", rxPowerDbm: null, oltRxPowerDbm: null, signalCategory: "-" });
    assert.deepEqual(rows.get("TPLG00000006"), { externalId: "TPLG00000006", rxPowerDbm: -26, oltRxPowerDbm: -33.1, signalCategory: "Critical" });
  });

  test("onuDetails, onuStatus, onuSignal", async () => {
    const f = await start();
    const world = f.ctx.scenario.smartolt;
    const details = await f.client.onuDetails("TPLG2A561D98");
    const onu = world.onus[0] as Onu;
    assert.deepEqual(details, { ...expectedRecord(onu, world), distanceM: 1447 });
    assert.deepEqual(await f.client.onuStatus("HWTC0113B893"), {
      status: "power_fail",
      lastStatusChange: new Date("2026-07-10T11:05:00Z"),
    });
    assert.deepEqual(await f.client.onuSignal("ZTEG00000001"), {
      externalId: "ZTEG00000001",
      rxPowerDbm: -20,
      oltRxPowerDbm: -22.5,
      signalCategory: "Very good",
      distanceM: 1447,
    });
  });

  test("an unknown ONU is not_found, and does not hurt the breaker", async () => {
    const f = await start();
    for (let i = 0; i < 4; i++) {
      await expectKind(f.client.onuStatus(`NOPE${i}`), "not_found");
      await expectKind(f.client.onuSignal(`NOPE${i}`), "not_found");
      await expectKind(f.client.onuDetails(`NOPE${i}`), "not_found");
    }
    await expectKind(f.client.onuDetails(" "), "not_found");
    assert.equal(f.guard.state(), "closed");
    assert.equal(f.labCalls(), 12, "not_found is not retried");
  });

  test("catalogue and outage PONs", async () => {
    const f = await start();
    assert.deepEqual(await f.client.listOlts(), [
      { id: "1", name: "HAWEI" },
      { id: "2", name: "NORTE-ZTE" },
    ]);
    assert.deepEqual(await f.client.listZones(), [
      { id: "1", name: "Centro" },
      { id: "2", name: "Norte" },
    ]);
    assert.deepEqual(await f.client.listOdbs(), [
      { id: "1", name: "NAP-01", zoneId: "1" },
      { id: "2", name: "NAP-02", zoneId: "2" },
    ]);
    assert.deepEqual(await f.client.outagePons("1"), [
      {
        oltId: "1",
        oltName: "HAWEI",
        board: 0,
        port: 1,
        description: null,
        totalOnus: 2,
        losCount: 1,
        powerFailCount: 1,
        cause: "los",
        latestStatusChange: new Date("2026-07-10T11:05:00Z"),
      },
    ]);
    assert.deepEqual(await f.client.outagePons("2"), []);
  });
});

describe("transport and errors", () => {
  test("a trailing slash on the base URL is tolerated; a wrong base path is a bad_response (405)", async () => {
    const f = await start();
    const slash = createSmartOltClient({ ...f.config, baseUrl: `${f.sim.url}/` }, f.guard);
    assert.equal((await slash.listZones()).length, 2);
    const wrong = createSmartOltClient({ ...f.config, baseUrl: `${f.sim.url}/v2` }, f.guard);
    const err = await expectKind(wrong.listZones(), "bad_response");
    assert.equal(err.status, 405);
    assert.match(err.message, /unknown method/);
  });

  test("a wrong token is auth, the token appears in no message and no log line", async () => {
    const secret = "not-the-right-token-5f3a";
    const f = await start({ config: { token: secret } });
    const err = await expectKind(f.client.bulkStatuses(), "auth");
    assert.equal(err.status, 403);
    assert.ok(!err.message.includes(secret));
    await expectKind(f.client.onuStatus("TPLG2A561D98"), "auth");
    assert.equal(f.guard.state(), "closed", "auth does not open the breaker");
    assert.ok(f.logText().length > 0);
    assert.ok(!f.logText().includes(secret));

    const ok = await start();
    await ok.client.bulkStatuses();
    await expectKind(ok.client.onuSignal("NOPE"), "not_found");
    assert.ok(!ok.logText().includes(TOKEN));
  });

  test("the lab's 429 is rate_limited with its Retry-After, and later calls wait without calling", async () => {
    const scenario = makeScenario();
    scenario.smartolt.rateLimits = { hourly: 2 };
    const f = await start({ scenario });
    await f.client.listOlts();
    await f.client.listZones();
    const err = await expectKind(f.client.listOdbs(), "rate_limited");
    assert.equal(err.status, 429);
    assert.ok(err.retryAfterS !== undefined && err.retryAfterS > 3500 && err.retryAfterS <= 3600, String(err.retryAfterS));
    const held = await expectKind(f.client.bulkStatuses(), "rate_limited");
    assert.equal(held.status, undefined, "refused by the client, not by the lab");
    assert.ok(held.retryAfterS !== undefined && held.retryAfterS > 3500);
  });

  test("Beholder's own budget stops calling before the lab's budget is spent", async () => {
    const scenario = makeScenario();
    scenario.smartolt.rateLimits = { hourly: 10 };
    // 10 × (1 − 20 %) = 8 calls an hour for Beholder.
    const f = await start({ scenario, config: { hourlyBudget: 10, budgetHeadroomPercent: 20 } });
    const first = f.ctx.clock.now().getTime();
    for (let i = 0; i < 8; i++) await f.client.listZones();
    const err = await expectKind(f.client.listZones(), "rate_limited");
    assert.equal(err.status, undefined);
    assert.ok(err.retryAfterS !== undefined && err.retryAfterS > 3500 && err.retryAfterS <= 3600);
    assert.equal(f.labCalls(), 8, "the refused call never reached the lab");
    const b = f.client.budget();
    assert.equal(b.used, 8);
    assert.equal(b.limit, 8);
    // The window opened with the first call, somewhere between `first` and now.
    const resets = b.windowResetsAt.getTime() - 3_600_000;
    assert.ok(resets >= first - 1000 && resets <= f.ctx.clock.now().getTime() + 1000, `window opened at ${resets}, first call at ${first}`);

    f.ctx.clock.advance(3_601_000);
    assert.equal((await f.client.listZones()).length, 2, "the rolling hour frees the budget");
    assert.equal(f.client.budget().used, 1);
    assert.equal(f.labCalls(), 9);
  });

  test("bursts are paced to 10/s: 25 concurrent calls pass the lab's documented per-second limit", async () => {
    const f = await start({ guard: { timeoutMs: 5000 } });
    const t = performance.now();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => f.client.bulkStatuses({ oltId: String(i + 1) })));
    const elapsed = performance.now() - t;
    assert.equal(answers.length, 25);
    assert.equal(f.labCalls(), 25, "distinct requests, none refused");
    assert.ok(elapsed >= 1900, `slots at 0 s, 1 s and 2 s, took ${elapsed} ms`);
  });

  test("single-flight: two concurrent identical reads make one lab call", async () => {
    const f = await start();
    const [a, b] = await Promise.all([f.client.bulkStatuses(), f.client.bulkStatuses()]);
    assert.deepEqual(a, b);
    assert.equal(f.labCalls("onu/get_onus_statuses"), 1);
    await Promise.all([f.client.bulkStatuses({ oltId: "1" }), f.client.bulkStatuses({ oltId: "2" })]);
    assert.equal(f.labCalls("onu/get_onus_statuses"), 3, "different filters are different calls");
  });
});

describe("resilience", () => {
  test("5xx opens the breaker; then calls fail fast without reaching the lab; it recovers", async () => {
    const f = await start({ guard: { retries: 0 } });
    f.ctx.scenario.faults = { smartolt: { "*": { errorRate: 1, status: 500 } } };
    for (let i = 0; i < 3; i++) {
      const err = await expectKind(f.client.listZones(), "unavailable");
      assert.equal(err.status, 500);
    }
    assert.equal(f.guard.state(), "open");
    const reached = f.labCalls();
    assert.equal(reached, 3);
    await expectKind(f.client.listZones(), "breaker_open");
    await expectKind(f.client.onuStatus("TPLG2A561D98"), "breaker_open");
    assert.equal(f.labCalls(), reached, "fail fast: nothing reached the lab");
    assert.equal(f.client.budget().used, reached, "and nothing was charged to the budget");

    f.ctx.scenario.faults = {};
    await new Promise((r) => setTimeout(r, 250));
    assert.equal((await f.client.listZones()).length, 2);
    assert.equal(f.guard.state(), "closed");
  });

  test("a hang is a timeout within the configured time", async () => {
    const f = await start({ guard: { timeoutMs: 300, retries: 0 } });
    f.ctx.scenario.faults = { smartolt: { "onu/get_onu_status": { hang: true } } };
    const t = performance.now();
    await expectKind(f.client.onuStatus("TPLG2A561D98"), "timeout");
    const elapsed = performance.now() - t;
    // It waited for its timeout; how soon after is measured by `npm run bench -- timing`.
    assert.ok(elapsed >= 280, `${elapsed} ms`);
  });

  test("a connection reset mid-response is unavailable, after the retries of an idempotent read", async () => {
    const f = await start({ guard: { volumeThreshold: 10 } });
    f.ctx.scenario.faults = { smartolt: { "onu/get_onus_statuses": { resetMidResponse: true } } };
    await expectKind(f.client.bulkStatuses(), "unavailable");
    assert.equal(f.labCalls("onu/get_onus_statuses"), 3, "1 attempt + 2 retries");
    f.ctx.scenario.faults = {};
    assert.equal((await f.client.bulkStatuses()).length, 6);
  });

  test("a refused connection is unavailable", async () => {
    const f = await start({ guard: { retries: 0 } });
    f.ctx.scenario.faults = { smartolt: { "*": { down: true } } };
    const err = await expectKind(f.client.listOlts(), "unavailable");
    assert.ok(!err.message.includes(TOKEN));
  });
});
