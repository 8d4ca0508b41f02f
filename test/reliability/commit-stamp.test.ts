import { test } from "node:test";
import assert from "node:assert/strict";
import { createSyncState } from "../../src/cache/sync-state.js";
import { openTempCache } from "../cache/fixtures.js";

test("a commit marks its source fresh in the same transaction, and a failed commit does not", async () => {
  const cache = await openTempCache();
  try {
    const state = createSyncState(cache.orm);
    const at = new Date("2026-12-01T10:00:00Z");
    await cache.writer.resetStage("onu");
    const counts = await cache.writer.commitSmartOlt({ source: "smartolt", at });
    const row = await state.source("smartolt");
    assert.deepEqual(row && { lastSuccessAt: row.lastSuccessAt, stale: row.stale, counts: row.counts }, { lastSuccessAt: at, stale: false, counts });

    // A commit that fails part-way (a staged row the ISPCube tables refuse) rolls the stamp back with it.
    const later = new Date("2026-12-01T11:00:00Z");
    await assert.rejects(cache.writer.commitIspCube({ plans: [{ id: 1 } as never], routers: [] }, { source: "ispcube", at: later }));
    assert.equal(await state.source("ispcube"), undefined);
  } finally {
    await cache.close();
  }
});
