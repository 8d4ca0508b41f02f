/**
 * The beholder CLI in-process (`main(argv, io, opts)`) against a real server on the lab: output and
 * exit codes; one subprocess run each for the npm script's entry point and the bin wrapper.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import { main } from "../../src/cli/beholder.js";
import { describeError, EXIT } from "../../src/cli/beholder/exit.js";
import { targetOf } from "../../src/cli/beholder/commands-diagnosis.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";
import { control, until } from "../helpers/watch.js";

const run = promisify(execFile);
const EVENT_MS = 30_000;
const ESC = "\u001b[";

interface Run {
  code: number;
  out: string;
  err: string;
}

describe("beholder CLI against a server on the lab", () => {
  let env: DiagnosisLab;
  let base: Record<string, string>;
  const cli = async (argv: string[], opts: { key?: string; tty?: boolean; extraEnv?: Record<string, string>; signal?: AbortSignal; onOut?: (all: string) => void } = {}): Promise<Run> => {
    let out = "";
    let err = "";
    const io = {
      out: (t: string) => {
        out += t;
        opts.onOut?.(out);
      },
      err: (t: string) => (err += t),
    };
    const cliEnv = { ...base, ...(opts.key === undefined ? {} : { BEHOLDER_KEY: opts.key }), ...opts.extraEnv };
    const code = await main(argv, io, { env: cliEnv, tty: opts.tty ?? false, ...(opts.signal ? { signal: opts.signal } : {}) });
    return { code, out, err };
  };

  before(async () => {
    env = await startDiagnosisLab("scenarios/triage-cases.json", {
      WATCH_INTERVAL_MIN_MS: "200",
      WATCH_INTERVAL_DEFAULT_MS: "500",
      SMARTOLT_HOURLY_BUDGET: "100000",
      WATCH_SMARTOLT_BUDGET_PERCENT: "50",
      WATCH_HEARTBEAT_MS: "60000",
    });
    base = { BEHOLDER_URL: env.srv.url };
  });
  after(() => env.close());

  test("diagnose: the verdict first, then findings with evidence, then sources; no colour when piped", async () => {
    const r = await cli(["diagnose", "perez.maria"], { key: env.srv.readKey });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.match(lines[0] ?? "", /^DISPATCH {2}perez\.maria {2}\S/);
    assert.match(r.out, /^ {2}customer: .+/m);
    const findings = r.out.indexOf("\nFindings\n");
    const sources = r.out.indexOf("\nSources\n");
    assert.ok(findings > 0 && sources > findings, "verdict, findings, sources in that order");
    assert.match(r.out.slice(findings, sources), /CRIT .+\n +· smartolt \S+ = /, "a finding with its evidence");
    assert.match(r.out.slice(sources), /smartolt +(LIVE|CACHED)/);
    assert.ok(!r.out.includes(ESC), "no escape codes when stdout is not a terminal");
  });

  test("colour on a terminal, by action; NO_COLOR turns it off", async () => {
    const tty = await cli(["diagnose", "perez.maria"], { key: env.srv.readKey, tty: true });
    assert.ok(tty.out.startsWith(`${ESC}1m${ESC}31mDISPATCH`), JSON.stringify(tty.out.slice(0, 30)));
    const noColour = await cli(["diagnose", "perez.maria"], { key: env.srv.readKey, tty: true, extraEnv: { NO_COLOR: "1" } });
    assert.ok(!noColour.out.includes(ESC));
  });

  test("diagnose --json is the response as proto JSON; a serial and a code name the same subscriber", async () => {
    const r = await cli(["diagnose", "--json", "HWTC1A2B3C01"], { key: env.srv.readKey });
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { diagnosis: { pppoeUser: string; verdict: { action: string } } };
    assert.equal(doc.diagnosis.pppoeUser, "gomez.lucia");
    const byCode = JSON.parse((await cli(["diagnose", "--json", "101"], { key: env.srv.readKey })).out) as typeof doc;
    assert.equal(byCode.diagnosis.pppoeUser, "gomez.lucia");
    assert.match(byCode.diagnosis.verdict.action, /^ACTION_/);
  });

  test("errors: not found 3, no key / bad key / wrong scope 4, invalid input 2, each with a clear message", async () => {
    const nobody = await cli(["diagnose", "perez.mariaa"], { key: env.srv.readKey });
    assert.equal(nobody.code, EXIT.notFound);
    assert.match(nobody.err, /^beholder: .*did you mean "perez\.maria"/);
    const noKey = await cli(["search", "perez"]);
    assert.equal(noKey.code, EXIT.auth);
    assert.match(noKey.err, /no API key: pass --key or set BEHOLDER_KEY/);
    const badKey = await cli(["search", "perez", "--key", `bh_000000000000_${"x".repeat(43)}`]);
    assert.equal(badKey.code, EXIT.auth);
    assert.match(badKey.err, /the server refused the key: invalid or revoked API key/);
    const scope = await cli(["sync", "status"], { key: env.srv.readKey });
    assert.equal(scope.code, EXIT.auth);
    assert.match(scope.err, /not allowed: key test-read lacks the admin scope/);
    const short = await cli(["search", "ab"], { key: env.srv.readKey });
    assert.equal(short.code, EXIT.usage);
    assert.match(short.err, /invalid input: query must be 3 to 100 characters/);
    for (const r of [nobody, noKey, badKey, scope, short]) assert.doesNotMatch(r.err, /\n\s+at /);
  });

  test("usage errors exit 2 with the command's usage; --help anywhere exits 0", async () => {
    for (const argv of [["diagnose"], ["diagnose", "a", "b"], ["search", "x", "--watch"], ["frobnicate"], ["sync", "--job", "weekly"], ["diagnose", "x", "--interval", "5"]]) {
      const r = await cli(argv, { key: env.srv.readKey });
      assert.equal(r.code, EXIT.usage, argv.join(" "));
      assert.match(r.err, /^beholder: .+\nusage: /, argv.join(" "));
      assert.equal(r.out, "");
    }
    const help = await cli(["keys", "create", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.out, /^usage: npm run beholder -- keys create NAME/);
  });

  test("search and incidents", async () => {
    const found = await cli(["search", "gomez"], { key: env.srv.readKey });
    assert.equal(found.code, 0, found.err);
    assert.match(found.out, /^gomez\.lucia\s/m);
    const none = await cli(["search", "zzqxj"], { key: env.srv.readKey });
    assert.equal(none.code, EXIT.notFound);
    const noneJson = await cli(["search", "zzqxj", "--json"], { key: env.srv.readKey });
    assert.equal(noneJson.code, EXIT.notFound);
    assert.deepEqual(JSON.parse(noneJson.out), {});
    const inc = await cli(["incidents"], { key: env.srv.readKey });
    assert.equal(inc.code, 0, inc.err);
    assert.match(inc.out, /^\d+ incident\(s\), from the status snapshot of /);
    const json = JSON.parse((await cli(["incidents", "--json"], { key: env.srv.readKey })).out) as { totalSize?: number };
    assert.equal(typeof (json.totalSize ?? 0), "number");
  });

  test("traffic: live rates next to the plan", async () => {
    const r = await cli(["traffic", "navarro.julieta"], { key: env.srv.readKey });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^navarro\.julieta: down \d+\.\d Mbit\/s {2}up \d+\.\d Mbit\/s of \d+\/\d+ Mbit\/s/);
  });

  test("sync with progress, then sync status", async () => {
    const r = await cli(["sync", "--job", "status"], { key: env.srv.adminKey });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^started status sync \S+/);
    assert.match(r.out, /^smartolt +done/m);
    const status = await cli(["sync", "status"], { key: env.srv.adminKey });
    assert.equal(status.code, 0, status.out);
    assert.match(status.out, /^inventory/m);
    assert.match(status.out, /^status[\s\S]*last run \S+: done/m);
  });

  test("keys create, list and revoke over the API; a taken name is a conflict", async () => {
    const created = await cli(["keys", "create", "cli-bot", "--scope", "read"], { key: env.srv.adminKey });
    assert.equal(created.code, 0, created.err);
    const key = /\n {2}(bh_\S+)\n/.exec(created.out)?.[1];
    assert.ok(key, created.out);
    assert.equal((await cli(["search", "gomez"], { key })).code, 0);
    const taken = await cli(["keys", "create", "cli-bot"], { key: env.srv.adminKey });
    assert.equal(taken.code, EXIT.conflict);
    const listed = await cli(["keys", "list"], { key: env.srv.adminKey });
    assert.match(listed.out, /^cli-bot +read +bh_[0-9a-f]{12}_… +created \S+ +active$/m);
    assert.ok(!listed.out.includes(key), "the list never shows a secret");
    assert.equal((await cli(["keys", "revoke", "cli-bot"], { key: env.srv.adminKey })).code, 0);
    assert.equal((await cli(["search", "gomez"], { key })).code, EXIT.auth);
    assert.equal((await cli(["keys", "revoke", "cli-bot"], { key: env.srv.adminKey })).code, EXIT.notFound);
  });

  test("health needs no key; an unreachable server exits 1 with where it looked", async () => {
    const ok = await cli(["health"]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^server +SERVING$/m);
    assert.match(ok.out, /^beholder\.v1\.KeyService +SERVING$/m);
    const closed = await freePort();
    const down = await cli(["health", "--url", `http://127.0.0.1:${closed}`]);
    assert.equal(down.code, EXIT.server);
    assert.match(down.err, new RegExp(`cannot reach Beholder at http://127\\.0\\.0\\.1:${closed}`));
  });

  test("diagnose --watch redraws when the ONU changes, and Ctrl-C ends it with 0", async () => {
    const stop = new AbortController();
    let sawFirst: () => void = () => undefined;
    const first = new Promise<void>((r) => (sawFirst = r));
    let output = "";
    const watching = cli(["diagnose", "gomez.lucia", "--watch"], {
      key: env.srv.readKey,
      signal: stop.signal,
      onOut: (all) => {
        output = all;
        if (all.includes("first reading")) sawFirst();
      },
    });
    await first;
    try {
      await control(env.lab.control.url, "/onus/gomez.lucia", { status: "LOS" });
      await until(() => /--- \S+ changed: [^\n]*onu\.status/.test(output), EVENT_MS, "an update naming onu.status");
    } finally {
      stop.abort();
      await control(env.lab.control.url, "/onus/gomez.lucia", { status: "Online" });
    }
    const r = await watching;
    assert.equal(r.code, 0, r.err);
    const update = r.out.slice(r.out.indexOf("changed:"));
    assert.match(update, /\n[A-Z ]+ {2}gomez\.lucia/, "the whole diagnosis is drawn again after the change");
  });

  test("the entry points: npm's script (src/cli/beholder.ts) and the bin wrapper", async () => {
    const childEnv = { ...process.env, BEHOLDER_URL: env.srv.url, BEHOLDER_KEY: env.srv.readKey, NO_COLOR: "1" };
    const script = await run(process.execPath, ["--import", "tsx", "src/cli/beholder.ts", "diagnose", "perez.maria"], { env: childEnv });
    assert.match(script.stdout, /^DISPATCH {2}perez\.maria/);
    const bin = await run(process.execPath, ["bin/beholder.mjs", "search", "x"], { env: childEnv }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bin as { code?: number }).code, EXIT.usage);
    assert.match((bin as { stderr: string }).stderr, /^beholder: invalid input: query must be 3 to 100 characters/);
  });
});

describe("beholder CLI, pure parts", () => {
  test("every Connect code maps to a documented exit code", () => {
    const cases: [Code, number][] = [
      [Code.Unauthenticated, EXIT.auth],
      [Code.PermissionDenied, EXIT.auth],
      [Code.NotFound, EXIT.notFound],
      [Code.InvalidArgument, EXIT.usage],
      [Code.ResourceExhausted, EXIT.rateLimited],
      [Code.FailedPrecondition, EXIT.conflict],
      [Code.AlreadyExists, EXIT.conflict],
      [Code.Unavailable, EXIT.server],
      [Code.DeadlineExceeded, EXIT.server],
      [Code.Internal, EXIT.server],
      [Code.Unimplemented, EXIT.server],
    ];
    for (const [code, exit] of cases) assert.equal(describeError(new ConnectError("x", code), "http://h").exit, exit, Code[code]);
    const limited = describeError(new ConnectError("rate limit exceeded for key k", Code.ResourceExhausted, { "retry-after": "7" }), "http://h");
    assert.equal(limited.message, "rate limit exceeded for key k (retry after 7 s)");
  });

  test("what diagnose's argument names", () => {
    assert.deepEqual(targetOf("perez.maria", undefined), { pppoeUser: "perez.maria" });
    assert.deepEqual(targetOf("3101", undefined), { customerCode: "3101" });
    assert.deepEqual(targetOf("ZTEG4D5E6F02", undefined), { onuSerial: "ZTEG4D5E6F02" });
    assert.deepEqual(targetOf("3101", "user"), { pppoeUser: "3101" });
    assert.throws(() => targetOf("x", "phone"), /--as must be user, serial or code/);
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
