import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, readEnv } from "../../src/config.js";

test("BEHOLDER_HOME locates config/.env and resolves relative DB_PATH and TLS paths; absolute ones stay", () => {
  const home = mkdtempSync(join(tmpdir(), "beholder-home-"));
  try {
    mkdirSync(join(home, "config"));
    writeFileSync(join(home, "config/.env"), "DB_PATH=data/prod.db\nTLS_CERT=tls/cert.pem\nTLS_KEY=/etc/beholder/key.pem\n");
    const env = readEnv(undefined, { BEHOLDER_HOME: home });
    assert.equal(env.DB_PATH, "data/prod.db", "read from the home's config/.env, not the working directory's");
    const config = loadConfig(env);
    assert.equal(config.db.path, join(home, "data/prod.db"));
    assert.deepEqual(config.server.tls, { certPath: join(home, "tls/cert.pem"), keyPath: "/etc/beholder/key.pem" });
    // Without BEHOLDER_HOME nothing changes: relative to the working directory.
    assert.equal(loadConfig({ DB_PATH: "data/x.db" }).db.path, "data/x.db");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
