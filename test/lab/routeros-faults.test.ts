/** Fault injection (shared/vendors/routeros.md §5.8), read live from ctx.scenario.faults. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { RouterFault } from "../../lab/scenario/types.js";
import { ROUTER, startHarness, type Harness } from "./routeros-fixture.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.closeAll();
  h = undefined;
});

function setFault(harness: Harness, command: string, fault: RouterFault): void {
  harness.ctx.scenario.faults = { routeros: { [ROUTER]: { [command]: fault } } };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("routeros sim faults", () => {
  it("latencyMs delays only the faulted command", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    setFault(h, "/ppp/active/print", { latencyMs: 150 });
    const t0 = Date.now();
    c.send(["/ppp/active/print", ".tag=slow"]);
    c.send(["/system/identity/print", ".tag=fast"]);
    const first = await c.collect();
    assert.equal(first.at(-1)?.at(-1), ".tag=fast");
    await c.collect();
    assert.ok(Date.now() - t0 >= 140, `answered after ${Date.now() - t0} ms`);
  });

  it("silent never answers, but counts and records the command", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    setFault(h, "/ppp/active/print", { silent: true });
    c.send(["/ppp/active/print", ".tag=s"]);
    await assert.rejects(c.next(200), /no sentence within/);
    assert.equal(h.ctx.counters.get("routeros", `${ROUTER} /ppp/active/print`), 1);
    assert.deepEqual(h.sim.received.at(-1), ["/ppp/active/print", ".tag=s"]);
    c.send(["/system/identity/print", ".tag=ok"]);
    assert.equal((await c.collect()).length, 2);
  });

  it("errorRate 1 answers a trap then !done", async () => {
    h = await startHarness();
    const api = h.api();
    await api.connect();
    setFault(h, "/ppp/secret/print", { errorRate: 1 });
    await assert.rejects(api.write("/ppp/secret/print"), /action timed out/);
    assert.equal((await api.write("/ppp/active/print")).length, 1);
  });

  it("fatal sends an untagged !fatal and closes; node-routeros emits close", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    setFault(h, "/ppp/active/print", { fatal: true });
    c.send(["/ppp/active/print", ".tag=f"]);
    const [word, reason] = await c.next();
    assert.equal(word, "!fatal");
    assert.ok(reason && !reason.startsWith("="), "the reason is a bare word");
    await c.closed;

    const api = h.api();
    await api.connect();
    const closed = new Promise<void>((resolve) => api.once("close", () => resolve()));
    void api.write("/ppp/active/print").catch(() => {});
    await closed;
  });

  it("dropMidCommand writes part of the reply and drops the connection", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    setFault(h, "/ppp/secret/print", { dropMidCommand: true });
    const before = c.chunkSizes.reduce((a, b) => a + b, 0);
    c.send(["/ppp/secret/print", ".tag=d"]);
    await c.closed;
    assert.ok(c.chunkSizes.reduce((a, b) => a + b, 0) > before, "some bytes arrived");
    const got: string[] = [];
    await assert.rejects(async () => {
      for (;;) got.push((await c.next(50))[0] ?? "");
    }, /connection closed/);
    assert.ok(!got.includes("!done"), `the reply was cut short, got ${got.join(",")}`);
  });

  it("unknownReplyWord puts a reply word the client does not know before the real reply", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    setFault(h, "/system/identity/print", { unknownReplyWord: true });
    c.send(["/system/identity/print", ".tag=u"]);
    assert.deepEqual(await c.collect(), [["!weird", ".tag=u"], ["!re", "=name=CORE-LP-1", ".tag=u"], ["!done", ".tag=u"]]);
  });

  it("untagged drops .tag from every reply", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    setFault(h, "/system/identity/print", { untagged: true });
    c.send(["/system/identity/print", ".tag=u"]);
    assert.deepEqual(await c.collect(), [["!re", "=name=CORE-LP-1"], ["!done"]]);
  });

  it("refuse resets new connections; node-routeros' connect rejects", async () => {
    h = await startHarness();
    setFault(h, "*", { refuse: true });
    const api = h.api();
    await assert.rejects(api.connect(), (err: { errno?: unknown }) => typeof err.errno === "number");
    h.ctx.scenario.faults = undefined;
    await h.rawLoggedIn();
  });

  it("idleCloseMs closes a connection that sends nothing for that long", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    setFault(h, "*", { idleCloseMs: 100 });
    c.send(["/system/identity/print"]);
    await c.collect();
    const t0 = Date.now();
    await c.closed;
    assert.ok(Date.now() - t0 >= 80, `closed after ${Date.now() - t0} ms`);
  });

  it("wrongCredentials fails the login of valid credentials", async () => {
    h = await startHarness();
    setFault(h, "/login", { wrongCredentials: true });
    await assert.rejects(h.api().connect(), (err: { errno?: unknown }) => err.errno === "CANTLOGIN");
    h.ctx.scenario.faults = undefined;
    const api = h.api();
    await api.connect();
    assert.equal(api.connected, true);
  });

  it("a fault set while connected applies to the next command", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    c.send(["/system/identity/print", ".tag=1"]);
    assert.equal((await c.collect()).length, 2);
    setFault(h, "*", { silent: true });
    c.send(["/system/identity/print", ".tag=2"]);
    await assert.rejects(c.next(150));
    h.ctx.scenario.faults = undefined;
    await sleep(10);
    c.send(["/system/identity/print", ".tag=3"]);
    assert.deepEqual((await c.collect()).at(-1), ["!done", ".tag=3"]);
  });
});
