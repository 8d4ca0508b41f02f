/** node-routeros 1.6.9, the production client, against the simulator. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { RouterOSAPI } from "node-routeros";
import { legacyLoginResponse } from "../../lab/routeros/codec.js";
import { API_PASSWORD, API_USER, makeRouter, ROUTER, startHarness, type Harness } from "./routeros-fixture.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.closeAll();
  h = undefined;
});

async function connected(router = makeRouter()): Promise<{ h: Harness; api: RouterOSAPI }> {
  h = await startHarness(router);
  const api = h.api();
  await api.connect();
  return { h, api };
}

/**
 * Rejects when `p` has not settled within `ms`; node-routeros never rejects on a dropped link (§2.6).
 * Generous on purpose: a guard against hangs, not a speed check.
 */
function within<T>(p: Promise<T>, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

describe("routeros sim with node-routeros: login (§1.6)", () => {
  it("logs in with the post-6.43 method", async () => {
    const { h, api } = await connected();
    assert.equal(api.connected, true);
    const login = h.sim.received[0] ?? [];
    assert.deepEqual(login.slice(0, 3), ["/login", `=name=${API_USER}`, `=password=${API_PASSWORD}`]);
    assert.match(login[3] ?? "", /^\.tag=.+/);
    assert.equal(h.ctx.counters.get("routeros", `${ROUTER} /login`), 1);
  });

  it("falls back to the legacy challenge when the router answers with =ret=", async () => {
    const { h, api } = await connected({ ...makeRouter("6.49"), legacyLogin: true });
    assert.equal(api.connected, true);
    assert.equal(h.sim.received.length, 2);
    const [, second] = h.sim.received;
    const response = second?.find((w) => w.startsWith("=response="))?.slice(10) ?? "";
    assert.match(response, /^00[0-9a-f]{32}$/);
    assert.ok(second?.includes(`=name=${API_USER}`));
  });

  it("the legacy response is the MD5 of the challenge the router sent", async () => {
    h = await startHarness({ ...makeRouter("6.49"), legacyLogin: true });
    const raw = await h.raw();
    raw.send(["/login", ".tag=a"]);
    const [word, ret] = await raw.next();
    assert.equal(word, "!done");
    const challenge = ret?.slice(5) ?? "";
    assert.match(challenge, /^[0-9a-f]{32}$/);
    raw.send(["/login", `=name=${API_USER}`, `=response=${legacyLoginResponse(API_PASSWORD, challenge)}`, ".tag=b"]);
    assert.deepEqual(await raw.next(), ["!done", ".tag=b"]);
  });

  for (const legacyLogin of [false, true]) {
    it(`rejects a wrong password with CANTLOGIN (${legacyLogin ? "legacy" : "6.43+"})`, async () => {
      h = await startHarness({ ...makeRouter(), legacyLogin });
      const api = h.api({ password: "wrong" });
      await assert.rejects(within(api.connect()), (err: { errno?: unknown }) => err.errno === "CANTLOGIN");
    });
  }

  it("the 6.43+ failure is a trap with the router's text, then !done", async () => {
    h = await startHarness();
    const raw = await h.raw();
    raw.send(["/login", `=name=${API_USER}`, "=password=nope", ".tag=x"]);
    assert.deepEqual(await raw.collect(), [
      ["!trap", "=message=invalid user name or password (6)", ".tag=x"],
      ["!done", ".tag=x"],
    ]);
  });
});

describe("routeros sim with node-routeros: print", () => {
  it("filters with ?name= and trims with .proplist", async () => {
    const { h, api } = await connected();
    const rows = await api.write("/ppp/secret/print", ["?name=bob", "=.proplist=.id,name,profile,last-logged-out,last-caller-id"]);
    assert.deepEqual(rows, [
      { ".id": "*2", name: "bob", profile: "50M", "last-logged-out": "2025-06-10 09:30:15", "last-caller-id": "AA:BB:CC:00:11:22" },
    ]);
    assert.ok(h.sim.received.some((s) => s[0] === "/ppp/secret/print" && s.includes("=.proplist=.id,name,profile,last-logged-out,last-caller-id")));
    assert.ok(!JSON.stringify(rows).includes("pw-bob"));
  });

  it("returns the password when .proplist does not exclude it, as real routers do (§3.2)", async () => {
    const { api } = await connected();
    const rows = (await api.write("/ppp/secret/print", ["?name=alice"])) as Array<Record<string, string>>;
    assert.equal(rows[0]?.password, "pw-alice");
  });

  it("=count-only= resolves as the !done attribute", async () => {
    const { api } = await connected();
    assert.deepEqual(await api.write("/ppp/secret/print", ["=count-only="]), [{ ret: "3" }]);
    assert.deepEqual(await api.write("/ppp/secret/print", ["=count-only=", "?disabled=true"]), [{ ret: "1" }]);
  });

  it("counts each command per router", async () => {
    const { h, api } = await connected();
    await api.write("/ppp/active/print");
    await api.write("/ppp/active/print", ["?name=alice"]);
    assert.equal(h.ctx.counters.get("routeros", `${ROUTER} /ppp/active/print`), 2);
  });

  it("reassembles replies split into 5-byte writes", async () => {
    h = await startHarness();
    h.ctx.scenario.faults = { routeros: { [ROUTER]: { "*": { splitWritesAt: 5 } } } };
    // A 1 s timeout makes node-routeros' hold ping flush a reply whose final \0 came alone (§2.6 item 4).
    const api = h.api({ timeout: 1 });
    await within(api.connect());
    const split = await within(api.write("/ppp/secret/print"));
    h.ctx.scenario.faults = undefined;
    const whole = await within(api.write("/ppp/secret/print"));
    assert.equal(split.length, 3);
    assert.deepEqual(split, whole);
  });

  it("holds a reply whose final \\0 arrives alone until its next hold ping (§2.6 item 4)", async () => {
    h = await startHarness();
    const api = h.api({ timeout: 1 });
    await within(api.connect());
    // One-byte writes always leave the terminating zero-length word in a chunk of its own.
    h.ctx.scenario.faults = { routeros: { [ROUTER]: { "/system/identity/print": { splitWritesAt: 1 } } } };
    const t0 = Date.now();
    assert.deepEqual(await within(api.write("/system/identity/print")), [{ name: "CORE-LP-1" }]);
    assert.ok(Date.now() - t0 >= 400, `resolved after ${Date.now() - t0} ms`);
    assert.ok(h.sim.received.some((s) => s[0] === "#"), "resolved by the # hold ping's reply");
  });

  it("stops the hold ping with its command even when a # answer lands late (patches.ts item 6)", async () => {
    h = await startHarness();
    const api = h.api({ timeout: 1 });
    await within(api.connect());
    // The first command's hold ping (at 0.5 s) is answered after that command is done and the next
    // one has started its own hold: upstream then keeps two ping chains and loses track of one.
    h.ctx.scenario.faults = {
      routeros: { [ROUTER]: { "/system/identity/print": { latencyMs: 1000 }, "/ppp/active/print": { latencyMs: 1000 }, "#": { latencyMs: 600 } } },
    };
    await within(api.write("/system/identity/print"));
    await within(api.write("/ppp/active/print"));
    const pings = (): number => h?.sim.received.filter((s) => s[0] === "#").length ?? 0;
    assert.ok(pings() > 0, "the commands were held by pings");
    // Lets the pings sent while the commands were pending reach the simulator.
    await new Promise((r) => setTimeout(r, 1500));
    const idle = pings();
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(pings(), idle, "no hold ping on an idle link");
  });

  it("getall is an alias of print", async () => {
    const { api } = await connected();
    assert.deepEqual(await api.write("/system/identity/getall"), [{ name: "CORE-LP-1" }]);
  });
});

describe("routeros sim with node-routeros: errors", () => {
  it("rejects on an unknown command with the router's message", async () => {
    const { api } = await connected();
    await assert.rejects(api.write("somethingthatdoesntexist"), { message: "no such command prefix" });
  });

  it("rejects on a misspelled path, naming the bad segment", async () => {
    const { api } = await connected();
    await assert.rejects(api.write("/ppp/actve/print"), { message: "no such command or directory (actve)" });
  });

  it("rejects monitor-traffic on a missing interface", async () => {
    const { api } = await connected();
    await assert.rejects(api.write("/interface/monitor-traffic", ["=interface=<pppoe-bob>", "=once="]), {
      message: "input does not match any value of interface",
    });
  });

  it("keeps working after a trap", async () => {
    const { api } = await connected();
    await assert.rejects(api.write("/nope/print"));
    assert.equal((await api.write("/system/identity/print"))[0]?.name, "CORE-LP-1");
  });
});

describe("routeros sim with node-routeros: streams", () => {
  it("streams monitor-traffic until stop() cancels it", async () => {
    const { h, api } = await connected();
    const packets: Array<Record<string, string>> = [];
    let notify: () => void = () => {};
    const three = new Promise<void>((resolve) => (notify = resolve));
    const stream = api.stream(["/interface/monitor-traffic", "=interface=<pppoe-alice>", "=interval=50ms"], (err: Error | null, packet: Record<string, string>) => {
      if (!err && packet?.name) packets.push(packet);
      if (packets.length === 3) notify();
    });
    await within(three);
    await within(stream.stop());
    const seen = packets.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(packets.length, seen, "no rows after cancel");
    assert.equal(packets[0]?.["rx-bits-per-second"], "1000000");
    assert.equal(packets[0]?.["tx-bits-per-second"], "8000000");
    const tag = h.sim.received.find((s) => s[0] === "/interface/monitor-traffic")?.find((w) => w.startsWith(".tag="))?.slice(5);
    assert.ok(h.sim.received.some((s) => s[0] === "/cancel" && s.includes(`=tag=${tag}`)));
  });

  it("monitor-traffic =once= resolves with one row", async () => {
    const { api } = await connected();
    const rows = (await api.write("/interface/monitor-traffic", ["=interface=<pppoe-alice>", "=once="])) as Array<Record<string, string>>;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.name, "<pppoe-alice>");
  });

  it("ping with =count= resolves with count rows, totals on the last", async () => {
    const { api } = await connected();
    const rows = (await api.write("/ping", ["=address=10.20.0.10", "=count=3", "=interval=20ms"])) as Array<Record<string, string>>;
    assert.deepEqual(rows.map((r) => r.time), ["9ms500us", "9ms917us", "10ms334us"]);
    assert.deepEqual([rows[2]?.sent, rows[2]?.received, rows[2]?.["packet-loss"]], ["3", "3", "0"]);
    const lost = (await api.write("/tool/ping", ["=address=10.99.99.99", "=count=2", "=interval=20ms"])) as Array<Record<string, string>>;
    assert.deepEqual(lost.map((r) => r.status), ["timeout", "timeout"]);
    assert.equal(lost[1]?.["packet-loss"], "100");
  });
});
