import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

test("the keys CLI creates (printing the key once), lists and revokes", { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "beholder-keys-"));
  const env = { ...process.env, DB_PATH: join(dir, "k.db") };
  const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", "src/cli/keys.ts", ...args], { env });
  try {
    const created = await cli("create", "agent-1", "--scope", "read", "--json");
    const { key, scopes } = JSON.parse(created.stdout) as { key: string; scopes: string[] };
    assert.match(key, /^bh_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(scopes, ["read"]);

    const listed = await cli("list");
    assert.match(listed.stdout, /^agent-1\s+read\s+created \S+\s+active$/m);
    assert.equal(listed.stdout.includes(key), false, "list never shows the key");

    await assert.rejects(cli("create", "agent-1"), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /an active key named agent-1 already exists/);
      return true;
    });
    await assert.rejects(cli("create", "x", "--scope", "root"), /scopes must be one or more of read, admin/);

    await cli("revoke", "agent-1");
    assert.match((await cli("list")).stdout, /agent-1.*revoked/);
    await assert.rejects(cli("revoke", "agent-1"), /no active key named agent-1/);

    // Rotation: a revoked key's name can be issued again; the old key stays listed as revoked.
    const again = JSON.parse((await cli("create", "agent-1", "--json")).stdout) as { key: string };
    assert.notEqual(again.key, key);
    const rows = (await cli("list")).stdout.split("\n").filter((l) => l.startsWith("agent-1"));
    assert.equal(rows.length, 2);
    assert.equal(rows.filter((l) => l.endsWith("active")).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
