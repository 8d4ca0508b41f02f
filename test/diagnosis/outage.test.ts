import { test } from "node:test";
import assert from "node:assert/strict";
import { computeIncidents, findIncidentFor, incidentsOf } from "../../src/diagnosis/outage/correlate.js";
import type { OnuStatusRow } from "../../src/diagnosis/outage/types.js";
import { DEFAULT_THRESHOLDS, type Thresholds } from "../../src/diagnosis/thresholds.js";
import { DAY, MIN, NOW, ago, row } from "./fixtures.js";

const t = (over: Partial<Thresholds> = {}): Thresholds => ({ ...DEFAULT_THRESHOLDS, ...over });
const many = (n: number, prefix: string, over: Partial<OnuStatusRow> | ((i: number) => Partial<OnuStatusRow>) = {}): OnuStatusRow[] =>
  Array.from({ length: n }, (_, i) => row(`${prefix}${i}`, typeof over === "function" ? over(i) : over));
const los = (at: Date): Partial<OnuStatusRow> => ({ status: "los", lastStatusChange: at });
const pf = (at: Date): Partial<OnuStatusRow> => ({ status: "power_fail", lastStatusChange: at });

interface Case {
  name: string;
  rows: OnuStatusRow[];
  /** [id, kind, affected, total] of every incident, newest first. */
  expect: Array<[string, string, number, number]>;
  thresholds?: Partial<Thresholds>;
}

const cases: Case[] = [
  { name: "all online: nothing", rows: many(16, "A"), expect: [] },
  // PON down: ≥ 90 % of the port's ONUs in LOS within one poll cycle.
  {
    name: "10/10 LOS within a minute over two ODBs: one PON incident, not one per ODB",
    rows: [...many(5, "A", (i) => los(ago(20 * MIN - i * 10))), ...many(5, "B", (i) => ({ ...los(ago(20 * MIN - i * 10)), odbName: "NAP-C03" }))],
    expect: [["pon:1:0:3", "pon_down", 10, 10]],
  },
  {
    name: "9/10 LOS is 90 %: PON down",
    rows: [...many(9, "A", los(ago(20 * MIN))), row("X")],
    expect: [["pon:1:0:3", "pon_down", 9, 10]],
  },
  {
    name: "8/10 LOS over two ODBs is a partial at the port, not PON down",
    rows: [...many(4, "A", los(ago(20 * MIN))), ...many(4, "B", { ...los(ago(20 * MIN)), odbName: "NAP-C03" }), row("X"), row("Y", { odbName: "NAP-C03" })],
    expect: [["pon:1:0:3", "partial_los", 8, 10]],
  },
  {
    name: "LOS spread over more than one poll cycle is not PON down",
    rows: [...many(5, "A", los(ago(20 * MIN))), ...many(5, "B", { ...los(ago(20 * MIN - 301)), odbName: "NAP-C03" })],
    expect: [["pon:1:0:3", "partial_los", 10, 10]],
  },
  {
    name: "ONUs dark for days and admin-disabled ones do not dilute a PON down",
    rows: [...many(8, "A", los(ago(20 * MIN))), row("OLD", los(ago(4 * DAY))), row("OFF", { status: "offline", lastStatusChange: ago(2 * DAY) }), row("ADM", { status: "admin_disabled" })],
    expect: [["pon:1:0:3", "pon_down", 8, 11]],
  },
  // Partial (ODB): ≥ 3 ONUs or ≥ 30 %, whichever is larger, within two poll cycles.
  { name: "2 LOS on a large ODB: nothing (2 < 3)", rows: [...many(2, "A", los(ago(20 * MIN))), ...many(14, "B")], expect: [] },
  { name: "3 LOS on an ODB of 10: partial", rows: [...many(3, "A", los(ago(20 * MIN))), ...many(7, "B")], expect: [["odb:1:NAP-C02", "partial_los", 3, 10]] },
  { name: "3 LOS on an ODB of 11: 27 % < 30 %, nothing", rows: [...many(3, "A", los(ago(20 * MIN))), ...many(8, "B")], expect: [] },
  {
    name: "3 LOS at most two poll cycles apart are one event",
    rows: [row("A0", los(ago(20 * MIN))), row("A1", los(ago(20 * MIN - 300))), row("A2", los(ago(20 * MIN - 600))), ...many(7, "B")],
    expect: [["odb:1:NAP-C02", "partial_los", 3, 10]],
  },
  {
    name: "3 LOS spread just over two poll cycles are not",
    rows: [row("A0", los(ago(20 * MIN))), row("A1", los(ago(20 * MIN - 300))), row("A2", los(ago(20 * MIN - 601))), ...many(7, "B")],
    expect: [],
  },
  {
    name: "LOS neighbours days apart are not one event",
    rows: [row("A0", los(ago(20 * MIN))), row("A1", los(ago(2 * DAY))), row("A2", los(ago(3 * DAY))), row("A3", los(ago(5 * DAY))), ...many(4, "B")],
    expect: [],
  },
  {
    name: "a fresh cluster beside older LOS: the fresh one, measured without the old ones",
    rows: [...many(3, "N", los(ago(10 * MIN))), ...many(4, "O", (i) => los(ago((2 + i) * DAY))), ...many(3, "B")],
    expect: [["odb:1:NAP-C02", "partial_los", 3, 10]],
  },
  {
    name: "LOS clusters older than the incident age are abandoned inventory",
    rows: [...many(5, "O", los(ago(4 * DAY))), ...many(3, "B")],
    expect: [],
  },
  { name: "bare Offline is not evidence", rows: [...many(6, "A", { status: "offline", lastStatusChange: ago(10 * MIN) }), ...many(2, "B")], expect: [] },
  { name: "Power fail is not LOS", rows: [...many(2, "A", los(ago(10 * MIN))), ...many(2, "P", pf(ago(10 * MIN))), ...many(6, "B")], expect: [] },
  { name: "no change time: joins no event", rows: [...many(5, "A", { status: "los", lastStatusChange: null }), ...many(2, "B")], expect: [] },
  // Area power: more than 60 % of an ODB in Power fail.
  { name: "4/6 Power fail (67 %): area power", rows: [...many(4, "P", pf(ago(30 * MIN))), ...many(2, "B")], expect: [["power:1:NAP-C02", "area_power", 4, 6]] },
  { name: "3/5 Power fail (60 %, not more): nothing", rows: [...many(3, "P", pf(ago(30 * MIN))), ...many(2, "B")], expect: [] },
  { name: "one lone ONU in Power fail is that home", rows: [row("P0", { ...pf(ago(30 * MIN)), odbName: "NAP-SOLO" })], expect: [] },
  {
    name: "configurable: partial at 2 ONUs",
    rows: [...many(2, "A", los(ago(20 * MIN))), ...many(4, "B")],
    thresholds: { partialLosMinOnus: 2 },
    expect: [["odb:1:NAP-C02", "partial_los", 2, 6]],
  },
  {
    name: "ports and OLTs are apart",
    rows: [...many(2, "A", los(ago(20 * MIN))), ...many(2, "C", { ...los(ago(20 * MIN)), port: 4, odbName: "NAP-D01" }), ...many(2, "D", { ...los(ago(20 * MIN)), oltId: "2", odbName: "NAP-C02" })],
    expect: [],
  },
];

