/**
 * The half-open trial each guard runs itself (BREAKER_PROBE): for each vendor, through the real client
 * and the lab over real sockets, a breaker opened by failures is probed once per reset period while the
 * vendor stays down, closes with no client call once it is back, and stops probing on shutdown.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import { isVendorError } from "../../src/vendors/errors.js";
import type { BreakerState, VendorCall } from "../../src/vendors/guard.js";
import { startClientLab } from "./ispcube-fixture.js";
import { HANG_GUARD_MS, makeRouter, startPool, TEST_RESILIENCE, within } from "./routeros-fixture.js";
import { startClientFixture } from "./smartolt-fixture.js";

const RESET_MS = 300;
/** Generous on purpose: a probe that settles is aborted by shutdown or answered, never timed out. */
const ATTEMPT_MS = 60_000;

/** One vendor behind its real client and guard, pointed at its lab simulator. */
interface Subject {
  /** A normal client read, the one the faults break to open the breaker. */
  call(): Promise<unknown>;
  /** Lab counter keys: the client read above and the probe. */
  clientEndpoint: string;
  probeEndpoint: string;
  labCount(endpoint: string): number;
  state(): BreakerState;
  /** Every read fails (the probe's included) with a 5xx or a trap: the vendor is down. */
  fail(): void;
  /** The probe's request is never answered. */
  hang(): void;
  heal(): void;
  shutdown(): Promise<void>;
  close(): Promise<void>;
}

/** State changes and observed probe attempts, with waits that resolve on the events themselves. */
function recorder(): {
  states: BreakerState[];
  probes: VendorCall[];
  onState(s: BreakerState): void;
  observe(c: VendorCall): void;
  until(what: string, done: () => boolean): Promise<void>;
} {
  const states: BreakerState[] = [];
  const probes: VendorCall[] = [];
  const waiters: (() => void)[] = [];
  const poke = (): void => waiters.forEach((w) => w());
  return {
    states,
    probes,
    onState(s) {
      states.push(s);
      poke();
    },
    observe(c) {
      if (c.op === "probe") probes.push(c);
      poke();
    },
    until(what, done) {
      if (done()) return Promise.resolve();
      const p = new Promise<void>((resolve) => {
        const w = (): void => {
          if (!done()) return;
          waiters.splice(waiters.indexOf(w), 1);
          resolve();
        };
        waiters.push(w);
      });
      return within(p).catch(() => {
        throw new Error(`waited in vain for ${what}; states ${states.join(" → ")}`);
      });
    },
  };
}

type Recorder = ReturnType<typeof recorder>;

/** The HTTP clients' guard in these tests: no retries, opens after two failures, short reset period. */
const guardFor = (r: Recorder) => ({ retries: 0, volumeThreshold: 2, resetTimeoutMs: RESET_MS, timeoutMs: ATTEMPT_MS, observe: r.observe });

const subjects: Record<string, (r: Recorder) => Promise<Subject>> = {
  async smartolt(r) {
    const f = await startClientFixture({
      guard: guardFor(r),
    });
    f.guard.onStateChange(r.onState);
    return {
      call: () => f.client.bulkStatuses(),
      clientEndpoint: "onu/get_onus_statuses",
      probeEndpoint: "system/get_zones",
      labCount: (e) => f.labCalls(e),
      state: () => f.guard.state(),
      fail: () => void (f.ctx.scenario.faults = { smartolt: { "*": { errorRate: 1, status: 500 } } }),
      hang: () => void (f.ctx.scenario.faults = { smartolt: { "*": { hang: true } } }),
      heal: () => void (f.ctx.scenario.faults = {}),
      shutdown: async () => f.guard.shutdown(),
      close: () => f.close(),
    };
  },
  async ispcube(r) {
    const t = await startClientLab({
      guard: guardFor(r),
    });
    t.guard.onStateChange(r.onState);
    return {
      call: () => t.client.plans(),
      clientEndpoint: "plans/plans_list",
      probeEndpoint: "connections/count",
      labCount: (e) => t.calls(e),
      state: () => t.guard.state(),
      // A 502 from the proxy on every endpoint; the cached token stays good.
      fail: () => void (t.lab.ctx.scenario.faults = { ispcube: { "*": { errorRate: 1, status: 502 } } }),
      hang: () => void (t.lab.ctx.scenario.faults = { ispcube: { "*": { hang: true } } }),
      heal: () => void delete t.lab.ctx.scenario.faults,
      shutdown: async () => t.guard.shutdown(),
      close: () => t.close(),
    };
  },
  async routeros(r) {
    const router = makeRouter();
    const h = await startPool([router], {
      resilience: { ...TEST_RESILIENCE, breakerVolume: 2, breakerResetMs: RESET_MS, routerTimeoutMs: ATTEMPT_MS },
      observe: r.observe,
      onBreakerChange: (_, s) => r.onState(s),
    });
    const target = h.target(router.name);
    const key = `routeros:${target.host}:${target.port}`;
    return {
      call: () => h.pool.secret(target, "alice"),
      clientEndpoint: `${router.name} /ppp/secret/print`,
      probeEndpoint: `${router.name} /system/identity/print`,
      labCount: (e) => h.ctx.counters.get("routeros", e),
      state: () => (h.pool.breakers()[key] ?? "closed") as BreakerState,
      // Traps on both reads ("action timed out", a transient RouterOS failure); the login still works.
      fail: () => {
        h.setFault(router.name, "/ppp/secret/print", { errorRate: 1 });
        h.setFault(router.name, "/system/identity/print", { errorRate: 1 });
      },
      hang: () => h.setFault(router.name, "/system/identity/print", { silent: true }),
      heal: () => h.clearFaults(),
      shutdown: () => h.pool.close(),
      close: () => h.close(),
    };
  },
};

