import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { main } from "../../src/cli/keys.js";

/** Runs the keys CLI in-process, as `npm run keys -- ...args` would with DB_PATH=db. */
async function keys(db: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { env: { DB_PATH: db }, io: { out: (t) => (stdout += t), err: (t) => (stderr += t) } });
  return { code, stdout, stderr };
}

test("the keys CLI creates (printing the key once), lists and revokes, and names its database", async () => {
  const dir = mkdtempSync(join(tmpdir(), "beholder-keys-"));
  const db = join(dir, "k.db");
  try {
    const created = await keys(db, "create", "agent-1", "--scope", "read", "--json");
    assert.equal(created.code, 0, created.stderr);
    const { key, scopes } = JSON.parse(created.stdout) as { key: string; scopes: string[] };
    assert.match(key, /^bh_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(scopes, ["read"]);
    assert.equal(created.stderr, `database ${db}\n`, "with --json the database goes to stderr");

    const listed = await keys(db, "list");
    assert.ok(listed.stdout.startsWith(`database ${db}\n`), listed.stdout);
    assert.match(listed.stdout, /^agent-1\s+read\s+created \S+\s+active$/m);
    assert.equal(listed.stdout.includes(key), false, "list never shows the key");

    const taken = await keys(db, "create", "agent-1");
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /an active key named agent-1 already exists/);
    const badScope = await keys(db, "create", "x", "--scope", "root");
    assert.equal(badScope.code, 2);
    assert.match(badScope.stderr, /scopes must be one or more of read, admin/);

    assert.equal((await keys(db, "revoke", "agent-1")).code, 0);
    assert.match((await keys(db, "list")).stdout, /agent-1.*revoked/);
    const again = await keys(db, "revoke", "agent-1");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no active key named agent-1/);

    // Rotation: a revoked key's name can be issued again; the old key stays listed as revoked.
    const rotated = JSON.parse((await keys(db, "create", "agent-1", "--json")).stdout) as { key: string };
    assert.notEqual(rotated.key, key);
    const rows = (await keys(db, "list")).stdout.split("\n").filter((l) => l.startsWith("agent-1"));
    assert.equal(rows.length, 2);
    assert.equal(rows.filter((l) => l.endsWith("active")).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad arguments print the usage and exit 2, and touch no database", async () => {
  const dir = mkdtempSync(join(tmpdir(), "beholder-keys-"));
  try {
    for (const args of [[], ["frobnicate"], ["create"], ["revoke"], ["list", "extra"], ["create", "a", "--nope"], ["create", "a", "--scope"]]) {
      const r = await keys(join(dir, "never.db"), ...args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, /^keys: .+\nusage:\n {2}npm run keys -- create NAME/, args.join(" "));
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      assert.equal(r.stdout, "");
    }
    const help = await keys(join(dir, "never.db"), "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage:\n/);
    const badConfig = await main(["list"], { env: { DB_PATH: join(dir, "x.db"), PORT: "not-a-port" }, io: { out: () => undefined, err: () => undefined } });
    assert.equal(badConfig, 2);
    assert.equal(existsSync(join(dir, "never.db")) || existsSync(join(dir, "x.db")), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the entry point: `node --import tsx src/cli/keys.ts` runs main and exits with its code", async () => {
  const dir = mkdtempSync(join(tmpdir(), "beholder-keys-"));
  const env = { ...process.env, DB_PATH: join(dir, "k.db") };
  const run = promisify(execFile);
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/cli/keys.ts", "create", "entry", "--json"], { env });
    assert.match((JSON.parse(stdout) as { key: string }).key, /^bh_/);
    await assert.rejects(run(process.execPath, ["--import", "tsx", "src/cli/keys.ts", "revoke", "nobody"], { env }), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /no active key named nobody/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
