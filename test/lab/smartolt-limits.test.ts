import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { SmartOltRateLimits } from "../../lab/scenario/types.js";
import { makeScenario, START, startFixture, TOKEN, type Fixture } from "./smartolt-fixture.js";

const open: Fixture[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.sim.close()));
});

async function start(limits?: Partial<SmartOltRateLimits>): Promise<Fixture> {
  const scenario = makeScenario();
  if (limits) scenario.smartolt.rateLimits = limits;
  const f = await startFixture(scenario);
  open.push(f);
  return f;
}

const HOUR = 3_600_000;
const RELAXED = { perSecond: 10_000, burst: 10_000 };

describe("rate limits", () => {
  test("hourly budget: X-RateLimit-* headers, then 429 with Retry-After and the documented body", async () => {
    const f = await start({ hourly: 3, ...RELAXED });
    const resetAt = String(START.getTime() / 1000 + 3600);
    for (const remaining of ["2", "1", "0"]) {
      const res = await f.call("onu/get_onus_statuses");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-ratelimit-limit"), "3");
      assert.equal(res.headers.get("x-ratelimit-remaining"), remaining);
      assert.equal(res.headers.get("x-ratelimit-reset"), resetAt);
      await res.body?.cancel();
    }
    f.ctx.clock.advance(600_000);
    const { res, body } = await f.json("system/get_olts");
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "3000");
    assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
    assert.deepEqual(body, { status: false, response_code: "rate_limit_exceeded", retry_after: 3000 });

    f.ctx.clock.advance(HOUR);
    assert.equal((await f.json("system/get_olts")).res.status, 200, "a new hour opens a new budget");
  });

  test("default budget is 1000/h", async () => {
    const f = await start();
    const res = await f.call("system/get_zones");
    assert.equal(res.headers.get("x-ratelimit-limit"), "1000");
    assert.equal(res.headers.get("x-ratelimit-remaining"), "999");
    await res.body?.cancel();
  });

  test("unpaged get_all_onus_details is blocked after its cap; paged calls are not", async () => {
    const f = await start({ allOnusDetailsUnpagedPerHour: 2, ...RELAXED });
    for (let i = 0; i < 2; i++) {
      const res = await f.call("onu/get_all_onus_details");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-ratelimit-limit"), "2");
      await res.body?.cancel();
    }
    const blocked = await f.json("onu/get_all_onus_details?olt_id=1");
    assert.equal(blocked.res.status, 429);
    assert.equal(blocked.body.response_code, "rate_limit_exceeded");
    assert.equal((await f.json("onu/get_all_onus_details?page=1&page_size=100")).res.status, 200);
    f.ctx.clock.advance(HOUR);
    assert.equal((await f.json("onu/get_all_onus_details")).res.status, 200);
  });

  test("the documented unpaged cap is 15/h and get_onu_signal reports its own 500", async () => {
    const f = await start(RELAXED);
    for (let i = 0; i < 15; i++) assert.equal((await f.json("onu/get_all_onus_details")).res.status, 200);
    assert.equal((await f.json("onu/get_all_onus_details")).res.status, 429);
    const signal = await f.call("onu/get_onu_signal/TPLG2A561D98");
    assert.equal(signal.headers.get("x-ratelimit-limit"), "500");
    assert.equal(signal.headers.get("x-ratelimit-remaining"), "499");
    await signal.body?.cancel();
  });

  test("per-second rate: a burst of 15 passes, the 16th is refused, 10/s after that", async () => {
    const f = await start(); // documented defaults, on a clock that does not move by itself
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await f.json("system/get_zones")).res.status);
    assert.deepEqual(statuses, [...Array(15).fill(200), 429]);
    const refused = await f.json("system/get_zones");
    assert.equal(refused.res.headers.get("retry-after"), "1");
    assert.equal(refused.body.retry_after, 1);

    f.ctx.clock.advance(1000);
    const after: number[] = [];
    for (let i = 0; i < 11; i++) after.push((await f.json("system/get_zones")).res.status);
    assert.deepEqual(after, [...Array(10).fill(200), 429]);
  });

  test("heavy OLT detail: 30 per 10 minutes per OLT", async () => {
    const f = await start({ heavyOltDetailsPer10Min: 2, ...RELAXED });
    const status = async (olt: number): Promise<number> => (await f.json(`system/get_olt_pon_ports_details/${olt}`)).res.status;
    assert.deepEqual([await status(1), await status(1), await status(1), await status(2)], [200, 200, 429, 200]);
    f.ctx.clock.advance(10 * 60_000);
    assert.equal(await status(1), 200);
  });

  test("counters: budget-charged calls per endpoint; paged details apart; 403/405/429 not counted", async () => {
    const f = await start({ hourly: 4, ...RELAXED });
    await f.json("onu/get_onus_statuses");
    await f.json("onu/get_onus_statuses?olt_id=1");
    await f.json("onu/get_all_onus_details");
    await f.json("onu/get_all_onus_details?page=1");
    await f.json("onu/get_onu_status/TPLG2A561D98", { headers: { "X-Token": "bad" } });
    await f.json("onu/nope");
    assert.equal((await f.json("onu/get_onus_statuses")).res.status, 429);
    const c = f.ctx.counters;
    assert.equal(c.get("smartolt", "onu/get_onus_statuses"), 2);
    assert.equal(c.get("smartolt", "onu/get_all_onus_details"), 1);
    assert.equal(c.get("smartolt", "onu/get_all_onus_details?paged"), 1);
    assert.equal(c.get("smartolt", "onu/get_onu_status"), 0);
    assert.equal(c.get("smartolt"), 4);
  });
});

