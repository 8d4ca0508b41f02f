/** The world as RouterOS renders it, per version profile (shared/vendors/routeros.md §1.9, §3). */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { RouterOSAPI } from "node-routeros";
import type { RouterVersion, RouterWorld } from "../../lab/scenario/types.js";
import { makeRouter, startHarness, type Harness } from "./routeros-fixture.js";

type Rows = Array<Record<string, string>>;
let h: Harness | undefined;
afterEach(async () => {
  await h?.closeAll();
  h = undefined;
});

async function connected(router: RouterWorld): Promise<{ h: Harness; api: RouterOSAPI }> {
  h = await startHarness(router);
  const api = h.api();
  await api.connect();
  return { h, api };
}

describe("routeros sim data", () => {
  const dates: Array<[RouterVersion, string, string]> = [
    ["6.49", "jun/10/2025 09:30:15", "jan/01/1970 00:00:00"],
    ["7.8", "jun/10/2025 09:30:15", "jan/01/1970 00:00:00"],
    ["7.15", "2025-06-10 09:30:15", "1970-01-01 00:00:00"],
    ["7.18", "2025-06-10 09:30:15", "1970-01-01 00:00:00"],
  ];
  for (const [version, loggedOut, never] of dates) {
    it(`${version}: last-logged-out as ${loggedOut}, never as ${never}`, async () => {
      const { api } = await connected(makeRouter(version));
      const rows = (await api.write("/ppp/secret/print", ["=.proplist=name,last-logged-out"])) as Rows;
      assert.deepEqual(
        rows.map((r) => r["last-logged-out"]),
        [never, loggedOut, never],
      );
    });
  }

  it("renders dates in the router's timezone", async () => {
    const { api } = await connected({ ...makeRouter("7.15"), timezone: "America/Argentina/Buenos_Aires" });
    const rows = (await api.write("/ppp/secret/print", ["?name=bob"])) as Rows;
    assert.equal(rows[0]?.["last-logged-out"], "2025-06-10 06:30:15");
  });

  it("/ppp/active: uptime from the lab clock, uppercase MAC, v6 has an empty encoding", async () => {
    const { h, api } = await connected(makeRouter("6.49"));
    const [row] = (await api.write("/ppp/active/print")) as Rows;
    assert.equal(row?.uptime, "1d1h");
    assert.equal(row?.["caller-id"], "D0:D0:4B:36:7C:C1");
    assert.equal(row?.encoding, "");
    assert.match(row?.[".id"] ?? "", /^\*[0-9A-F]+$/);
    h.ctx.clock.advance(6 * 86400_000 + 61_000);
    const [later] = (await api.write("/ppp/active/print", ["=.proplist=uptime"])) as Rows;
    assert.equal(later?.uptime, "1w1h1m1s");
  });

  it("/interface: a dynamic <pppoe-USER> whose counters grow with the lab clock", async () => {
    const { h, api } = await connected(makeRouter("7.15"));
    const read = async (): Promise<Record<string, string>> =>
      ((await api.write("/interface/print", ["?type=pppoe-in", "=.proplist=name,type,dynamic,rx-byte,tx-byte,running"])) as Rows)[0] ?? {};
    const a = await read();
    assert.equal(a.name, "<pppoe-alice>");
    assert.equal(a.dynamic, "true");
    h.ctx.clock.advance(10_000);
    const b = await read();
    const up = Number(b["rx-byte"]) - Number(a["rx-byte"]);
    const down = Number(b["tx-byte"]) - Number(a["tx-byte"]);
    // 1 Mb/s up and 8 Mb/s down for 10 s, plus the few real milliseconds between the reads.
    assert.ok(up >= 1_250_000 && up < 1_300_000, `rx grew ${up}`);
    assert.ok(down >= 10_000_000 && down < 10_400_000, `tx grew ${down}`);
    h.ctx.scenario.routers[0]!.traffic[0]!.downloadBps = 0;
    const c = await read();
    assert.ok(Number(c["tx-byte"]) >= Number(b["tx-byte"]), "counters never go back");
  });

  it("/interface: the session's interface disappears when it disconnects", async () => {
    const { h, api } = await connected(makeRouter("7.15"));
    h.ctx.scenario.routers[0]!.active = [];
    const names = ((await api.write("/interface/print", ["=.proplist=name"])) as Rows).map((r) => r.name);
    assert.deepEqual(names, ["ether1", "ether2"]);
  });

  it("/queue/simple: a dynamic queue from the profile rate-limit, rate capped by it", async () => {
    const router = makeRouter("7.15");
    router.traffic[0]!.downloadBps = 25_000_000;
    const { api } = await connected(router);
    const rows = (await api.write("/queue/simple/print", ["?dynamic=true", "=.proplist=name,target,max-limit,rate,dynamic"])) as Rows;
    assert.deepEqual(rows, [
      { name: "<pppoe-alice>", target: "<pppoe-alice>", "max-limit": "2000000/10000000", rate: "1000000/10000000", dynamic: "true" },
    ]);
  });

  it("/queue/simple: a static queue shows the rate of the first session whose address or interface it targets", async () => {
    const router = makeRouter("7.15");
    // bob is up after alice; the queue on bob's interface and the one on alice's address each find theirs,
    // and a queue whose target names both (alice's address as /32, bob by interface) cannot: one target each.
    router.active.push({ name: "bob", address: "10.20.0.11", callerId: "d0:d0:4b:36:7c:c2", since: "2025-06-09T12:00:00Z", rttMs: 5 });
    router.traffic.push({ name: "bob", downloadBps: 3_000_000, uploadBps: 500_000 });
    router.queues.push({ name: "bob-q", target: "<pppoe-bob>", maxLimit: "5M/5M" }, { name: "alice-q", target: "10.20.0.10/32", maxLimit: "5M/5M" }, { name: "nobody-q", target: "10.20.0.99/32", maxLimit: "5M/5M" });
    const { api } = await connected(router);
    const rows = (await api.write("/queue/simple/print", ["?dynamic=false", "=.proplist=name,rate"])) as Rows;
    assert.deepEqual(rows, [
      { name: "server-lan", rate: "0/0" },
      { name: "bob-q", rate: "500000/3000000" },
      { name: "alice-q", rate: "1000000/8000000" },
      { name: "nobody-q", rate: "0/0" },
    ]);
  });

  it("/ppp/profile includes the built-in default profiles", async () => {
    const { api } = await connected(makeRouter("7.15"));
    const rows = (await api.write("/ppp/profile/print", ["=.proplist=name,rate-limit"])) as Rows;
    assert.deepEqual(rows, [{ name: "default" }, { name: "default-encryption" }, { name: "10M", "rate-limit": "2M/10M" }, { name: "50M", "rate-limit": "10M/50M" }]);
  });

  it("/log/print: today's entries show only the time; ?topics= filters", async () => {
    const { api } = await connected(makeRouter("6.49"));
    const rows = (await api.write("/log/print", ["?topics=pppoe,ppp,info"])) as Rows;
    assert.deepEqual(
      rows.map((r) => [r.time, r.message]),
      [
        ["jun/09/2025 11:00:00", "<pppoe-alice>: authenticated"],
        ["09:30:15", "<pppoe-bob>: disconnected"],
      ],
    );
  });

  it("v6 ping times are whole milliseconds", async () => {
    const { api } = await connected(makeRouter("6.49"));
    const rows = (await api.write("/ping", ["=address=10.20.0.10", "=count=2", "=interval=10ms"])) as Rows;
    assert.deepEqual(rows.map((r) => r.time), ["9ms", "9ms"]);
  });

  it("ping loss follows pingLoss, deterministically", async () => {
    const router = makeRouter("7.15");
    router.active[0]!.pingLoss = 0.5;
    const { api } = await connected(router);
    const rows = (await api.write("/ping", ["=address=10.20.0.10", "=count=4", "=interval=10ms"])) as Rows;
    assert.deepEqual(rows.map((r) => r.status ?? "ok"), ["ok", "timeout", "ok", "timeout"]);
    assert.equal(rows[3]?.["packet-loss"], "50");
  });

  it("/system/identity and /system/resource answer cheaply", async () => {
    const { api } = await connected(makeRouter("6.49"));
    assert.deepEqual(await api.write("/system/identity/print"), [{ name: "CORE-LP-1" }]);
    const [res] = (await api.write("/system/resource/print")) as Rows;
    assert.match(res?.version ?? "", /^6\.49/);
    assert.match(res?.uptime ?? "", /^\d+w/);
  });
});
