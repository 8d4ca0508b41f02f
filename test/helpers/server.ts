import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { loadConfig, type Env } from "../../src/config.js";
import { createAppContext, type AppContext } from "../../src/context.js";
import { createServer, type BeholderServer } from "../../src/server/server.js";

export interface TestServer {
  url: string;
  port: number;
  app: AppContext;
  server: BeholderServer;
  /** A read-scoped and an admin-scoped key, created for this server. */
  readKey: string;
  adminKey: string;
  /** Every log line written so far, as parsed JSON. */
  logs: Record<string, unknown>[];
  /** Raw log text, to check that no secret ever reaches it. */
  logText(): string;
  close(): Promise<void>;
}

/**
 * The secret part of a `bh_<keyId>_<secret>` key. Not `split("_")`: the secret is base64url, whose
 * alphabet has `_` (a key whose secret held one gave a fragment, or "", which every text includes).
 */
export function keySecretOf(key: string): string {
  const secret = /^bh_[0-9a-f]{12}_([A-Za-z0-9_-]{43})$/.exec(key)?.[1];
  if (secret === undefined) throw new Error("not a bh_<keyId>_<secret> key");
  return secret;
}

/** A real Beholder server on 127.0.0.1, port 0, with its own temporary database. */
export async function startTestServer(env: Env = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "beholder-test-"));
  // DIAG_BUDGET_BUSY_PERCENT=0: the test process's own loop delay (the lab and its syncs run in it, on a
  // machine that may be busy) must not shorten the live reads that tests expect to be LIVE; the cut has
  // its own test (test/diagnosis/degraded.test.ts).
  const config = loadConfig({ DB_PATH: join(dir, "test.db"), PORT: "0", LOG_LEVEL: "info", SYNC_SCHEDULE: "off", DIAG_BUDGET_BUSY_PERCENT: "0", ...env });
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString("utf8"));
      cb();
    },
  });
  const logger = pino({ level: config.log.level }, sink);
  const app = await createAppContext(config, { logger });
  const server = createServer(app);
  const { port, url } = await server.listen(0, "127.0.0.1");
  const readKey = (await app.keys.create("test-read", ["read"])).key;
  const adminKey = (await app.keys.create("test-admin", ["read", "admin"])).key;
  let closed = false;
  return {
    url,
    port,
    app,
    server,
    readKey,
    adminKey,
    get logs() {
      return chunks.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => chunks.join(""),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
