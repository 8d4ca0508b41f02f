import { test } from "node:test";
import assert from "node:assert/strict";
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
