/**
 * `npm run bench -- kill`: `npm run sync` killed with SIGKILL at a random point of an inventory run,
 * N times over one cache. After each kill: SQLite's and FTS5's integrity checks, every source holds
 * one whole snapshot (the previous or the new, never a mix), the killed run is recorded as failed by
 * the next process, and the sources it did commit carry its time in their freshness.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { pino } from "pino";
import { beholderEnvForLab } from "../lab/beholder-env.js";
import { startLab } from "../lab/lab.js";
import { generateScenario } from "../lab/scenario/generate.js";
import { loadConfig } from "../src/config.js";
import { createAppContext } from "../src/context.js";

export interface KillOptions {
  subscribers: number;
  rounds: number;
}

export interface KillRound {
  round: number;
  killAfterMs: number;
  /** Which generation each source holds after the kill (the round's own = committed). */
  committed: string[];
  problems: string[];
}

export interface KillResult {
  options: KillOptions;
  fullSyncMs: number;
  rounds: KillRound[];
}

interface Check {
  integrity: string;
  fts: string;
  customers: Set<string>;
  onus: Set<string>;
  secrets: number;
  state: Map<string, number>;
}

function inspect(path: string): Check {
  const db = new Database(path);
  try {
    const integrity = String(db.pragma("integrity_check", { simple: true }));
    let fts = "ok";
    try {
      db.prepare("insert into subscriber_fts(subscriber_fts) values ('integrity-check')").run();
    } catch (err) {
      fts = err instanceof Error ? err.message : String(err);
    }
    const gen = (name: string): string => /·g(\d+)$/.exec(name)?.[1] ?? "0";
    const customers = new Set((db.prepare("select name from customer").all() as { name: string }[]).map((r) => gen(r.name)));
    const onus = new Set((db.prepare("select name from onu").all() as { name: string }[]).map((r) => gen(r.name)));
    const secrets = (db.prepare("select count(*) as n from ppp_secret").get() as { n: number }).n;
    const state = new Map(
      (db.prepare("select source, last_success_at as at from source_state").all() as { source: string; at: number | string | null }[]).map((r) => [
        r.source,
        r.at === null ? 0 : typeof r.at === "number" ? r.at : Date.parse(r.at),
      ]),
    );
    return { integrity, fts, customers, onus, secrets, state };
  } finally {
    db.close();
  }
}

