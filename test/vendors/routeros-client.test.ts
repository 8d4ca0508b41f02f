/** The RouterOS pool against the lab simulator over real TCP, with node-routeros itself. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { RouterWorld } from "../../lab/scenario/types.js";
import { isVendorError } from "../../src/vendors/errors.js";
import { makeRouter, startPool, within, type PoolHarness } from "./routeros-fixture.js";

let h: PoolHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// Fresh worlds per test: tests edit them.
const v6 = (): RouterWorld => ({ ...makeRouter("6.49"), name: "edge-6" });
const v718 = (): RouterWorld => ({ ...makeRouter("7.18"), name: "edge-718" });

describe("routeros pool: reads", () => {
  it("reads every secret without ever asking for the password", async () => {
    h = await startPool([v718()]);
    const secrets = await h.pool.secrets(h.target("edge-718"));
    assert.deepEqual(
      secrets.map((s) => [s.name, s.profile, s.service, s.disabled]),
      [
        ["alice", "10M", "pppoe", false],
        ["bob", "50M", "pppoe", false],
        ["carol", "10M", "any", true],
      ],
    );
    const bob = secrets.find((s) => s.name === "bob");
    assert.deepEqual(bob?.lastLoggedOut, new Date("2025-06-10T09:30:15Z"));
    assert.equal(bob?.lastCallerId, "AA:BB:CC:00:11:22");
    assert.equal(bob?.lastDisconnectReason, "peer-request");
    assert.equal(secrets.find((s) => s.name === "alice")?.lastLoggedOut, null, "never logged out");
    assert.equal(secrets.find((s) => s.name === "carol")?.comment, "moroso");
    assert.ok(!JSON.stringify(secrets).includes("pw-"), "no password leaks into the domain values");

    await h.pool.activeSessions(h.target("edge-718"));
    await h.pool.queue(h.target("edge-718"), "alice");
    await h.pool.logs(h.target("edge-718"));
    await h.pool.identity(h.target("edge-718"));
    const received = h.sims.get("edge-718")?.received ?? [];
    const prints = received.filter((s) => /\/print$/.test(s[0] ?? ""));
    assert.ok(prints.length >= 5);
    for (const s of prints) {
      const proplist = s.find((w) => w.startsWith("=.proplist="));
      assert.ok(proplist, `${s[0]} carries a .proplist`);
      assert.ok(!proplist.includes("password"), `${s[0]} does not ask for the password`);
    }
    assert.ok(!received.some((s) => s[0] !== "/login" && s.some((w) => w.includes("password"))));
  });

  it("reads one secret by name, and undefined for an unknown one", async () => {
    h = await startPool([v6()]);
    const bob = await h.pool.secret(h.target("edge-6"), "bob");
    assert.equal(bob?.name, "bob");
    // 6.49 writes `jun/10/2025 09:30:15` in the router's zone (UTC here).
    assert.deepEqual(bob?.lastLoggedOut, new Date("2025-06-10T09:30:15Z"));
    assert.equal(await h.pool.secret(h.target("edge-6"), "nobody"), undefined);
    const sent = h.sims.get("edge-6")?.received.find((s) => s.includes("?name=bob"));
    assert.equal(sent?.[0], "/ppp/secret/print");
  });

  it("reads router dates in the pool's time zone", async () => {
    h = await startPool([{ ...v6(), timezone: "America/Argentina/Buenos_Aires" }], { timezone: "America/Argentina/Buenos_Aires" });
    const bob = await h.pool.secret(h.target("edge-6"), "bob");
    assert.deepEqual(bob?.lastLoggedOut, new Date("2025-06-10T09:30:15Z"));
  });

  for (const router of [v6(), v718()]) {
    it(`active session present and absent on ${router.version}`, async () => {
      h = await startPool([router]);
      const t = h.target(router.name);
      const alice = await h.pool.activeSession(t, "alice");
      assert.equal(alice?.name, "alice");
      assert.equal(alice?.address, "10.20.0.10");
      assert.equal(alice?.callerId, "D0:D0:4B:36:7C:C1");
      assert.equal(alice?.service, "pppoe");
      // Up since 2025-06-09T11:00Z; the lab clock says 2025-06-10T12:00Z (plus test run time).
      assert.ok(alice && alice.uptimeS >= 90_000 && alice.uptimeS < 90_060, `uptime ${alice?.uptimeS}`);
      // On 7.18 the empty answer is `!empty` then `!done` (§2.6.1): it must resolve, not hang or crash.
      assert.equal(await within(h.pool.activeSession(t, "bob")), undefined);
      assert.deepEqual(
        (await h.pool.activeSessions(t)).map((s) => s.name),
        ["alice"],
      );
      h.ctx.scenario.routers[0]!.active = [];
      assert.deepEqual(await within(h.pool.activeSessions(t)), []);
    });
  }

  it("reads live traffic of a connected user; not_found when there is no session", async () => {
    h = await startPool([v718()]);
    const t = h.target("edge-718");
    const before = h.ctx.clock.now().getTime();
    const reading = await h.pool.traffic(t, "alice");
    const after = h.ctx.clock.now().getTime();
    // Alice's profile caps her at 2M up / 10M down; the world says 8M down, 1M up.
    assert.equal(reading.downloadBps, 8_000_000);
    assert.equal(reading.uploadBps, 1_000_000);
    // Read during the call (the router's clock has whole seconds).
    assert.ok(reading.at.getTime() >= before - 1000 && reading.at.getTime() <= after + 1000, `read at ${reading.at.toISOString()}`);
    await assert.rejects(h.pool.traffic(t, "bob"), (err) => isVendorError(err, "not_found"));
    const sent = h.sims.get("edge-718")?.received.find((s) => s[0] === "/interface/monitor-traffic");
    assert.ok(sent?.includes("=interface=<pppoe-alice>") && sent.includes("=once="));
  });

  it("reads the dynamic queue as upload/download from the subscriber's side", async () => {
    h = await startPool([v6()]);
    const q = await h.pool.queue(h.target("edge-6"), "alice");
    assert.deepEqual(q, { name: "<pppoe-alice>", maxDownloadBps: 10_000_000, maxUploadBps: 2_000_000, downloadBps: 8_000_000, uploadBps: 1_000_000 });
    assert.equal(await h.pool.queue(h.target("edge-6"), "bob"), undefined);
  });

  for (const router of [v6(), v718()]) {
    it(`reads the log on ${router.version}, filtered by user and limited`, async () => {
      h = await startPool([router]);
      const t = h.target(router.name);
      const all = await h.pool.logs(t);
      assert.deepEqual(all, [
        { time: new Date("2025-06-09T11:00:00Z"), topics: "pppoe,ppp,info", message: "<pppoe-alice>: authenticated" },
        // Today's entry comes as a bare `09:30:15`.
        { time: new Date("2025-06-10T09:30:15Z"), topics: "pppoe,ppp,info", message: "<pppoe-bob>: disconnected" },
      ]);
      assert.deepEqual(
        (await h.pool.logs(t, "BOB")).map((e) => e.message),
        ["<pppoe-bob>: disconnected"],
      );
      assert.deepEqual(
        (await h.pool.logs(t, undefined, { limit: 1 })).map((e) => e.message),
        ["<pppoe-bob>: disconnected"],
      );
    });
  }

  it("reads identity and version", async () => {
    h = await startPool([v6(), v718()]);
    assert.deepEqual(await h.pool.identity(h.target("edge-6")), { name: "CORE-LP-1", version: "6.49.10" });
    assert.deepEqual(await h.pool.identity(h.target("edge-718")), { name: "CORE-LP-1", version: "7.18" });
  });

  it("logs in with the legacy challenge on a pre-6.43 router", async () => {
    h = await startPool([{ ...v6(), legacyLogin: true }]);
    assert.equal((await h.pool.identity(h.target("edge-6"))).name, "CORE-LP-1");
    const response = h.sims.get("edge-6")?.received[1]?.find((w) => w.startsWith("=response="));
    assert.match(response ?? "", /^=response=00[0-9a-f]{32}$/);
  });

  it("reuses one connection for many calls, concurrent ones included", async () => {
    h = await startPool([v718()]);
    const t = h.target("edge-718");
    await Promise.all([h.pool.secret(t, "alice"), h.pool.activeSession(t, "alice"), h.pool.queue(t, "alice"), h.pool.identity(t)]);
    for (let i = 0; i < 10; i++) await h.pool.activeSession(t, i % 2 ? "alice" : "bob");
    assert.equal(h.logins("edge-718"), 1);
    assert.equal(h.ctx.counters.get("routeros", "edge-718 /ppp/active/print"), 11);
  });

  it("sends the user exactly once per word, even with odd characters", async () => {
    h = await startPool([v718()]);
    assert.equal(await h.pool.secret(h.target("edge-718"), "a=b ?name=alice"), undefined);
    const sent = h.sims.get("edge-718")?.received.at(-1) ?? [];
    assert.equal(sent.filter((w) => w.startsWith("?")).length, 1);
    assert.equal(sent.filter((w) => w.startsWith(".tag=")).length, 1);
  });
});