describe("faults", () => {
  test("latency delays the answer", async () => {
    const f = await start();
    f.ctx.scenario.faults = { smartolt: { "onu/get_onus_statuses": { latencyMs: 150 } } };
    let t = performance.now();
    assert.equal((await f.json("onu/get_onus_statuses")).res.status, 200);
    assert.ok(performance.now() - t >= 140);
    // Other endpoints are not delayed: they answer while a slow statuses call is still out.
    f.ctx.scenario.faults = { smartolt: { "onu/get_onus_statuses": { latencyMs: 600_000 } } };
    const stuck = new AbortController();
    let settled = false;
    const slow = fetch(`${f.sim.url}/onu/get_onus_statuses`, { headers: { "X-Token": TOKEN }, signal: stuck.signal }).finally(() => (settled = true));
    assert.equal((await f.json("system/get_olts")).res.status, 200);
    assert.equal(settled, false, "the delayed call is still waiting");
    stuck.abort();
    await assert.rejects(slow);
  });

  test("errorRate answers with the fault's status, default 500", async () => {
    const f = await start();
    f.ctx.scenario.faults = { smartolt: { "*": { errorRate: 1, status: 503 } } };
    const r = await f.json("system/get_olts");
    assert.equal(r.res.status, 503);
    assert.equal(r.body.status, false);
    f.ctx.scenario.faults = { smartolt: { "*": { errorRate: 1 } } };
    assert.equal((await f.json("system/get_olts")).res.status, 500);
    f.ctx.scenario.faults = { smartolt: { "*": { errorRate: 0 } } };
    assert.equal((await f.json("system/get_olts")).res.status, 200);
  });

  test("burst answers the next N calls with its status, then recovers", async () => {
    const f = await start();
    const fault = { burst: { count: 2, status: 429 } };
    f.ctx.scenario.faults = { smartolt: { "onu/get_onus_signals": fault } };
    const first = await f.json("onu/get_onus_signals");
    assert.equal(first.res.status, 429);
    assert.ok(first.res.headers.get("retry-after"));
    assert.equal(first.body.response_code, "rate_limit_exceeded");
    assert.equal((await f.json("onu/get_onus_signals")).res.status, 429);
    assert.equal((await f.json("onu/get_onus_signals")).res.status, 200);
    assert.equal(fault.burst.count, 0);
  });

  test("a fault on get_all_onus_details covers paged calls unless the paged key has its own", async () => {
    const f = await start();
    f.ctx.scenario.faults = { smartolt: { "onu/get_all_onus_details": { errorRate: 1, status: 502 } } };
    assert.equal((await f.json("onu/get_all_onus_details?page=1")).res.status, 502);
    f.ctx.scenario.faults = { smartolt: { "onu/get_all_onus_details?paged": { errorRate: 1, status: 504 } } };
    assert.equal((await f.json("onu/get_all_onus_details?page=1")).res.status, 504);
    assert.equal((await f.json("onu/get_all_onus_details")).res.status, 200);
  });

  test("wrongCredentials rejects the right token with 403", async () => {
    const f = await start();
    f.ctx.scenario.faults = { smartolt: { "*": { wrongCredentials: true } } };
    const r = await f.json("system/get_olts");
    assert.equal(r.res.status, 403);
    assert.equal(r.body.status, false);
  });

  test("resetMidResponse cuts the body: reading it rejects", async () => {
    const f = await start();
    f.ctx.scenario.faults = { smartolt: { "onu/get_onus_statuses": { resetMidResponse: true } } };
    await assert.rejects(async () => {
      const res = await f.call("onu/get_onus_statuses");
      await res.text();
    });
    f.ctx.scenario.faults = {};
    assert.equal((await f.json("onu/get_onus_statuses")).res.status, 200);
  });

  test("hang never answers (the client aborts) and close() still returns", async () => {
    const f = await start();
    f.ctx.scenario.faults = { smartolt: { "*": { hang: true } } };
    await assert.rejects(
      fetch(`${f.sim.url}/system/get_olts`, { headers: { "X-Token": TOKEN }, signal: AbortSignal.timeout(200) }),
      { name: "TimeoutError" },
    );
    // One more hanging request left open on purpose: close() must not wait for it.
    const pending = fetch(`${f.sim.url}/system/get_olts`, { headers: { "X-Token": TOKEN } }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    // If close() waited for the hung request, this test would never end.
    await f.sim.close();
    assert.ok((await pending) instanceof Error);
  });

  test("down refuses every connection until lifted", async () => {
    const f = await start();
    f.ctx.scenario.faults = { smartolt: { "*": { down: true } } };
    await assert.rejects(fetch(`${f.sim.url}/system/get_olts`, { headers: { "X-Token": TOKEN } }));
    f.ctx.scenario.faults = {};
    assert.equal((await f.json("system/get_olts")).res.status, 200);
  });
});
