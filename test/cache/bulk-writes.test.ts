/**
 * The sync's bulk writes run in slices of rows, each in its own transaction, through statements
 * prepared once (src/cache/batch.ts, writes.ts), so a 100k sync never holds the event loop for
 * seconds. Slices must change nothing: rows stored as MikroORM stores them, every status change
 * logged once against the value it replaced, signal samples kept by the same rules, pruning by age only.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { insertBatched, insertPrepared } from "../../src/cache/batch.js";
import { STAGED } from "../../src/cache/entities/staging.js";
import { sqliteOf } from "../../src/cache/orm.js";
import type { OnuSignalReading, OnuStatusReading } from "../../src/domain/types.js";
import { connection, customer, onu, openTempCache, replaceSmartOlt, secret, type TempCache } from "./fixtures.js";

const rowsOf = async (cache: TempCache, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
  (await cache.orm.em.fork().getConnection().execute(sql, params, "all")) as Record<string, unknown>[];

describe("bulk writes in slices", () => {
  let cache: TempCache;
  before(async () => {
    // Three rows per transaction: every test below crosses slice boundaries.
    cache = await openTempCache({ rows: 3 });
  });
  after(() => cache.close());

  test("a prepared insert stores every column as MikroORM's insert does", async () => {
    const em = cache.orm.em.fork();
    const cases = [
      {
        entity: STAGED.customer,
        rows: [
          customer({ id: 1, name: "PÉREZ, José 'Pepe'", phones: ["(0221) 15-555-1234"], emails: ["a@b.com"], docNumber: "20-30111222-3", deleted: true }),
          customer({ id: 2, name: "MUÑOZ \"ÑANDÚ\" \\ ; -- drop", blockedAt: new Date("2026-12-01T10:11:12.345Z"), createdAt: null, address: "Calle 7 Nº 1.234" }),
          customer({ id: 3, name: "日本 🚀 \u00e9\u0301 end", debt: "-12.50" }),
        ].map((c) => ({ ...c, phones: JSON.stringify(c.phones), emails: JSON.stringify(c.emails) })),
      },
      { entity: STAGED.connection, rows: [connection({ id: 10, customerId: 1, pppoeUser: "pérez01", deleted: true }), connection({ id: 11, customerId: 2, pppoeUser: null, planId: null })] },
      {
        entity: STAGED.onu,
        rows: [onu({ externalId: "HWTC00000001", pppoeUser: "u1" }), onu({ externalId: "ZTEG00000002", pppoeUser: null, rxPowerDbm: null, lastStatusChange: null, adminEnabled: false, distanceM: null })].map((o) => ({
          ...o,
          username: o.pppoeUser,
          linkVia: null,
          vlans: JSON.stringify(o.vlans),
          statusObservedAt: new Date("2026-12-02T00:00:00.001Z"),
          signalObservedAt: new Date(0),
        })),
      },
      { entity: STAGED.ppp_secret, rows: [secret({ name: "u1", disabled: true, lastLoggedOut: new Date("2026-11-30T23:59:59.999Z"), comment: "ñ" }), secret({ name: "u2" })].map((s) => ({ ...s, routerNodeId: 7 })) },
    ];
    for (const { entity, rows } of cases) {
      const table = em.getMetadata().get(entity.meta.className).tableName;
      await em.transactional((t) => insertBatched(t, entity as never, rows as never[]));
      const viaOrm = await rowsOf(cache, `select * from ${table} order by rowid`);
      await em.getConnection().execute(`delete from ${table}`);
      await em.transactional(async (t) => insertPrepared(sqliteOf(cache.orm), t, entity as never, rows as never[]));
      const prepared = await rowsOf(cache, `select * from ${table} order by rowid`);
      await em.getConnection().execute(`delete from ${table}`);
      assert.equal(prepared.length, rows.length, table);
      assert.deepEqual(prepared, viaOrm, table);
    }
  });

  test("a string holding U+0000 is stored whole (MikroORM's SQL text with the value written into it fails on it)", async () => {
    const em = cache.orm.em.fork();
    const row = { ...customer({ id: 9, name: "CUT\u0000HERE" }), phones: "[]", emails: "[]" };
    await em.transactional(async (t) => insertPrepared(sqliteOf(cache.orm), t, STAGED.customer, [row]));
    assert.deepEqual(await rowsOf(cache, "select name from stage_customer"), [{ name: "CUT\u0000HERE" }]);
    await em.getConnection().execute("delete from stage_customer");
  });

  test("staging a list longer than a slice stages every row once", async () => {
    await cache.writer.resetStage("connection");
    const many = Array.from({ length: 10 }, (_, i) => connection({ id: 100 + i, customerId: i, pppoeUser: `user${i}` }));
    await cache.writer.stageConnections(many);
    const staged = await rowsOf(cache, "select id from stage_connection order by id");
    assert.deepEqual(staged.map((r) => r.id), many.map((c) => c.id));
    await cache.writer.resetStage("connection");
  });

  test("statuses: known ONUs updated, one event per change with the status it replaced, unknown ones counted", async () => {
    const seen = new Date("2026-12-01T12:00:00Z");
    const ids = ["A", "B", "C", "D", "E", "F", "G"].map((c) => `ONU0000000${c}`);
    await replaceSmartOlt(cache.writer, ids.map((externalId, i) => onu({ externalId, pppoeUser: `s${i}`, status: i % 2 === 0 ? "online" : "los" })), seen);
    const at = new Date("2026-12-01T13:00:00Z");
    const reading = (externalId: string, status: OnuStatusReading["status"], lastStatusChange: Date | null): OnuStatusReading => ({
      externalId, serial: externalId, oltId: "1", board: 1, port: 0, onuIndex: 1, zoneId: null, odbId: null, status, lastStatusChange,
    });
    const changeAt = new Date("2026-12-01T12:30:00Z");
    const readings = [
      reading(ids[0]!, "online", changeAt), // unchanged
      reading(ids[1]!, "online", changeAt), // los → online
      reading("UNKNOWN00001", "online", null),
      reading(ids[2]!, "power_fail", null), // online → power_fail, no change time
      reading(ids[3]!, "los", changeAt), // unchanged
      reading(ids[4]!, "offline", changeAt), // online → offline
      reading("UNKNOWN00002", "los", null),
    ];
    const counts = await cache.writer.applyStatuses(readings, at);
    assert.deepEqual(counts, { statuses: 5, changed: 3, unknown: 2 });
    const events = await rowsOf(cache, "select external_id as id, at, changed_at as changedAt, status, previous_status as previous from onu_status_event order by id");
    assert.deepEqual(events, [
      { id: ids[1], at: at.getTime(), changedAt: changeAt.getTime(), status: "online", previous: "los" },
      { id: ids[2], at: at.getTime(), changedAt: null, status: "power_fail", previous: "online" },
      { id: ids[4], at: at.getTime(), changedAt: changeAt.getTime(), status: "offline", previous: "online" },
    ]);
    const onus = await rowsOf(cache, "select external_id as id, status, last_status_change as changed, status_observed_at as observed from onu order by external_id");
    const expected: Record<string, [string, number | null, number]> = {
      [ids[0]!]: ["online", changeAt.getTime(), at.getTime()],
      [ids[1]!]: ["online", changeAt.getTime(), at.getTime()],
      [ids[2]!]: ["power_fail", null, at.getTime()],
      [ids[3]!]: ["los", changeAt.getTime(), at.getTime()],
      [ids[4]!]: ["offline", changeAt.getTime(), at.getTime()],
      // Not in the readings: as the inventory left them.
      [ids[5]!]: ["los", new Date("2026-11-27T10:00:00Z").getTime(), seen.getTime()],
      [ids[6]!]: ["online", new Date("2026-11-27T10:00:00Z").getTime(), seen.getTime()],
    };
    assert.deepEqual(Object.fromEntries(onus.map((o) => [o.id, [o.status, o.changed, o.observed]])), expected);
  });

  test("signals: a sample when a level moved by the threshold, went to or from null, or the last one is old; none otherwise", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `SIG00000000${i}`);
    await replaceSmartOlt(cache.writer, ids.map((externalId) => onu({ externalId, pppoeUser: externalId.toLowerCase() })), new Date("2026-12-01T00:00:00Z"));
    await cache.orm.em.fork().getConnection().execute("delete from onu_signal_sample");
    const sampling = { minDeltaDb: 0.5, maxAgeMs: 6 * 3_600_000 };
    const r = (externalId: string, rx: number | null, olt: number | null): OnuSignalReading => ({ externalId, rxPowerDbm: rx, oltRxPowerDbm: olt, signalCategory: "Good" });
    const t1 = new Date("2026-12-01T01:00:00Z");
    // First pass: no sample yet for any of them, so every known ONU gets one.
    const first = await cache.writer.applySignals([...ids.map((id) => r(id, -20, -24)), r("UNKNOWN", -1, -1)], t1, sampling);
    assert.deepEqual(first, { signals: 8, sampled: 8 });
    // Old samples for the last ONU: 7 h before the next pass.
    await cache.orm.em.fork().getConnection().execute("update onu_signal_sample set at = ? where external_id = ?", [t1.getTime() - 6 * 3_600_000, ids[7]]);
    const t2 = new Date("2026-12-01T01:30:00Z");
    const second = await cache.writer.applySignals(
      [
        r(ids[0]!, -20.4, -24), // moved 0.4: no
        r(ids[1]!, -20.5, -24), // moved 0.5: yes
        r(ids[2]!, -20, -23.2), // OLT side moved 0.8: yes
        r(ids[3]!, null, -24), // went to null: yes
        r(ids[4]!, -20, -24), // same: no
        r("UNKNOWN", -1, -1),
        r(ids[5]!, -19.6, -24.3), // both moved less than 0.5: no
        r(ids[6]!, -21, -24), // moved 1.0: yes
        r(ids[7]!, -20, -24), // same, but its last sample is 6.5 h old: yes
      ],
      t2,
      sampling,
    );
    assert.deepEqual(second, { signals: 8, sampled: 5 });
    const sampledNow = await rowsOf(cache, "select external_id as id, rx_power_dbm as rx, olt_rx_power_dbm as olt from onu_signal_sample where at = ? order by id", [t2.getTime()]);
    assert.deepEqual(sampledNow, [
      { id: ids[1], rx: -20.5, olt: -24 },
      { id: ids[2], rx: -20, olt: -23.2 },
      { id: ids[3], rx: null, olt: -24 },
      { id: ids[6], rx: -21, olt: -24 },
      { id: ids[7], rx: -20, olt: -24 },
    ]);
    // A null that stays null is not a move; from null back to a level is.
    const t3 = new Date("2026-12-01T02:00:00Z");
    assert.deepEqual(await cache.writer.applySignals([r(ids[3]!, null, -24)], t3, sampling), { signals: 1, sampled: 0 });
    assert.deepEqual(await cache.writer.applySignals([r(ids[3]!, -20, -24)], t3, sampling), { signals: 1, sampled: 1 });
    // Every known ONU carries its new level and when it was read.
    const levels = await rowsOf(cache, "select rx_power_dbm as rx, signal_category as cat, signal_observed_at as at from onu where external_id = ?", [ids[5]]);
    assert.deepEqual(levels, [{ rx: -19.6, cat: "Good", at: t2.getTime() }]);
  });

  test("pruning removes every row older than the cut, over several slices, and nothing newer", async () => {
    const conn = cache.orm.em.fork().getConnection();
    await conn.execute("delete from onu_status_event");
    const cut = Date.UTC(2026, 11, 1);
    for (let i = 0; i < 10; i++) {
      await conn.execute("insert into onu_status_event (external_id, at, status) values (?, ?, 'los')", [`P${i}`, cut + (i - 7) * 1000]);
    }
    const pruned = await cache.writer.prune(new Date(cut));
    assert.equal(pruned.statusEvents, 7);
    assert.deepEqual((await rowsOf(cache, "select external_id as id from onu_status_event order by at")).map((r) => r.id), ["P7", "P8", "P9"]);
  });
});
