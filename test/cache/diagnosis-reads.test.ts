/**
 * The diagnosis reads the cache with statements prepared once (src/cache/diagnosis-reads.ts), their
 * columns and types taken from MikroORM's metadata (read-rows.ts). They must return what MikroORM's
 * own `find` returns, row for row, and keep the lookups' rules: the lowest live connection, secrets
 * by router, neighbours on the PON port and the ODB, history since a time.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EntitySchema } from "@mikro-orm/core";
import { createDiagnosisReads, type DiagnosisReads } from "../../src/cache/diagnosis-reads.js";
import { OnuSignalSampleSchema, OnuStatusEventSchema } from "../../src/cache/entities/history.js";
import { ConnectionSchema, CustomerSchema, OnuSchema, PlanSchema, PppSecretSchema, RouterSchema, SubscriberSchema } from "../../src/cache/entities/inventory.js";
import { SourceStateSchema } from "../../src/cache/entities/sync.js";
import { createSyncState } from "../../src/cache/sync-state.js";
import { rowReader } from "../../src/cache/read-rows.js";
import { sqliteOf } from "../../src/cache/orm.js";
import type { OnuStatusReading } from "../../src/domain/types.js";
import { connection, customer, onu, openTempCache, replaceIspCube, replaceRouterSecrets, replaceSmartOlt, secret, type TempCache } from "./fixtures.js";

const R1 = { nodeId: 1, name: "Núcleo Centro", host: "10.0.0.1", port: 8728, type: "mikrotik" };
const R2 = { nodeId: 2, name: "Norte", host: "10.0.0.2", port: 8729, type: "mikrotik" };
const SEEN = new Date("2026-12-01T09:00:00.123Z");

describe("diagnosis reads: prepared statements", () => {
  let cache: TempCache;
  let reads: DiagnosisReads;
  before(async () => {
    cache = await openTempCache();
    reads = createDiagnosisReads(cache.orm);
    await replaceIspCube(cache.writer, {
      customers: [
        customer({ id: 1, name: "PÉREZ, José 'Pepe'", phones: ["(0221) 15-555-1234"], emails: ["a@b.com"], status: "blocked", blockedAt: new Date("2026-11-30T23:59:59.999Z"), debt: "-12.50" }),
        customer({ id: 2, name: "MUÑOZ \"ÑANDÚ\" ; -- drop", code: "C-2", createdAt: null }),
        customer({ id: 3, name: "SIN CONEXIÓN", code: "C-3" }),
        customer({ id: 4, name: "BAJA", code: "C-4", deleted: true }),
      ],
      connections: [
        connection({ id: 12, customerId: 1, pppoeUser: "perezj", planId: 5, nodeId: 2 }),
        connection({ id: 10, customerId: 1, pppoeUser: "perezj", deleted: true }),
        connection({ id: 11, customerId: 1, pppoeUser: "perezj", planId: null, nodeId: null }),
        connection({ id: 20, customerId: 2, pppoeUser: "munoz" }),
        connection({ id: 30, customerId: 3, pppoeUser: "gone", deleted: true }),
        connection({ id: 40, customerId: 4, pppoeUser: null }),
      ],
      plans: [{ id: 1, name: "50M", downloadKbps: 51200, uploadKbps: 10240, price: "9999.90" }, { id: 5, name: "Fibra 300", downloadKbps: 307200, uploadKbps: 30720, price: "0.00" }],
      routers: [R1, R2],
    });
    await replaceSmartOlt(
      cache.writer,
      [
        onu({ externalId: "HWTC0000000A", pppoeUser: "perezj", board: 1, port: 3, odbName: "NAP-07", adminEnabled: false, lastStatusChange: null, vlans: [100, 200] }),
        onu({ externalId: "HWTC0000000B", pppoeUser: "munoz", board: 1, port: 3, odbName: "NAP-09", rxPowerDbm: null, distanceM: null }),
        onu({ externalId: "HWTC0000000C", pppoeUser: null, board: 2, port: 0, odbName: "NAP-07", status: "los" }),
        onu({ externalId: "HWTC0000000D", pppoeUser: null, board: 2, port: 0, odbName: "NAP-08" }),
        onu({ externalId: "ZTEG0000000E", pppoeUser: "otra", oltId: "2", board: 1, port: 3, odbName: "NAP-07" }),
        onu({ externalId: "ZTEG0000000F", pppoeUser: null, board: null, port: null, odbName: null }),
      ],
      SEEN,
    );
    await replaceRouterSecrets(
      cache.writer,
      [
        { router: R2, secrets: [secret({ name: "perezj", comment: "ñandú — segundo", lastLoggedOut: new Date("2026-12-01T08:00:00Z"), disabled: true })] },
        { router: R1, secrets: [secret({ name: "perezj", comment: "primero" }), secret({ name: "solo-router" })] },
      ],
      [1, 2],
    );
    const reading = (externalId: string, status: OnuStatusReading["status"]): OnuStatusReading => ({
      externalId, serial: externalId, oltId: "1", board: 1, port: 3, onuIndex: 1, zoneId: null, odbId: null, status, lastStatusChange: null,
    });
    await cache.writer.applyStatuses([reading("HWTC0000000A", "los")], new Date("2026-12-01T10:00:00Z"));
    await cache.writer.applyStatuses([reading("HWTC0000000A", "online")], new Date("2026-12-01T11:00:00Z"));
    await cache.writer.applySignals([{ externalId: "HWTC0000000A", rxPowerDbm: -21, oltRxPowerDbm: null, signalCategory: "Good" }], new Date("2026-12-01T10:30:00Z"), { minDeltaDb: 0.5, maxAgeMs: 1 });
    const state = createSyncState(cache.orm);
    await state.recordSource("smartolt", SEEN, { ok: true, counts: { onus: 6 } });
    await state.recordSource("ispcube", new Date("2026-12-01T08:00:00Z"), { ok: true, counts: {} });
    await state.recordSource("ispcube", new Date("2026-12-01T08:30:00Z"), { ok: false, error: "HTTP 502" });
    await cache.writer.applySignals([{ externalId: "HWTC0000000B", rxPowerDbm: -27.5, oltRxPowerDbm: -28, signalCategory: "Warning" }], new Date("2026-12-01T11:30:00Z"), { minDeltaDb: 0.5, maxAgeMs: 1 });
  });
  after(() => cache.close());

  test("every table's rows read prepared are MikroORM's find's rows: dates, booleans, nulls, text as stored", async () => {
    const schemas: EntitySchema<never>[] = [CustomerSchema, PlanSchema, ConnectionSchema, RouterSchema, OnuSchema, PppSecretSchema, SubscriberSchema,
      OnuSignalSampleSchema, OnuStatusEventSchema, SourceStateSchema] as never[];
    for (const schema of schemas) {
      const reader = rowReader(cache.orm, schema);
      const meta = cache.orm.getMetadata().get(schema.meta.className);
      const orderBy = Object.fromEntries(meta.primaryKeys.map((k) => [k, "asc"]));
      const viaOrm = (await cache.orm.em.fork().find(schema, {}, { disableIdentityMap: true, orderBy: orderBy as never })).map((r) => ({ ...(r as object) }));
      const byKey = meta.primaryKeys.map((k) => `t.${meta.properties[k]?.fieldNames[0]}`).join(", ");
      const prepared = (sqliteOf(cache.orm).prepare(`select ${reader.columns("t")} from ${reader.table} t order by ${byKey}`).all() as Record<string, unknown>[]).map((r) => reader.read(r));
      assert.ok(viaOrm.length > 0, `${schema.meta.className} has rows to compare`);
      assert.deepEqual(prepared, viaOrm, schema.meta.className);
    }
  });

  test("a PPPoE user: its lowest live connection, that connection's customer and plan, its ONU, its secrets by router", async () => {
    const sub = await reads.subscriber({ kind: "pppoe_user", value: "  PerezJ " });
    assert.ok(sub);
    assert.equal(sub.pppoeUser, "perezj");
    assert.equal(sub.connection?.id, 11, "id 10 is deleted; 11 comes before 12");
    assert.equal(sub.plan, null, "connection 11 has no plan");
    assert.equal(sub.customer?.name, "PÉREZ, José 'Pepe'");
    assert.deepEqual(sub.customer?.phones, ["(0221) 15-555-1234"]);
    assert.equal(sub.customer?.status, "blocked");
    assert.deepEqual(sub.customer?.blockedAt, new Date("2026-11-30T23:59:59.999Z"));
    assert.equal(sub.onu?.externalId, "HWTC0000000A");
    assert.equal(sub.onu?.adminEnabled, false);
    assert.deepEqual(sub.onu?.vlans, [100, 200]);
    assert.deepEqual(sub.onu?.statusObservedAt, new Date("2026-12-01T11:00:00Z"));
    assert.ok(!("username" in (sub.onu ?? {})) && !("linkVia" in (sub.onu ?? {})), "the ONU's link fields stay in the cache");
    assert.deepEqual(sub.secrets.map((s) => [s.routerNodeId, s.secret.comment, s.secret.disabled]), [[1, "primero", false], [2, "ñandú — segundo", true]]);
    assert.ok(!("routerNodeId" in (sub.secrets[0]?.secret ?? {})));
    assert.deepEqual([...sub.routers.keys()].sort(), [1, 2]);
    assert.deepEqual(sub.routers.get(1), { nodeId: 1, name: "Núcleo Centro", host: "10.0.0.1", port: 8728 });
  });

  test("the same subscriber by ONU serial and by customer code; a user known to one system only; unknowns", async () => {
    const bySerial = await reads.subscriber({ kind: "onu_serial", value: " hwtc0000000b" });
    assert.equal(bySerial?.pppoeUser, "munoz");
    assert.equal(bySerial?.connection?.id, 20);
    assert.equal(bySerial?.plan?.name, "50M");
    assert.deepEqual(bySerial?.secrets, []);
    const byCode = await reads.subscriber({ kind: "customer_code", value: "C-2 " });
    assert.deepEqual(byCode, bySerial);
    const routerOnly = await reads.subscriber({ kind: "pppoe_user", value: "solo-router" });
    assert.deepEqual([routerOnly?.customer, routerOnly?.connection, routerOnly?.onu], [null, null, null]);
    assert.deepEqual(routerOnly?.secrets.map((s) => s.routerNodeId), [1]);
    const bridged = await reads.subscriber({ kind: "onu_serial", value: "HWTC0000000C" });
    assert.equal(bridged?.pppoeUser, null);
    assert.equal(bridged?.onu?.status, "los");
    const noConnection = await reads.subscriber({ kind: "customer_code", value: "C-3" });
    assert.deepEqual(noConnection && { ...noConnection, customer: noConnection.customer?.name }, {
      pppoeUser: null, customer: "SIN CONEXIÓN", connection: null, plan: null, onu: null, secrets: [], routers: new Map(),
    });
    for (const lookup of [{ kind: "pppoe_user", value: "gone" }, { kind: "pppoe_user", value: "' or 1=1 --" }, { kind: "onu_serial", value: "NOPE" }, { kind: "customer_code", value: "" }] as const) {
      assert.equal(await reads.subscriber(lookup), undefined, JSON.stringify(lookup));
    }
  });

  test("neighbours: the same PON port of the same OLT, and the same ODB of that OLT, once each, by id", async () => {
    const a = (await reads.subscriber({ kind: "pppoe_user", value: "perezj" }))?.onu;
    assert.ok(a);
    assert.deepEqual((await reads.neighbours(a)).map((n) => n.externalId), ["HWTC0000000A", "HWTC0000000B", "HWTC0000000C"]);
    assert.deepEqual((await reads.neighbours({ ...a, odbName: null })).map((n) => n.externalId), ["HWTC0000000A", "HWTC0000000B"]);
    assert.deepEqual((await reads.neighbours({ ...a, board: null, port: null })).map((n) => n.externalId), ["HWTC0000000A", "HWTC0000000C"]);
    assert.deepEqual(await reads.neighbours({ ...a, board: null, port: null, odbName: null }), []);
    const peer = (await reads.neighbours(a))[1];
    assert.deepEqual(peer && { rx: peer.rxPowerDbm, admin: peer.adminEnabled, seen: peer.statusObservedAt }, { rx: -27.5, admin: true, seen: SEEN });
  });

  test("status snapshot: every ONU or one OLT's, as the neighbours read them", async () => {
    const all = await reads.statusSnapshot();
    assert.deepEqual(all.map((p) => p.externalId), ["HWTC0000000A", "HWTC0000000B", "HWTC0000000C", "HWTC0000000D", "ZTEG0000000E", "ZTEG0000000F"]);
    assert.deepEqual(all[0], (await reads.neighbours({ externalId: "x", oltId: "1", board: 1, port: 3, odbName: null }))[0]);
    assert.deepEqual((await reads.statusSnapshot("2")).map((p) => p.externalId), ["ZTEG0000000E"]);
    assert.equal((await reads.statusSnapshot("")).length, 6);
  });

  test("history since a time: signal samples by ONU then time, status events by time; freshness; search extras", async () => {
    const ids = ["HWTC0000000B", "HWTC0000000A", "NOT-CACHED"];
    const samples = await reads.signalSamples(ids, new Date("2026-12-01T10:00:00Z"));
    assert.deepEqual(samples.map((s) => [s.externalId, s.at.toISOString(), s.rxPowerDbm, s.oltRxPowerDbm]), [
      ["HWTC0000000A", "2026-12-01T10:30:00.000Z", -21, null],
      ["HWTC0000000B", "2026-12-01T11:30:00.000Z", -27.5, -28],
    ]);
    assert.deepEqual((await reads.signalSamples(ids, new Date("2026-12-01T11:00:00Z"))).map((s) => s.externalId), ["HWTC0000000B"]);
    assert.deepEqual(await reads.signalSamples([], new Date(0)), []);
    const events = await reads.statusEvents(["HWTC0000000A"], new Date(0));
    assert.deepEqual(events.map((e) => [e.at.toISOString(), e.previousStatus, e.status]), [
      ["2026-12-01T10:00:00.000Z", "online", "los"],
      ["2026-12-01T11:00:00.000Z", "los", "online"],
    ]);
    const fresh = await reads.freshness();
    assert.deepEqual(fresh.get("smartolt"), SEEN);
    assert.deepEqual(fresh.get("ispcube"), new Date("2026-12-01T08:00:00Z"), "the last success, not the failed attempt after it");
    assert.deepEqual(await reads.router(2), { nodeId: 2, name: "Norte", host: "10.0.0.2", port: 8729 });
    assert.equal(await reads.router(99), undefined);
    const extras = await reads.searchExtras(["perezj", "munoz", "nobody"]);
    assert.deepEqual(Object.fromEntries(extras), {
      perezj: { customerId: 1, secretComment: "primero" },
      munoz: { customerId: 2, secretComment: null },
    });
  });
});
