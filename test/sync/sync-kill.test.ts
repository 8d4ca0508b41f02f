import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { createAppContext } from "../../src/context.js";
import { beholderEnvForLab } from "../../lab/beholder-env.js";
import { startLab } from "../../lab/lab.js";
import { generateScenario } from "../../lab/scenario/generate.js";

const SNAPSHOT_SQL: Record<string, string> = {
  customer: "select id, name from customer order by id",
  onu: "select external_id, name from onu order by external_id",
  ppp_secret: "select router_node_id, name from ppp_secret order by 1, 2",
};

function snapshot(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    return Object.fromEntries(Object.entries(SNAPSHOT_SQL).map(([t, sql]) => [t, db.prepare(sql).all()]));
  } finally {
    db.close();
  }
}

test("kill -9 during `npm run sync` leaves a consistent, complete previous snapshot", async () => {
  const lab = await startLab({ scenario: generateScenario({ subscribers: 1500, seed: 9 }) });
  const dir = mkdtempSync(join(tmpdir(), "beholder-kill-"));
  const dbPath = join(dir, "kill.db");
  const env = { ...process.env, ...beholderEnvForLab(lab), DB_PATH: dbPath, LOG_LEVEL: "warn" };
  try {
    // A first complete sync, through the CLI.
    const first = spawn(process.execPath, ["--import", "tsx", "src/cli/sync.ts", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
    const [firstCode] = await once(first, "exit");
    assert.equal(firstCode, 0);
    const before = snapshot(dbPath);
    assert.ok((before.onu?.length ?? 0) > 1000 && (before.customer?.length ?? 0) > 1000 && (before.ppp_secret?.length ?? 0) > 1000);

    // Change every name upstream, slow SmartOLT down, and kill the second sync while it pages.
    const world = lab.scenario;
    for (const c of world.ispcube.customers) c.name = `${c.name} NUEVO`;
    for (const o of world.smartolt.onus) o.name = `${o.name} nuevo`;
    world.faults = { smartolt: { "onu/get_all_onus_details?paged": { latencyMs: 150 } } };
    const second = spawn(process.execPath, ["--import", "tsx", "src/cli/sync.ts", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: second.stdout }).on("line", (line) => {
        const e = JSON.parse(line) as { source?: string; phase?: string; done?: number };
        if (e.source === "smartolt" && e.phase === "fetching" && (e.done ?? 0) >= 300) resolve();
      });
      second.once("exit", () => reject(new Error("the sync ended before it could be killed")));
    });
    second.kill("SIGKILL");
    await once(second, "exit");
    world.faults = {};

    // Each source is entirely the old snapshot or entirely the new one; SmartOLT cannot have finished.
    const after = snapshot(dbPath);
    assert.deepEqual(after.onu, before.onu);
    for (const table of ["customer", "ppp_secret"]) {
      const rows = after[table] ?? [];
      assert.equal(rows.length, before[table]?.length, table);
    }
    const names = (after.customer as { name: string }[]).map((c) => c.name.endsWith(" NUEVO"));
    assert.ok(names.every((n) => n === names[0]), "customers are all old or all new, never a mix");

    // The next process marks the killed run failed, and a new run completes.
    const app = await createAppContext(loadConfig({ ...beholderEnvForLab(lab), DB_PATH: dbPath, SYNC_SCHEDULE: "off" }), {
      logger: pino({ level: "silent" }),
    });
    try {
      assert.equal(app.sync.runner.lastRun("inventory")?.outcome, "failed");
      const third = await app.sync.runner.start("inventory").handle.done;
      assert.equal(third.outcome, "done");
    } finally {
      await app.close();
    }
    const final = snapshot(dbPath);
    assert.ok((final.onu as { name: string }[]).every((o) => o.name.endsWith(" nuevo")));
  } finally {
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
