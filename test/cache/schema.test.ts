import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openOrm } from "../../src/cache/orm.js";
import { openTempCache } from "./fixtures.js";

test("after migrating, MikroORM finds nothing to change: the entities and the migrations describe the same tables", async () => {
  const cache = await openTempCache();
  try {
    const diff = await cache.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    assert.equal(diff.trim(), "", `entities and migrations disagree; MikroORM would run:\n${diff}`);
  } finally {
    await cache.close();
  }
});

test("migrations 0006 and 0007 keep the rows of a cache migrated before them, every column of them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "beholder-0006-"));
  const path = join(dir, "cache.db");
  try {
    const old = await openOrm(path, pino({ level: "silent" }), { migrate: false });
    await old.getMigrator().up({ to: "0005-fts-prefixes" });
    const before = {
      customer: [7, "000007", "PÉREZ ANA", "20.123.456", "Calle 1", "La Plata", "enabled", "Habilitado", "0.00", "0.00", '["221"]', "[]", null, 1700000000000, 0],
      onu: ["HWTC1", "HWTC1", "1", "OLT", 1, 0, 3, "1", "Centro", "NAP-1", "aperez", null, "aperez", "los", 1, 1700000000000, -20.5, -24, "Warning", "[100]", "HG8310M", "Routing", 1200, 1700000000001, 1700000000002],
      sync_run: ["r1", "inventory", 1700000000000, 1700000000500, "done", "[]"],
    };
    for (const [table, row] of Object.entries(before)) {
      await old.em.getConnection().execute(`insert into ${table} values (${row.map(() => "?").join(", ")})`, row);
    }
    await old.close();
    // 0007: an ONU cached before it was linked by its username, which becomes its `username` too.
    const after = { ...before, onu: [...before.onu, "aperez", "username"] };
    const orm = await openOrm(path, pino({ level: "silent" }));
    try {
      for (const [table, row] of Object.entries(after)) {
        const rows = (await orm.em.getConnection().execute(`select * from ${table}`)) as Record<string, unknown>[];
        assert.deepEqual(rows.map((r) => Object.values(r)), [row], table);
      }
    } finally {
      await orm.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
