/**
 * The RouterOS pool under the simulator's faults (shared/vendors/routeros.md §2.6, §5.8): every
 * failure ends as a VendorError within the budget, the process survives, the next call reconnects.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { afterEach, describe, it } from "node:test";
import type { RouterWorld } from "../../lab/scenario/types.js";
import { isVendorError, type VendorErrorKind } from "../../src/vendors/errors.js";
import { makeRouter, SHORT_TIMEOUT, startPool, TEST_RESILIENCE, within, type PoolHarness } from "./routeros-fixture.js";

let h: PoolHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const R = "edge-1";
const router = (version: RouterWorld["version"] = "7.18", name = R): RouterWorld => ({ ...makeRouter(version), name });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const kind = (k: VendorErrorKind) => (err: unknown) => isVendorError(err, k);

/** How long `start()` takes to settle, and how it settled. */
async function timed<T>(start: () => Promise<T>): Promise<{ ms: number; result: Promise<T> }> {
  const t0 = Date.now();
  const result = start();
  await result.catch(() => {});
  return { ms: Date.now() - t0, result };
}

describe("routeros pool: faults", () => {
  it("a wrong password is auth, and does not open the breaker", async () => {
    h = await startPool([router()], { password: "wrong", resilience: { ...TEST_RESILIENCE, breakerVolume: 1 } });
    for (let i = 0; i < 3; i++) await assert.rejects(h.pool.identity(h.target(R)), kind("auth"));
    assert.equal(h.logins(R), 3, "one login per call (its two commands share it), never breaker_open");
  });

  it("a refused connection is unavailable, fast", async () => {
    h = await startPool([router()]);
    h.setFault(R, "*", { refuse: true });
    // Unavailable, not a timeout; how fast it fails is measured by `npm run bench -- timing`.
    const { result } = await timed(() => h!.pool.secret(h!.target(R), "alice"));
    await assert.rejects(result, kind("unavailable"));
    h.clearFaults();
    assert.equal((await h.pool.secret(h.target(R), "alice"))?.name, "alice");
  });

  it("a closed port is unavailable: connection refused", async () => {
    h = await startPool([router()]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await assert.rejects(h.pool.identity({ name: "gone", host: "127.0.0.1", port, nodeId: 9 }), (err) => {
      return isVendorError(err, "unavailable") && /connection refused/.test(err.message);
    });
  });

  it("the lab's closed port (refused) and its accept-then-reset read apart: their socket codes differ", async () => {
    h = await startPool([router()]);
    const sim = h.sims.get(R)!;
    h.setFault(R, "*", { portClosed: true });
    await sim.applyFaults();
    await assert.rejects(h.pool.secret(h.target(R), "alice"), (err) => {
      assert.ok(isVendorError(err, "unavailable"), String(err));
      assert.equal(err.code, "ECONNREFUSED");
      assert.match(err.message, /connection refused/);
      return true;
    });
    assert.equal(h.logins(R), 0, "nothing reached the router");
    h.setFault(R, "*", { refuse: true });
    await sim.applyFaults();
    await assert.rejects(h.pool.secret(h.target(R), "alice"), (err) => {
      assert.ok(isVendorError(err, "unavailable"), String(err));
      assert.equal(err.code, "ECONNRESET");
      assert.doesNotMatch(err.message, /refused/);
      return true;
    });
    // The port opens again, on the same number, once the fault is cleared.
    h.clearFaults();
    await sim.applyFaults();
    assert.equal((await h.pool.secret(h.target(R), "alice"))?.name, "alice");
  });

  it("a silent router times out within the budget; the next call reconnects", async () => {
    h = await startPool([router()], { resilience: SHORT_TIMEOUT });
    await h.pool.activeSession(h.target(R), "alice");
    h.setFault(R, "/ppp/active/print", { silent: true });
    const { ms, result } = await timed(() => h!.pool.activeSession(h!.target(R), "alice"));
    await assert.rejects(result, kind("timeout"));
    // It waited for its timeout; how soon after is the bench's business (`npm run bench -- timing`).
    assert.ok(ms >= SHORT_TIMEOUT.routerTimeoutMs - 50, `timed out after ${ms} ms`);
    h.clearFaults();
    assert.equal((await h.pool.activeSession(h.target(R), "alice"))?.name, "alice");
    assert.equal(h.logins(R), 2);
  });

  it("a stream that gave up on a router that never answered its login leaves no link behind: the next call logs in afresh", async () => {
    h = await startPool([router()], { resilience: SHORT_TIMEOUT });
    const t = h.target(R);
    // Silent for every command, /login included: the link connects and waits for a login answer.
    h.setFault(R, "*", { silent: true });
    const start = h.pool.monitorTraffic(t, "alice", { intervalS: 1, onSample: () => {}, onEnd: () => {} });
    await assert.rejects(within(start), kind("timeout"));
    h.clearFaults();
    // The router answers again: this call must not wait on the abandoned login (it would time out).
    const { ms, result } = await timed(() => h!.pool.activeSession(t, "alice"));
    assert.equal((await result)?.name, "alice", `answered after ${ms} ms`);
    assert.equal(h.logins(R), 2, "the unanswered login, then the fresh link's");
  });

  it("a call whose caller gave up during an unanswered login leaves no link behind either", async () => {
    h = await startPool([router()], { resilience: SHORT_TIMEOUT });
    const t = h.target(R);
    h.setFault(R, "*", { silent: true });
    const gaveUp = new AbortController();
    const call = h.pool.secret(t, "alice", { signal: gaveUp.signal });
    // The login is on the wire (and swallowed) before the caller gives up.
    while (h.logins(R) < 1) await sleep(10);
    gaveUp.abort(new DOMException("the agent hung up", "AbortError"));
    await assert.rejects(call);
    h.clearFaults();
    const { ms, result } = await timed(() => h!.pool.secret(t, "alice"));
    assert.equal((await result)?.name, "alice", `answered after ${ms} ms`);
    assert.equal(h.logins(R), 2);
  });

  it("a connection dropped mid-reply rejects every call in flight at once; the next call reconnects", async () => {
    h = await startPool([router()]);
    const t = h.target(R);
    h.setFault(R, "/ppp/active/print", { silent: true });
    h.setFault(R, "/ppp/secret/print", { dropMidCommand: true });
    const waiting = h.pool.activeSession(t, "alice");
    await sleep(20);
    const dropped = h.pool.secret(t, "alice");
    await assert.rejects(dropped, kind("unavailable"));
    // The silent command dies with the link, before its own timeout.
    await assert.rejects(waiting, kind("unavailable"));
    h.clearFaults();
    assert.equal((await h.pool.secret(t, "alice"))?.name, "alice");
    assert.equal(h.logins(R), 2);
  });

  it("the router closing an idle connection is harmless; the next call reconnects", async () => {
    h = await startPool([router()]);
    await h.pool.identity(h.target(R));
    // Armed after the first call, so a slow machine cannot cut that call between login and command.
    h.setFault(R, "*", { idleCloseMs: 50 });
    const sim = h.sims.get(R);
    while (sim && sim.connections() > 0) await sleep(20);
    // The router's close is on the wire; let the pool's socket see it before the next call.
    await sleep(100);
    h.clearFaults();
    assert.equal((await h.pool.identity(h.target(R))).name, "CORE-LP-1");
    assert.equal(h.logins(R), 2);
  });

  it("node-routeros' own idle timeout (SOCKTMOUT) is harmless; the next call reconnects", async () => {
    h = await startPool([router()], { idleTimeoutMs: 100 });
    await h.pool.identity(h.target(R));
    await sleep(300);
    assert.equal((await h.pool.identity(h.target(R))).name, "CORE-LP-1");
    assert.equal(h.logins(R), 2);
  });

  it("!fatal rejects the call as unavailable; the next call reconnects", async () => {
    h = await startPool([router()]);
    h.setFault(R, "/ppp/secret/print", { fatal: true });
    await assert.rejects(h.pool.secret(h.target(R), "alice"), kind("unavailable"));
    h.clearFaults();
    assert.equal((await h.pool.secret(h.target(R), "alice"))?.name, "alice");
    assert.equal(h.logins(R), 2);
  });

  it("an unknown reply word fails that call as bad_response, without crashing; the link lives on", async () => {
    h = await startPool([router()]);
    h.setFault(R, "/system/identity/print", { unknownReplyWord: true });
    await assert.rejects(h.pool.identity(h.target(R)), (err) => isVendorError(err, "bad_response") && /!weird/.test(err.message));
    h.clearFaults();
    assert.equal((await h.pool.identity(h.target(R))).name, "CORE-LP-1");
    assert.equal(h.logins(R), 1, "the rest of the reply was consumed; the connection stays in sync");
  });

  it("untagged replies time out without crashing; the next call reconnects", async () => {
    h = await startPool([router()], { resilience: SHORT_TIMEOUT });
    h.setFault(R, "/ppp/active/print", { untagged: true });
    await assert.rejects(h.pool.activeSession(h.target(R), "alice"), kind("timeout"));
    h.clearFaults();
    assert.equal((await h.pool.activeSession(h.target(R), "alice"))?.name, "alice");
    assert.equal(h.logins(R), 2);
  });

  it("an untagged reply cannot leak into a concurrent call's answer: the link is dropped", async () => {
    h = await startPool([router()]);
    const t = h.target(R);
    h.setFault(R, "/ppp/active/print", { untagged: true });
    const lost = h.pool.activeSession(t, "alice");
    await sleep(20);
    // Its tagged reply would be glued after the untagged rows; both calls fail instead.
    await assert.rejects(h.pool.secret(t, "alice"), (err) => isVendorError(err, "bad_response") && /UNTAGGED/.test(err.message));
    await assert.rejects(lost, kind("bad_response"));
    h.clearFaults();
    assert.equal((await h.pool.secret(t, "alice"))?.name, "alice");
    assert.equal(h.logins(R), 2);
  });

  for (const split of [1, 2, 3, 5, 7]) {
    it(`replies split every ${split} bytes are reassembled promptly (the final \\0 alone included)`, async () => {
      // A call budget far below node-routeros' hold ping (idle timeout / 2 = 30 s), which would
      // otherwise deliver the held bytes: a reply not reassembled on its own times out instead.
      h = await startPool([router("7.18")], { resilience: { ...TEST_RESILIENCE, routerTimeoutMs: 20_000 } });
      h.setFault(R, "*", { splitWritesAt: split });
      const t = h.target(R);
      assert.equal((await h.pool.secrets(t)).length, 3);
      assert.equal((await h.pool.activeSession(t, "alice"))?.name, "alice");
      assert.equal(await h.pool.activeSession(t, "bob"), undefined, "!empty then !done, split");
      assert.equal(h.logins(R), 1);
    });
  }

  it("the breaker opens per router: a second router stays usable", async () => {
    h = await startPool([router("7.18", "bad"), router("6.49", "good")], {
      resilience: { ...TEST_RESILIENCE, breakerVolume: 2, breakerErrorPercent: 50 },
    });
    h.setFault("bad", "*", { refuse: true });
    await assert.rejects(h.pool.secret(h.target("bad"), "alice"), kind("unavailable"));
    await assert.rejects(h.pool.secret(h.target("bad"), "alice"), kind("unavailable"));
    const attempts = h.ctx.counters.get("routeros");
    await assert.rejects(h.pool.secret(h.target("bad"), "alice"), kind("breaker_open"));
    assert.equal(h.ctx.counters.get("routeros"), attempts, "an open breaker does not call the router");
    assert.equal((await h.pool.secret(h.target("good"), "alice"))?.name, "alice");
    // Keyed by host and port: the lab's routers share 127.0.0.1.
    const key = (name: string): string => `routeros:${h!.target(name).host}:${h!.target(name).port}`;
    assert.deepEqual(h.pool.breakers(), { [key("bad")]: "open", [key("good")]: "closed" });
  });

  it("retries an idempotent read on a fresh connection", async () => {
    h = await startPool([router()], { resilience: { ...TEST_RESILIENCE, retries: 1 } });
    // Drops the first reply only: the sim reads the fault once per reply.
    let drops = 1;
    h.setFault(R, "/ppp/secret/print", {
      get dropMidCommand() {
        return drops-- > 0;
      },
    });
    assert.equal((await h.pool.secret(h.target(R), "alice"))?.name, "alice");
    assert.equal(drops, -1, "the first reply was dropped");
    assert.equal(h.logins(R), 2);
  });

  it("close() rejects calls in flight and leaves nothing running", async () => {
    h = await startPool([router()]);
    h.setFault(R, "/ppp/active/print", { silent: true });
    const rejected = assert.rejects(h.pool.activeSession(h.target(R), "alice"), kind("unavailable"));
    await sleep(30);
    await h.pool.close();
    await rejected;
    await assert.rejects(h.pool.identity(h.target(R)), kind("unavailable"));
  });
});
