import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { createAppContext } from "../../src/context.js";

const PAGED = "onu/get_all_onus_details?paged";

interface LabChild {
  control: string;
  env: Record<string, string>;
  counts: Record<string, number>;
}

async function smartoltCalls(lab: LabChild): Promise<Record<string, number>> {
  return ((await (await fetch(`${lab.control}/counters`)).json()) as { smartolt: Record<string, number> }).smartolt;
}

test("the 100,000-subscriber ISP syncs within SmartOLT's budget (read from the lab's counters)", async () => {
  // The lab runs in its own process (as in the benchmark); its account allows 2,000 calls an hour and 100/s.
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lab-child.ts", "--subscribers", "100000", "--smartolt-hourly", "2000", "--smartolt-rps", "100"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const dir = mkdtempSync(join(tmpdir(), "beholder-budget-"));
  try {
    const lab = JSON.parse(
      await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`lab exited with ${code}`)));
      }),
    ) as LabChild;
    const run = async (budget: number): Promise<{ outcome: string; error: string | undefined; onus: number }> => {
      const config = loadConfig({
        ...lab.env,
        DB_PATH: join(dir, `budget-${budget}.db`),
        SYNC_SCHEDULE: "off",
        SMARTOLT_HOURLY_BUDGET: String(budget),
        SMARTOLT_CALLS_PER_SECOND: "100",
      });
      const app = await createAppContext(config, { logger: pino({ level: "silent" }) });
      try {
        const record = await app.sync.runner.start("inventory", ["smartolt"]).handle.done;
        const smartolt = record.sources.find((s) => s.source === "smartolt");
        const { n } = app.cache.db.reader.prepare("select count(*) as n from onu").get() as { n: number };
        return { outcome: smartolt?.outcome ?? "missing", error: smartolt?.error, onus: n };
      } finally {
        await app.close();
      }
    };

    // With the default 1,000 calls an hour (800 after headroom), 900 pages cannot fit: refused after one.
    const refused = await run(1000);
    assert.equal(refused.outcome, "failed");
    assert.match(refused.error ?? "", /^the ONU inventory needs \d+ more SmartOLT calls but only 799 of this hour's 800 remain/);
    assert.equal(refused.onus, 0);
    assert.equal((await smartoltCalls(lab))[PAGED], 1);

    // With the account's raised budget, the whole inventory comes in, one page per call.
    const synced = await run(2000);
    assert.equal(synced.outcome, "done", synced.error);
    assert.equal(synced.onus, lab.counts.onus);
    const calls = await smartoltCalls(lab);
    assert.equal(calls[PAGED], 1 + Math.ceil((lab.counts.onus ?? 0) / 100));
    assert.equal(calls["onu/get_all_onus_details"], undefined, "never the unpaged export");
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    assert.ok(total <= 2000 * 0.8, `${total} calls stay under the budget less headroom`);
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
    rmSync(dir, { recursive: true, force: true });
  }
});
