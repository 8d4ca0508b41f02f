import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("lab CLI", () => {
  it("--json prints one JSON object once everything listens, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "lab/cli.ts", "--scenario", "scenarios/healthy.json", "--json"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, "exit");
    // Only a guard against a child left running if the test hangs: generous, never a speed check.
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes("\n")) resolve();
        });
        child.once("exit", () => reject(new Error(`cli exited early: ${stderr}`)));
      });
      const info = JSON.parse(stdout.split("\n")[0] ?? "");
      assert.equal(info.scenario, "healthy");
      assert.match(info.smartolt.url, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
      assert.equal(info.smartolt.token, "lab-smartolt-token");
      assert.deepEqual(Object.keys(info.ispcube).sort(), ["apiKey", "clientId", "password", "url", "username"]);
      assert.deepEqual(info.routers.map((r: { name: string }) => r.name), ["rb-centro", "rb-sur"]);
      for (const r of info.routers) assert.ok(r.port > 0 && r.user && r.password && r.version);
      const health = await fetch(`${info.control.url}/health`);
      assert.equal(((await health.json()) as { scenario: string }).scenario, "healthy");
    } finally {
      child.kill("SIGTERM");
      const [code] = await exited;
      clearTimeout(timer);
      assert.equal(code, 0, stderr);
    }
    assert.equal(stdout.trimEnd().split("\n").length, 1, "nothing but the JSON line on stdout");
  });

  it("exits non-zero with the problems of an invalid scenario", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "lab/cli.ts", "--scenario", "package.json", "--json"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(child, "exit");
    assert.equal(code, 1);
    assert.match(stderr, /invalid scenario package\.json: \d+ problems/);
  });
});
