/**
 * Issue 11's recovery: when the faults clear, each breaker closes by its own probe, with no sync, no
 * diagnosis and no other call, and GET /health shows it closed. The lab and Beholder over real sockets.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { generateScenario } from "../../lab/scenario/generate.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";
import { control, counters } from "../helpers/watch.js";

interface Health {
  components: Record<string, { status: string; breakers?: string[]; routers?: { address: string; breaker: string }[] }>;
}

const RESET_MS = 300;
const WAIT_MS = 20_000;

describe("a breaker closed by its own probe shows closed in /health", () => {
  let env: LabAndServer;
  const health = async (): Promise<Health> => (await (await fetch(`${env.srv.url}/health`)).json()) as Health;
  const sync = async (job: "inventory" | "status", only?: ("ispcube" | "smartolt" | "routeros")[]): Promise<string> =>
    (await (await env.srv.app.sync.runner.start(job, only)).handle.done).outcome;
  /** /health is read from outside, so it is read until it says so (every 50 ms, bounded). */
  const untilHealth = async (what: string, ok: (h: Health) => boolean): Promise<Health> => {
    const end = performance.now() + WAIT_MS;
    for (;;) {
      const h = await health();
      if (ok(h)) return h;
      if (performance.now() > end) assert.fail(`/health never showed ${what}: ${JSON.stringify(h.components)}`);
      await sleep(50);
    }
  };

  before(async () => {
    env = await startLabAndServer(generateScenario({ subscribers: 300, seed: 11 }), { BREAKER_VOLUME: "2", BREAKER_RESET_MS: String(RESET_MS) });
    assert.equal(await sync("inventory"), "done");
  });
  after(() => env.close());

  test("a router's breaker: open while it fails, closed by the probe once it answers, with no call to its secrets", async () => {
    const bad = env.lab.routers[0];
    assert.ok(bad);
    const address = `${bad.host}:${bad.port}`;
    for (const command of ["/ppp/secret/print", "/system/identity/print"]) {
      await control(env.lab.control.url, "/faults", { sim: "routeros", router: bad.name, command, fault: { errorRate: 1 } });
    }
    await sync("inventory", ["routeros"]);
    const down = await untilHealth("the router's breaker open", (h) => h.components.routeros?.routers?.find((r) => r.address === address)?.breaker !== "closed");
    assert.ok(down.components.routeros?.breakers?.some((b) => b.startsWith(`routeros:${address} `)));

    const secretsKey = `${bad.name} /ppp/secret/print`;
    const probeKey = `${bad.name} /system/identity/print`;
    const before = (await counters(env.lab.control.url)).routeros ?? {};
    await control(env.lab.control.url, "/faults", {}, "DELETE");
    const up = await untilHealth("the router's breaker closed", (h) => h.components.routeros?.routers?.find((r) => r.address === address)?.breaker === "closed");
    assert.equal(up.components.routeros?.breakers, undefined, "no breaker listed as open or half-open");
    const after = (await counters(env.lab.control.url)).routeros ?? {};
    assert.equal(after[secretsKey] ?? 0, before[secretsKey] ?? 0, "closed without any call to the router's secrets");
    assert.ok((after[probeKey] ?? 0) > (before[probeKey] ?? 0), "the probe reached the router");
  });

  test("SmartOLT's and ISPCube's breakers close by their probes after an outage, with no sync", async () => {
    await control(env.lab.control.url, "/faults", { sim: "smartolt", endpoint: "*", fault: { errorRate: 1, status: 500 } });
    await control(env.lab.control.url, "/faults", { sim: "ispcube", endpoint: "*", fault: { errorRate: 1, status: 502 } });
    const bothOpen = (h: Health): boolean => ["smartolt", "ispcube"].every((v) => (h.components[v]?.breakers ?? []).length > 0);
    // The breakers' window still holds the good calls of the first sync: fail until the share tips.
    for (let i = 0; i < 10 && !bothOpen(await health()); i++) await sync("inventory", ["smartolt", "ispcube"]);
    await untilHealth("both breakers open", bothOpen);

    const before = await counters(env.lab.control.url);
    await control(env.lab.control.url, "/faults", {}, "DELETE");
    await untilHealth("both breakers closed", (h) => ["smartolt", "ispcube"].every((v) => h.components[v]?.breakers === undefined));
    const after = await counters(env.lab.control.url);
    const others = (c: Record<string, number> | undefined, probe: string): number =>
      Object.entries(c ?? {}).reduce((n, [k, v]) => (k === probe ? n : n + v), 0);
    assert.equal(others(after.smartolt, "system/get_zones"), others(before.smartolt, "system/get_zones"), "SmartOLT: only probes");
    assert.equal(others(after.ispcube, "connections/count"), others(before.ispcube, "connections/count"), "ISPCube: only probes");
    assert.ok((after.smartolt?.["system/get_zones"] ?? 0) > (before.smartolt?.["system/get_zones"] ?? 0));
    assert.ok((after.ispcube?.["connections/count"] ?? 0) > (before.ispcube?.["connections/count"] ?? 0));
  });
});
