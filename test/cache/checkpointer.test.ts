/**
 * The sync's connection does not checkpoint the WAL at its COMMITs (that ran on the event loop, up
 * to 0.56 s after a 100k inventory commit): a worker thread does, after each write (checkpointer.ts).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openCache, type Cache } from "../../src/cache/cache.js";
import { sqliteOf } from "../../src/cache/orm.js";
import { connection } from "./fixtures.js";

describe("WAL checkpoints off the event loop", () => {
  let dir: string;
  let cache: Cache;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "beholder-ckpt-"));
    cache = await openCache(join(dir, "cache.db"), pino({ level: "silent" }));
  });
  after(async () => {
    await cache.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the sync's writes land in the database through the worker's checkpoint", async () => {
    await cache.checkpointed();
    await cache.writer.resetStage("connection");
    // Far past SQLite's 1,000-page auto-checkpoint, which the sync's connection would otherwise run itself.
    const rows = Array.from({ length: 30_000 }, (_, i) => connection({ id: i + 1, customerId: i, pppoeUser: `user${i}`, address: `Calle ${i} `.repeat(8) }));
    await cache.writer.stageConnections(rows);
    const done = await cache.checkpointed();
    assert.ok(done, "a checkpoint ran");
    // Slices ask as they commit, so the worker may have copied and restarted the WAL already: frames, all copied.
    assert.ok(done.log > 0, "the WAL held frames for the worker to copy");
    assert.equal(done.checkpointed, done.log, "every frame copied into the database");
    const count = (await cache.orm.em.fork().getConnection().execute("select count(*) as n from stage_connection", [], "all")) as { n: number }[];
    assert.equal(count[0]?.n, rows.length);
  });

  test("the API's connection keeps SQLite's own checkpoints", async () => {
    const db = sqliteOf(cache.orm);
    assert.equal(db.pragma("wal_autocheckpoint", { simple: true }), 1000);
  });
});