/** For what the lab records without telling anyone: checked every 10 ms, bounded like every wait. */
async function pollUntil(what: string, done: () => boolean): Promise<void> {
  const end = performance.now() + HANG_GUARD_MS;
  while (!done()) {
    if (performance.now() > end) assert.fail(`waited in vain for ${what}`);
    await sleep(10);
  }
}

async function openBreaker(s: Subject, r: Recorder): Promise<void> {
  await s.call();
  s.fail();
  for (let i = 0; i < 10 && s.state() !== "open"; i++) await s.call().catch(() => undefined);
  await r.until("the breaker to open", () => r.states.includes("open"));
}

for (const [vendor, start] of Object.entries(subjects)) {
  describe(`${vendor}: the breaker's own trial`, () => {
    test("a vendor still down is probed about once per reset period; back up, the breaker closes with no call", async () => {
      const r = recorder();
      const s = await start(r);
      try {
        await openBreaker(s, r);
        const t0 = performance.now();
        const clientCalls = s.labCount(s.clientEndpoint);
        const probesBefore = s.labCount(s.probeEndpoint);
        const opens = (): number => r.states.filter((x) => x === "open").length;

        // Three failed trials: each half-open sends one probe, which fails and opens the breaker again.
        await r.until("three failed probes", () => opens() >= 4);
        const periods = Math.floor((performance.now() - t0) / RESET_MS);
        const probes = s.labCount(s.probeEndpoint) - probesBefore;
        assert.equal(probes, 3, "one probe per half-open");
        assert.ok(probes <= periods + 1, `${probes} probes in ${periods} reset periods`);
        assert.deepEqual(r.probes.map((p) => p.outcome), ["unavailable", "unavailable", "unavailable"]);
        assert.ok(r.probes.every((p) => p.vendor === vendor && p.op === "probe"));

        s.heal();
        await r.until("the breaker to close", () => r.states.at(-1) === "closed");
        assert.equal(s.state(), "closed");
        assert.equal(r.probes.at(-1)?.outcome, "ok");
        assert.equal(s.labCount(s.clientEndpoint), clientCalls, "closed by the probe: no client call was made");
        await s.call();
      } finally {
        await s.close();
      }
    });

    test("shutdown aborts a probe in flight and no probe follows", async () => {
      const r = recorder();
      const s = await start(r);
      try {
        await openBreaker(s, r);
        s.hang();
        await r.until("a probe in flight", () => r.states.includes("half_open"));
        // The lab counts the probe's request before it hangs.
        await pollUntil("the probe to reach the lab", () => s.labCount(s.probeEndpoint) > 0);
        const sent = s.labCount(s.probeEndpoint);
        assert.equal(sent, 1);
        // The probe holds opossum's one trial: a call meanwhile fails fast and reaches nobody.
        const clientCalls = s.labCount(s.clientEndpoint);
        await assert.rejects(s.call(), (err: unknown) => isVendorError(err, "breaker_open"));
        assert.equal(s.labCount(s.clientEndpoint), clientCalls);
        assert.equal(s.state(), "half_open");
        await s.shutdown();
        await r.until("the hung probe to settle", () => r.probes.length === 1);
        assert.equal(r.probes[0]?.outcome, "timeout", "aborted by shutdown (the attempt's own timeout is 60 s)");
        assert.notEqual(s.state(), "open", "a probe aborted by shutdown is no vendor failure");
        const states = r.states.length;
        // Absence over several reset periods: no half-open, no probe.
        await sleep(4 * RESET_MS);
        assert.equal(s.labCount(s.probeEndpoint), sent);
        assert.equal(r.states.length, states, `no state change after shutdown: ${r.states.join(" → ")}`);
      } finally {
        await s.close();
      }
    });
  });
}

describe("smartolt: a probe Beholder's own budget refuses", () => {
  test("tests nothing, so the breaker stays open until the budget lets a probe through", async () => {
    const r = recorder();
    const f = await startClientFixture({
      config: { hourlyBudget: 3, budgetHeadroomPercent: 0 },
      guard: guardFor(r),
    });
    f.guard.onStateChange(r.onState);
    try {
      await f.client.bulkStatuses();
      f.ctx.scenario.faults = { smartolt: { "*": { errorRate: 1, status: 500 } } };
      for (let i = 0; i < 2; i++) await f.client.bulkStatuses().catch(() => undefined);
      await r.until("the breaker to open", () => r.states.includes("open"));
      assert.equal(f.client.budget().used, 3, "the hour's budget is spent");
      f.ctx.scenario.faults = {};

      await r.until("a refused probe", () => r.probes.length === 1 && r.states.at(-1) === "open");
      assert.equal(r.probes[0]?.outcome, "unavailable", "not rate_limited, which would close the breaker untested");
      assert.equal(f.labCalls("system/get_zones"), 0, "the probe was not sent");

      f.ctx.clock.advance(3_600_000);
      await r.until("the breaker to close", () => r.states.at(-1) === "closed");
      assert.equal(f.labCalls("system/get_zones"), 1);
    } finally {
      await f.close();
    }
  });
});
