/**
 * Issue 10, Clocks: routers keep local time (no offset on the wire), SmartOLT writes the account's
 * zone, and Beholder runs on the lab's clock. A session that dropped 24 minutes ago must read as
 * 24 minutes ago in every field of every answer: GetDiagnosis (timestamps, findings, evidence, verdict
 * and ticket texts), the old GET /diagnosis JSON, and GetSyncStatus. Through the real server on a real
 * port, the lab over real sockets; once with every router on local time, once with mixed zones.
 *
 * Expected wall-clock strings are computed here from fixed offsets (none of these zones has DST), not
 * through src/time/zoned-time.ts, which both the lab and the product use.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { beholderEnvForLab } from "../../lab/beholder-env.js";
import { startLab, type Lab } from "../../lab/lab.js";
import { sessionDownLines } from "../../lab/scenario/pppoe-log.js";
import type { Scenario } from "../../lab/scenario/types.js";
import { validateScenario } from "../../lab/scenario/validate.js";
import { loadConfig } from "../../src/config.js";
import { createAppContext, type AppContext } from "../../src/context.js";
import { createServer, type BeholderServer } from "../../src/server/server.js";

/** 00:10 on 28/11 in Argentina: 24 minutes earlier is still the 27th there, already the 28th in UTC. */
const T0 = Date.parse("2026-11-28T03:10:00Z");
const DROP = T0 - 24 * 60_000;
const MIN = 60_000;

/** Minutes east of UTC; these zones keep one offset all year. */
const OFFSET_MIN: Record<string, number> = {
  "America/Argentina/Buenos_Aires": -180,
  "America/Argentina/Cordoba": -180,
  UTC: 0,
  "Asia/Kathmandu": 345,
};

function wall(ms: number, zone: string): string {
  const off = OFFSET_MIN[zone];
  assert.ok(off !== undefined, zone);
  return new Date(ms + off * MIN).toISOString().slice(0, 19).replace("T", " ");
}

/** `HH:MM` and `DD/MM HH:MM` as the verdict texts write them (TRIAGE_TIMEZONE, Argentina). */
function hm(ms: number): string {
  return wall(ms, "America/Argentina/Buenos_Aires").slice(11, 16);
}

const USERS = { "rb-centro": "gomez.lucia", "rb-sur": "sosa.ramon" } as const;
type RouterName = keyof typeof USERS;

/** healthy.json with both sessions gone 24 minutes ago, the ONU in LOS since then, and five neighbours
 * logged out at the same moment on each router (an area event the log has to place in time). */
function droppedScenario(zones: Partial<Record<RouterName, string>>): Scenario {
  const raw = JSON.parse(readFileSync("scenarios/healthy.json", "utf8")) as Record<string, unknown> & {
    smartolt: { onus: Array<Record<string, unknown>> };
    routers: Array<Record<string, unknown> & { name: RouterName; secrets: Array<Record<string, unknown>> }>;
  };
  delete raw.$schema;
  raw.now = new Date(T0).toISOString();
  for (const onu of raw.smartolt.onus) Object.assign(onu, { status: "LOS", lastStatusChange: "-24m", rxDbm: null, oltRxDbm: null });
  for (const router of raw.routers) {
    const user = USERS[router.name];
    const zone = zones[router.name];
    if (zone) router.timezone = zone;
    router.active = [];
    router.traffic = [];
    Object.assign(router.secrets[0] ?? {}, { lastLoggedOut: "-24m", lastDisconnectReason: "hung-up" });
    const neighbours = Array.from({ length: 5 }, (_, i) => sessionDownLines(`vecino${i}`, new Date(DROP + (i - 2) * 10_000), "hung-up", 7200));
    router.logs = [...sessionDownLines(user, new Date(DROP), "hung-up", 7200), ...neighbours.flat()].sort((a, b) => a.time.localeCompare(b.time));
  }
  return validateScenario(raw, { source: "healthy.json, dropped 24 min ago" });
}

interface Rig {
  lab: Lab;
  app: AppContext;
  server: BeholderServer;
  url: string;
  readKey: string;
  adminKey: string;
  close(): Promise<void>;
}

