/** Exact sentences on the wire, through the raw client built on the lab's codec. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { Channel } from "node-routeros";
import type { Sentence } from "../../lab/routeros/codec.js";
import { makeRouter, ROUTER, startHarness, type Harness } from "./routeros-fixture.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.closeAll();
  h = undefined;
});

const attrs = (s: Sentence | undefined): Record<string, string> =>
  Object.fromEntries((s ?? []).filter((w) => w.startsWith("=")).map((w) => [w.slice(1, w.indexOf("=", 1)), w.slice(w.indexOf("=", 1) + 1)]));

describe("routeros wire: tags, !empty, session control", () => {
  it("echoes .tag as the last word of every reply", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    c.send(["/ppp/secret/print", "?disabled=false", "=.proplist=name", ".tag=T1"]);
    assert.deepEqual(await c.collect(), [
      ["!re", "=name=alice", ".tag=T1"],
      ["!re", "=name=bob", ".tag=T1"],
      ["!done", ".tag=T1"],
    ]);
    c.send(["/nope/print", ".tag=T2"]);
    const trapped = await c.collect();
    assert.ok(trapped.every((s) => s[s.length - 1] === ".tag=T2"));
    c.send(["/system/identity/print"]);
    assert.deepEqual(await c.collect(), [["!re", "=name=CORE-LP-1"], ["!done"]]);
  });

  it("sends !empty then !done for an empty print on 7.18, only !done before", async () => {
    for (const [version, expected] of [
      ["7.18", [["!empty", ".tag=5"], ["!done", ".tag=5"]]],
      ["7.15", [["!done", ".tag=5"]]],
      ["6.49", [["!done", ".tag=5"]]],
    ] as const) {
      h = await startHarness(makeRouter(version));
      const c = await h.rawLoggedIn();
      c.send(["/ppp/active/print", "?name=bob", ".tag=5"]);
      assert.deepEqual(await c.collect(), expected, version);
      c.send(["/ppp/active/print", "=count-only=", "?name=bob", ".tag=6"]);
      assert.deepEqual(await c.collect(), [["!done", "=ret=0", ".tag=6"]], `${version} count-only`);
      await h.closeAll();
      h = undefined;
    }
  });

  it("node-routeros 1.6.9 throws UNKNOWNREPLY on that !empty (§2.6 item 1)", () => {
    // The throw escapes the socket's data handler in real use, so it is shown on the channel itself.
    const channel = new Channel({ stopRead() {} } as never);
    assert.throws(() => (channel as unknown as { processPacket(p: string[]): void }).processPacket(["!empty"]), {
      errno: "UNKNOWNREPLY",
    });
  });

  it("node-routeros with the documented !empty no-op patch resolves []", async () => {
    h = await startHarness(makeRouter("7.18"));
    const proto = Channel.prototype as unknown as { processPacket(p: string[]): void };
    const original = proto.processPacket;
    proto.processPacket = function (p: string[]) {
      if (p[0] === "!empty") return;
      return original.call(this, p);
    };
    try {
      const api = h.api();
      await api.connect();
      assert.deepEqual(await api.write("/ppp/active/print", ["?name=bob"]), []);
      assert.equal((await api.write("/ppp/active/print", ["?name=alice"])).length, 1);
    } finally {
      proto.processPacket = original;
    }
  });

  it("answers commands before login with an untagged !fatal and closes", async () => {
    h = await startHarness();
    const c = await h.raw();
    c.send(["/ppp/active/print", ".tag=1"]);
    assert.deepEqual(await c.next(), ["!fatal", "not logged in"]);
    await c.closed;
  });

  it("/quit gets !fatal session terminated on request and a close", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    c.send(["/quit", ".tag=9"]);
    assert.deepEqual(await c.next(), ["!fatal", "session terminated on request"]);
    await c.closed;
  });

  it("/cancel =tag=X: trap interrupted for X, !done for the cancel, then !done for X (§1.7)", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    c.send(["/ping", "=address=10.20.0.10", "=interval=20ms", ".tag=P"]);
    const first = await c.next();
    assert.equal(first[0], "!re");
    assert.equal(attrs(first).seq, "0");
    await c.next();
    c.send(["/cancel", "=tag=P", ".tag=C"]);
    const rest: Sentence[] = [];
    for (;;) {
      const s = await c.next();
      if (s[0] === "!re") continue;
      rest.push(s);
      if (rest.length === 3) break;
    }
    assert.deepEqual(rest, [
      ["!trap", "=category=2", "=message=interrupted", ".tag=P"],
      ["!done", ".tag=C"],
      ["!done", ".tag=P"],
    ]);
    c.send(["/cancel", "=tag=P", ".tag=C2"]);
    assert.deepEqual(await c.next(), ["!done", ".tag=C2"]);
  });

  it("/cancel without =tag= cancels every running command", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    c.send(["/interface/monitor-traffic", "=interface=<pppoe-alice>", "=interval=1", ".tag=A"]);
    c.send(["/ping", "=address=10.20.0.10", "=interval=1", ".tag=B"]);
    await c.next();
    await c.next();
    c.send(["/cancel", ".tag=C"]);
    const replies = (await c.collect("!done"))
      .concat(await c.collect("!done"))
      .concat(await c.collect("!done"))
      .filter((s) => s[0] !== "!re");
    assert.deepEqual(
      replies.map((s) => s.join(" ")),
      [
        "!trap =category=2 =message=interrupted .tag=A",
        "!trap =category=2 =message=interrupted .tag=B",
        "!done .tag=C",
        "!done .tag=A",
        "!done .tag=B",
      ],
    );
  });

  it("answers node-routeros' # hold ping with a tagged trap and !done", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    c.send(["#", ".tag=h"]);
    assert.deepEqual(await c.collect(), [
      ["!trap", "=message=no such command prefix", ".tag=h"],
      ["!done", ".tag=h"],
    ]);
  });

  it("splitWritesAt delivers the reply in chunks of at most N bytes", async () => {
    h = await startHarness();
    const c = await h.rawLoggedIn();
    h.ctx.scenario.faults = { routeros: { [ROUTER]: { "/ppp/secret/print": { splitWritesAt: 3 } } } };
    const before = c.chunkSizes.length;
    c.send(["/ppp/secret/print", ".tag=s"]);
    const rows = await c.collect();
    assert.equal(rows.length, 4);
    const chunks = c.chunkSizes.slice(before);
    assert.ok(chunks.length > 10, `only ${chunks.length} chunks`);
    assert.ok(chunks.every((n) => n <= 3));
  });
});