export async function benchKill(o: KillOptions, log: (s: string) => void): Promise<KillResult> {
  const scenario = generateScenario({ subscribers: o.subscribers, seed: 21 });
  const lab = await startLab({ scenario });
  const dir = mkdtempSync(join(tmpdir(), "beholder-killbench-"));
  const dbPath = join(dir, "kill.db");
  const env = { ...process.env, ...beholderEnvForLab(lab), DB_PATH: dbPath, LOG_LEVEL: "warn" };
  const world = lab.scenario;
  const customerNames = world.ispcube.customers.map((c) => c.name);
  const onuNames = world.smartolt.onus.map((n) => n.name);
  const rename = (g: number): void => {
    world.ispcube.customers.forEach((c, i) => (c.name = `${customerNames[i]}·g${g}`));
    world.smartolt.onus.forEach((n, i) => (n.name = `${onuNames[i]}·g${g}`));
  };
  const runSync = () => spawn(process.execPath, ["--import", "tsx", "src/cli/sync.ts", "--json"], { env, stdio: ["ignore", "ignore", "ignore"] });
  try {
    const started = performance.now();
    const [code] = (await once(runSync(), "exit")) as [number];
    if (code !== 0) throw new Error(`the first sync failed (${code})`);
    const fullSyncMs = performance.now() - started;
    const base = inspect(dbPath);
    log(`kill: full sync of ${o.subscribers} subscribers through the CLI ${Math.round(fullSyncMs)} ms; ${o.rounds} rounds...\n`);
    const rounds: KillRound[] = [];
    let held = { customers: "0", onus: "0" };
    for (let round = 1; round <= o.rounds; round++) {
      rename(round);
      const killAfterMs = Math.round(200 + Math.random() * fullSyncMs);
      const roundStart = Date.now();
      const proc = runSync();
      const exited = once(proc, "exit");
      const timer = setTimeout(() => proc.kill("SIGKILL"), killAfterMs);
      await exited;
      clearTimeout(timer);
      const after = inspect(dbPath);
      const problems: string[] = [];
      if (after.integrity !== "ok") problems.push(`integrity_check: ${after.integrity}`);
      if (after.fts !== "ok") problems.push(`fts5 integrity-check: ${after.fts}`);
      if (after.customers.size !== 1) problems.push(`customers mix generations ${[...after.customers].join(",")}`);
      if (after.onus.size !== 1) problems.push(`onus mix generations ${[...after.onus].join(",")}`);
      if (after.secrets !== base.secrets) problems.push(`ppp_secret has ${after.secrets} rows, not ${base.secrets}`);
      const now = { customers: [...after.customers][0] ?? "?", onus: [...after.onus][0] ?? "?" };
      for (const [what, source] of [["customers", "ispcube"], ["onus", "smartolt"]] as const) {
        if (now[what] !== String(round) && now[what] !== held[what]) problems.push(`${what} hold generation ${now[what]}, neither the previous (${held[what]}) nor the new (${round})`);
        const committed = now[what] === String(round);
        const stamped = (after.state.get(source) ?? 0) >= roundStart;
        if (committed !== stamped) problems.push(`${source}: data ${committed ? "new" : "old"} but its freshness ${stamped ? "was" : "was not"} stamped by this run`);
      }
      // The next process finds the killed run and records it as failed (unless it finished first).
      const app = await createAppContext(loadConfig({ ...beholderEnvForLab(lab), DB_PATH: dbPath, SYNC_SCHEDULE: "off" }), { logger: pino({ level: "silent" }) });
      try {
        const last = await app.sync.runner.lastRun("inventory");
        if (last?.outcome === "running") problems.push("the killed run is still recorded as running");
      } finally {
        await app.close();
      }
      rounds.push({ round, killAfterMs, committed: [now.customers === String(round) ? "ispcube" : "", now.onus === String(round) ? "smartolt" : ""].filter(Boolean), problems });
      held = now;
      log(`kill: round ${round} killed after ${killAfterMs} ms; committed ${rounds.at(-1)?.committed.join(", ") || "nothing"}; ${problems.length === 0 ? "ok" : problems.join("; ")}\n`);
    }
    return { options: o, fullSyncMs, rounds };
  } finally {
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function killTable(r: KillResult): string {
  const bad = r.rounds.filter((x) => x.problems.length > 0);
  const committed = (s: string): number => r.rounds.filter((x) => x.committed.includes(s)).length;
  return [
    `${r.options.rounds} rounds over one cache of ${r.options.subscribers} subscribers; a full inventory through \`npm run sync\` took ${(r.fullSyncMs / 1000).toFixed(1)} s (process start included); each round renames every customer and ONU upstream, starts the sync and sends SIGKILL after a uniform random 0.2 s – full-sync time.`,
    "",
    `- rounds with any problem: **${bad.length} of ${r.rounds.length}**${bad.length ? ` (${bad.map((x) => `#${x.round}: ${x.problems.join("; ")}`).join(" | ")})` : ""}`,
    `- checks each round: \`pragma integrity_check\`, FTS5 \`integrity-check\`, customers and ONUs each wholly one generation (previous or new), secret count unchanged, a source's freshness stamped by the run iff its new data is in, the killed run never left \`running\` after the next open`,
    `- kill points (ms): ${r.rounds.map((x) => x.killAfterMs).join(", ")}`,
    `- the killed run had committed: ISPCube in ${committed("ispcube")} rounds, SmartOLT in ${committed("smartolt")}, neither in ${r.rounds.filter((x) => x.committed.length === 0).length}`,
  ].join("\n");
}