/** The lab, and Beholder on the lab's clock (AppOverrides.now) behind its real server on port 0. */
async function startRig(scenario: Scenario): Promise<Rig> {
  const lab = await startLab({ scenario });
  const dir = mkdtempSync(join(tmpdir(), "beholder-clocks-"));
  const config = loadConfig({ ...beholderEnvForLab(lab), DB_PATH: join(dir, "c.db"), PORT: "0", SYNC_SCHEDULE: "off", LOG_LEVEL: "silent" });
  const app = await createAppContext(config, { logger: pino({ level: "silent" }), now: () => lab.clock.now() });
  const server = createServer(app);
  const { url } = await server.listen(0, "127.0.0.1");
  const readKey = (await app.keys.create("clock-read", ["read"])).key;
  const adminKey = (await app.keys.create("clock-admin", ["read", "admin"])).key;
  for (const job of ["inventory", "status"] as const) await (await app.sync.runner.start(job)).handle.done;
  return {
    lab,
    app,
    server,
    url,
    readKey,
    adminKey,
    async close() {
      await server.close();
      await app.close();
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every google.protobuf.Timestamp in a message, with its path. */
function timestamps(value: unknown, path = "", out: Array<[string, Date]> = []): Array<[string, Date]> {
  if (value === null || typeof value !== "object") return out;
  if ((value as { $typeName?: string }).$typeName === "google.protobuf.Timestamp") {
    out.push([path, timestampDate(value as Timestamp)]);
    return out;
  }
  for (const [k, v] of Object.entries(value)) if (k !== "$typeName") timestamps(v, `${path}.${k}`, out);
  return out;
}

/** Every string in a value, with its path. */
function strings(value: unknown, path = "", out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === "string") out.push([path, value]);
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
  return out;
}

/**
 * Times written in texts: a clock time (`23:46`, `27/11 23:46`), an age (`hace 24 min`), an ISO instant.
 * MACs (`50:C7:BF:11:22:01`) are not clock times.
 */
function checkTexts(all: Array<[string, string]>, nowFrom: number, nowTo: number): void {
  const dropHm = hm(DROP);
  const nowHms = new Set<string>();
  for (let t = nowFrom - MIN; t <= nowTo + MIN; t += MIN) nowHms.add(hm(t));
  for (const [path, text] of all) {
    for (const m of text.matchAll(/(?<![\w:])(\d{2}):(\d{2})(?![\w:])/g)) {
      assert.ok(m[0] === dropHm || nowHms.has(m[0]), `${path}: "${m[0]}" is neither the drop (${dropHm}) nor now, in: ${text}`);
    }
    // An age is the drop's (24 min) or a source's, read since the lab started.
    for (const m of text.matchAll(/hace (\d+) (s|min|h|d)\b(?: (\d+) min)?/g)) {
      const seconds = Number(m[1]) * { s: 1, min: 60, h: 3600, d: 86400 }[m[2] as "s"] + Number(m[3] ?? 0) * 60;
      assert.ok(seconds === 24 * 60 || seconds <= (nowTo - T0) / 1000 + 1, `${path}: "${m[0]}" in: ${text}`);
    }
    for (const m of text.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g)) {
      const at = Date.parse(m[0]);
      assert.ok(at === DROP || (at >= T0 && at <= nowTo), `${path}: ${m[0]} is neither the drop nor now`);
    }
  }
}

function checkTimestamps(all: Array<[string, Date]>, nowTo: number, label: string): void {
  assert.ok(all.length > 0, `${label}: no timestamps`);
  for (const [path, at] of all) {
    const ms = at.getTime();
    assert.ok(ms === DROP || (ms >= T0 && ms <= nowTo), `${label}${path}: ${at.toISOString()} is neither the drop (${new Date(DROP).toISOString()}) nor between the lab's start and now`);
  }
}

function clocksSuite(title: string, zones: Partial<Record<RouterName, string>>): void {
  describe(title, () => {
    let rig: Rig;
    before(async () => {
      rig = await startRig(droppedScenario(zones));
    });
    after(() => rig.close());
    const zoneOf = (router: RouterName): string => zones[router] ?? "America/Argentina/Buenos_Aires";

    for (const [router, user] of Object.entries(USERS) as Array<[RouterName, string]>) {
      test(`${user} (${router}, clock in ${zoneOf(router)}): GetDiagnosis says 24 minutes ago everywhere`, async () => {
        const client = createClient(DiagnosisService, createConnectTransport({ baseUrl: rig.url, httpVersion: "1.1" }));
        const from = rig.lab.clock.now().getTime();
        const d = (await client.getDiagnosis({ pppoeUser: user }, { headers: { "x-api-key": rig.readKey } })).diagnosis;
        const to = rig.lab.clock.now().getTime();
        assert.ok(d);
        assert.equal(d.session, undefined, "no session");
        assert.equal(d.secret?.lastLoggedOut && timestampDate(d.secret.lastLoggedOut).getTime(), DROP, "secret.last_logged_out");
        if (router === "rb-centro") assert.equal(d.onu?.lastStatusChange && timestampDate(d.onu.lastStatusChange).getTime(), DROP, "onu.last_status_change");
        checkTimestamps(timestamps(d), to, "diagnosis");

        const rules = d.findings.map((f) => f.ruleId);
        const noSession = d.findings.find((f) => f.ruleId === "pppoe.no_session");
        assert.ok(noSession, `pppoe.no_session among ${rules.join(", ")}`);
        assert.match(noSession.summary, new RegExp(`desde las (\\d{2}/\\d{2} )?${hm(DROP)}`));
        assert.equal(noSession.evidence.find((e) => e.field === "secret.last_logged_out")?.value, new Date(DROP).toISOString());
        // The router's log placed in time: six logouts within the window around the drop.
        const burst = d.findings.find((f) => f.ruleId === "pppoe.disconnect_burst");
        assert.ok(burst, `pppoe.disconnect_burst among ${rules.join(", ")}: the log's times were read in the router's zone`);
        assert.match(burst.summary, new RegExp(`^6 desconexiones PPPoE en el router alrededor de las (\\d{2}/\\d{2} )?${hm(DROP)}`));
        const texts = strings({ findings: d.findings, verdict: d.verdict, ticket: d.ticketText });
        assert.ok(texts.some(([, t]) => t.includes("hace 24 min")) || router === "rb-sur", "the ONU's LOS is 24 minutes old");
        checkTexts(texts, from, to);
      });

      test(`${user} (${router}): the old GET /diagnosis writes the router's and SmartOLT's wall clocks`, async () => {
        const from = rig.lab.clock.now().getTime();
        const res = await fetch(`${rig.url}/diagnosis/${user}`, { headers: { "x-api-key": rig.readKey } });
        const to = rig.lab.clock.now().getTime();
        assert.equal(res.status, 200);
        const body = (await res.json()) as {
          mikrotik: { active: boolean; secret?: Record<string, string> };
          onu_status_smrt: { last_status_change?: string | null };
          beholder: Record<string, unknown>;
        };
        assert.equal(body.mikrotik.active, false);
        assert.equal(body.mikrotik.secret?.["last-logged-out"], wall(DROP, zoneOf(router)), "in the router's own clock, as the old system showed it");
        if (router === "rb-centro") assert.equal(body.onu_status_smrt.last_status_change, wall(DROP, "America/Argentina/Cordoba"), "in the SmartOLT account's zone");
        checkTexts(strings(body.beholder), from, to);
      });
    }

    test("GetSyncStatus: the runs happened on the lab's clock", async () => {
      const client = createClient(SyncService, createConnectTransport({ baseUrl: rig.url, httpVersion: "1.1" }));
      const status = await client.getSyncStatus({}, { headers: { "x-api-key": rig.adminKey } });
      const to = rig.lab.clock.now().getTime();
      // next_run_at follows the cron schedule, which runs on the machine's clock.
      const runs = timestamps(status.jobs.map((j) => j.lastRun));
      assert.ok(runs.some(([path]) => path.endsWith("startedAt")), "the runs carry their times");
      checkTimestamps(runs, to, "sync status");
    });
  });
}

clocksSuite("clocks: every router on local time (the lab's and MK_TIMEZONE's default)", {});
clocksSuite("clocks: mixed zones (a router in UTC, one in Asia/Kathmandu; MK_ROUTER_TIMEZONES)", { "rb-centro": "UTC", "rb-sur": "Asia/Kathmandu" });