for (const c of cases) {
  test(`outage: ${c.name}`, () => {
    const got = computeIncidents(c.rows, NOW, t(c.thresholds)).map((i) => [i.id, i.kind, i.onusAffected, i.onusTotal]);
    assert.deepEqual(got, c.expect);
  });
}

test("outage: an incident's counts, start, summary and members", () => {
  const rows = [
    ...many(18, "A", (i) => los(ago(20 * MIN - i))),
    row("PF", pf(ago(19 * MIN))),
    row("OFF", { status: "offline", lastStatusChange: ago(18 * MIN) }),
    row("OLD", los(ago(3 * DAY))),
  ];
  const [inc] = computeIncidents(rows, NOW, t(), ago(60));
  assert.ok(inc);
  assert.equal(inc.kind, "pon_down");
  assert.deepEqual([inc.onusTotal, inc.onusAffected, inc.losCount, inc.powerFailCount], [21, 18, 18, 1]);
  assert.deepEqual(inc.startedAt, ago(20 * MIN));
  const below = computeIncidents(rows.filter((r) => r.externalId !== "A17"), NOW, t());
  assert.equal(below[0]?.kind, "partial_los", "17 of 19 working ONUs is under 90 %");
  assert.deepEqual(inc.asOf, ago(60));
  assert.equal(inc.summary, "Corte en PON 0/3 de OLT-NORTE: 18/21 ONUs en LOS (y 1 en Power fail): alimentador, SFP o puerto de la OLT");
  assert.ok(inc.memberIds.includes("OFF"), "a bare Offline ONU of the moment belongs, though it is not evidence");
  assert.ok(!inc.memberIds.includes("OLD"), "an ONU dark for days does not");
  assert.equal(findIncidentFor([inc], "A3")?.id, "pon:1:0:3");
  assert.equal(findIncidentFor([inc], "OLD"), null);
});

test("outage: an ODB partial inside a PON down is reported once, at the port", () => {
  const rows = [...many(6, "A", los(ago(20 * MIN))), ...many(4, "B", { ...los(ago(20 * MIN)), odbName: "NAP-C03" })];
  const incidents = computeIncidents(rows, NOW, t());
  assert.deepEqual(incidents.map((i) => i.id), ["pon:1:0:3"]);
});

test("outage: area power on one ODB beside a partial on another", () => {
  const rows = [...many(3, "A", los(ago(20 * MIN))), ...many(3, "B"), ...many(3, "P", { ...pf(ago(50 * MIN)), odbName: "NAP-C03" }), row("Q", { odbName: "NAP-C03" })];
  const incidents = computeIncidents(rows, NOW, t());
  assert.deepEqual(incidents.map((i) => i.id), ["odb:1:NAP-C02", "power:1:NAP-C03"]);
  assert.equal(findIncidentFor(incidents, "P1")?.kind, "area_power");
  assert.equal(findIncidentFor(incidents, "A1")?.kind, "partial_los");
  assert.equal(findIncidentFor(incidents, "B1"), null);
});

test("outage: change times in the future (clock skew) count as now", () => {
  const rows = [...many(3, "A", los(new Date(NOW.getTime() + 5 * MIN))), ...many(2, "B")];
  const [inc] = computeIncidents(rows, NOW, t());
  assert.deepEqual(inc?.startedAt, NOW);
});

test("outage: incidentsOf reads a snapshot as of its own time", () => {
  const rows = [...many(3, "A", los(ago(20 * MIN))), ...many(3, "B")];
  assert.deepEqual(incidentsOf({ rows, asOf: ago(60) }, t()).map((i) => [i.id, i.asOf]), [["odb:1:NAP-C02", ago(60)]]);
  assert.equal(incidentsOf({ rows, asOf: null }, t()).length, 1, "without as-of, the newest change is the instant");
  assert.deepEqual(incidentsOf({ rows: [], asOf: null }, t()), []);
  // Four days after the snapshot the same rows are abandoned inventory.
  assert.deepEqual(incidentsOf({ rows, asOf: new Date(NOW.getTime() + 4 * DAY * 1000) }, t()), []);
});
