import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { SyncJob, SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { DEMO_DIAGNOSES, DEMO_LOS_TARGET, DEMO_SEARCH, DEMO_SEARCH_FORMS, DEMO_USERS } from "../../lab/demo/demo-text.js";
import { runDemo } from "../../lab/demo/run-demo.js";
import { main as keysMain } from "../../src/cli/keys.js";

interface SearchJson {
  results?: { pppoeUser: string; customerName?: string; onuStatus?: string }[];
}

/** The printed Connect JSON search for `query`, taken apart: what curl would send. */
function printedSearch(lines: string[], query: string): { key: string; body: string; url: string } {
  const body = JSON.stringify({ query });
  const line = lines.find((l) => l.includes(`-d '${body}'`) && l.trimStart().startsWith("curl -s -H"));
  assert.ok(line, `a curl line searching ${body}`);
  const m = /-H 'x-api-key: (\S+)' -H 'content-type: application\/json' -d '([^']+)' (http:\/\/\S+)$/.exec(line);
  assert.ok(m, line);
  return { key: m[1] ?? "", body: m[2] ?? "", url: m[3] ?? "" };
}

async function curlSearch(lines: string[], query: string): Promise<SearchJson> {
  const { key, body, url } = printedSearch(lines, query);
  const res = await fetch(url, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as SearchJson;
}

/** Holds 127.0.0.1:8500 so the demo must fall back; when something else holds it, that does too. */
async function occupyDefaultPort(): Promise<net.Server | undefined> {
  const server = net.createServer();
  try {
    server.listen(8500, "127.0.0.1");
    await once(server, "listening");
    return server;
  } catch {
    return undefined;
  }
}

describe("npm run demo", () => {
  let dir: string;
  let firstKey = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "beholder-demo-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("runDemo: lab, sync, a key and printed commands that work; close() stops it all", async () => {
    const blocker = await occupyDefaultPort();
    const lines: string[] = [];
    const demo = await runDemo({ env: {}, dbPath: join(dir, "demo.db"), out: (l) => lines.push(l), logger: pino({ level: "silent" }) }).finally(
      () => blocker?.close(),
    );
    try {
      assert.ok(lines.some((l) => /^Port 8500 is busy, so Beholder takes \d+ instead/.test(l)), "says it fell back");
      assert.ok(lines.includes(`  ${demo.key}`), "prints the key");
      assert.match(demo.key, /^bh_[0-9a-f]{12}_/);
      firstKey = demo.key;

      // The printed keys command makes a key the running demo accepts (its key cache refreshes in 5 s).
      const keysLine = lines.find((l) => l.includes("npm run keys -- create"));
      const printed = /^ {2}DB_PATH=(\S+) npm run keys -- (create \S+ --scope read)$/.exec(keysLine ?? "");
      assert.ok(printed, `a keys command: ${keysLine}`);
      assert.equal(printed[1], join(dir, "demo.db"));
      let made = "";
      const code = await keysMain([...(printed[2] ?? "").split(" "), "--json"], {
        env: { DB_PATH: printed[1] ?? "" },
        io: { out: (t) => (made += t), err: () => undefined },
      });
      assert.equal(code, 0);
      const agentKey = (JSON.parse(made) as { key: string }).key;
      for (;;) {
        const res = await fetch(`${demo.url}/beholder.v1.SearchService/Search`, {
          method: "POST",
          headers: { "x-api-key": agentKey, "content-type": "application/json" },
          body: JSON.stringify({ query: DEMO_SEARCH }),
        });
        if (res.status === 200) break;
        assert.equal(res.status, 401, await res.text());
        await new Promise((r) => setTimeout(r, 250));
      }

      const found = await curlSearch(lines, DEMO_SEARCH);
      assert.equal(printedSearch(lines, DEMO_SEARCH).key, demo.key);
      assert.ok(found.results?.some((r) => r.customerName?.startsWith("PÉREZ")), "the advertised surname is found");

      for (const form of DEMO_SEARCH_FORMS) {
        assert.equal((await curlSearch(lines, form)).results?.[0]?.pppoeUser, "perez.maria", `the printed search for ${form}`);
      }

      for (const [user] of DEMO_USERS) {
        const res = await fetch(`${demo.url}/beholder.v1.SearchService/Search`, {
          method: "POST",
          headers: { "x-api-key": demo.key, "content-type": "application/json" },
          body: JSON.stringify({ query: user }),
        });
        const hit = ((await res.json()) as SearchJson).results?.[0];
        assert.equal(hit?.pppoeUser, user, "every advertised user is in the demo");
      }

      // Every printed GetDiagnosis line answers with a verdict: by user, by serial, by customer code.
      for (const req of DEMO_DIAGNOSES) {
        const body = JSON.stringify(req);
        const line = lines.find((l) => l.includes(`-d '${body}'`) && l.includes("/GetDiagnosis"));
        const url = /(http:\/\/\S+\/GetDiagnosis)$/.exec(line ?? "")?.[1];
        assert.ok(url, `a curl line diagnosing ${body}`);
        const res = await fetch(url, { method: "POST", headers: { "x-api-key": demo.key, "content-type": "application/json" }, body });
        const d = ((await res.json()) as { diagnosis?: { verdict?: { ruleId?: string } } }).diagnosis;
        assert.ok(d?.verdict?.ruleId, `${body}: ${res.status}`);
      }

      const getLine = lines.find((l) => l.includes("--data-urlencode 'message={}'"));
      const getUrl = /(http:\/\/\S+\/beholder\.v1\.SyncService\/GetSyncStatus)$/.exec(getLine ?? "")?.[1];
      assert.ok(getUrl, "a Connect GET for GetSyncStatus");
      const res = await fetch(`${getUrl}?encoding=json&message=${encodeURIComponent("{}")}`, { headers: { "x-api-key": demo.key } });
      const status = (await res.json()) as {
        jobs: { job: string; lastRun?: { outcome: string; sources: { outcome: string }[] } }[];
        onuLinks?: { mode: string; byUsername?: string; byName?: string; unlinked?: string };
      };
      // The demo ISP names its ONUs after the PPPoE user, most without a username: auto links them by name.
      const links = status.onuLinks;
      assert.equal(links?.mode, "auto");
      const byName = Number(links?.byName ?? 0);
      const byUsername = Number(links?.byUsername ?? 0);
      const unlinked = Number(links?.unlinked ?? 0);
      assert.ok(byName > 2 * byUsername, `most ONUs link by name: ${JSON.stringify(links)}`);
      assert.ok(unlinked < (byName + byUsername) / 100, `almost none unlinked: ${JSON.stringify(links)}`);
      const inventory = status.jobs.find((j) => j.job === "SYNC_JOB_INVENTORY");
      assert.equal(inventory?.lastRun?.outcome, "SYNC_PHASE_DONE");
      assert.deepEqual(inventory.lastRun.sources.map((s) => s.outcome), ["SYNC_PHASE_DONE", "SYNC_PHASE_DONE", "SYNC_PHASE_DONE"]);
      assert.equal(status.jobs.find((j) => j.job === "SYNC_JOB_STATUS")?.lastRun?.outcome, "SYNC_PHASE_DONE");

      // The printed lab example: LOS through the control API, a status run, and the search shows it.
      const control = await fetch(`${demo.controlUrl}/onus/${DEMO_LOS_TARGET}`, { method: "POST", body: '{"status":"LOS"}' });
      assert.equal(control.status, 200);
      const sync = createClient(SyncService, createGrpcTransport({ baseUrl: demo.url }));
      for await (const _ of sync.runSync({ job: SyncJob.STATUS }, { headers: { "x-api-key": demo.key } }));
      const los = await curlSearch(lines, DEMO_LOS_TARGET);
      assert.equal(los.results?.[0]?.onuStatus, "ONU_STATUS_LOS");
    } finally {
      await demo.close();
    }
    await assert.rejects(fetch(`${demo.url}/health`), "nothing listens after close()");
    await assert.rejects(fetch(`${demo.controlUrl}/health`), "the lab is closed too");
  });

  test("aborting mid-sync closes what has started and rejects", async () => {
    const abort = new AbortController();
    let url = "";
    const out = (l: string): void => {
      url ||= /^Beholder listening on (\S+),/.exec(l)?.[1] ?? "";
      // Mid-sync: ISPCube is in, SmartOLT and the routers are still going.
      if (/^ {2}inventory {2}ispcube/.test(l)) abort.abort(new Error("stop"));
    };
    const demo = runDemo({ env: {}, port: 0, dbPath: join(dir, "aborted.db"), out, signal: abort.signal, logger: pino({ level: "silent" }) });
    await assert.rejects(demo, /^Error: stop$/);
    assert.ok(url);
    await assert.rejects(fetch(`${url}/health`));
  });

  test("lab/demo/demo.ts reuses the cache with a new key, and exits 0 on SIGINT", async () => {
    assert.ok(firstKey, "runs after the runDemo test");
    const child = spawn(process.execPath, ["--import", "tsx", "lab/demo/demo.ts"], {
      env: { ...process.env, PORT: "0", DEMO_DB_PATH: join(dir, "demo.db"), LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes("Ctrl-C stops Beholder and the lab.")) resolve();
        });
        void exited.then(([code]) => reject(new Error(`demo exited ${code} before it was ready\n${stdout}\n${stderr}`)));
      });
      const lines = stdout.split("\n");
      assert.ok(lines.some((l) => l.includes("from an earlier demo: keys and data kept")));
      assert.match(stdout, /API key "demo"/);
      assert.ok((await curlSearch(lines, DEMO_SEARCH)).results?.length);

      const { url } = printedSearch(lines, DEMO_SEARCH);
      const old = await fetch(url, { method: "POST", headers: { "x-api-key": firstKey, "content-type": "application/json" }, body: "{}" });
      assert.equal(old.status, 401, "the previous demo key is revoked");

      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
      const [code, signal] = await exited;
      clearTimeout(timer);
      assert.equal(signal, null, stderr);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /SIGINT: stopping Beholder and the lab…\nstopped\n$/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
