import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, it } from "node:test";
import { createLabClock } from "../../lab/clock.js";
import { startLab } from "../../lab/lab.js";
import { demoScenario } from "../../lab/scenario/demo.js";
import { loadScenario } from "../../lab/scenario/load.js";

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("startLab", () => {
  it("serves a copy of the scenario, on the scenario's clock, and closes every listener", async () => {
    const scenario = await loadScenario(new URL("../../scenarios/healthy.json", import.meta.url).pathname);
    const wallBefore = Date.now();
    const lab = await startLab({ scenario });
    try {
      assert.notEqual(lab.scenario, scenario);
      assert.equal(scenario.ispcube.nodes[0]?.ip, "10.255.1.1", "the caller's scenario is not rewritten");
      assert.equal(lab.scenario.ispcube.nodes[0]?.ip, "127.0.0.1");
      // The lab's clock starts at the scenario's now and runs from there, in real time.
      const ran = lab.clock.now().getTime() - Date.parse(scenario.now);
      assert.ok(ran >= -1000 && ran <= Date.now() - wallBefore + 1000, `the lab clock is ${ran} ms past the scenario's now`);
      assert.equal(lab.routers.length, 2);
      assert.deepEqual(lab.ispcube.apiKey, scenario.ispcube.apiKey);
      const res = await fetch(`${lab.ispcube.url}/api/sanctum/token`, {
        method: "POST",
        headers: { "content-type": "application/json", "api-key": lab.ispcube.apiKey, "client-id": lab.ispcube.clientId, "login-type": "api" },
        body: JSON.stringify({ username: lab.ispcube.username, password: lab.ispcube.password }),
      });
      assert.equal(res.status, 200);
    } finally {
      await lab.close();
    }
    for (const r of lab.routers) assert.ok(await refused(r.host, r.port), `${r.name} still listens`);
    await assert.rejects(fetch(`${lab.control.url}/health`));
  });

  it("starts the demo ISP with a caller's clock", async () => {
    const clock = createLabClock(new Date("2030-01-01T00:00:00Z"));
    const lab = await startLab({ scenario: demoScenario(), clock });
    try {
      assert.equal(lab.clock, clock);
      assert.ok(lab.routers.length >= 5);
      const health = (await (await fetch(`${lab.control.url}/health`)).json()) as { scenario: string; now: string };
      assert.equal(health.scenario, "demo");
      assert.match(health.now, /^2030-01-01T/);
    } finally {
      await lab.close();
    }
  });

  it("refuses to put the control API off loopback", async () => {
    const { startControlApi } = await import("../../lab/control.js");
    await assert.rejects(
      startControlApi({} as never, { host: "0.0.0.0" }),
      /the control API binds to loopback only, not 0\.0\.0\.0/,
    );
  });
});
