import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRouterFormat, formatUptime, parseDurationMs, parseRatePair } from "../../lab/routeros/format.js";
import { applyProplist, matchesQuery, type Row } from "../../lab/routeros/query.js";

const rows: Row[] = [
  { name: "ether1", type: "ether", mtu: "1500", comment: "uplink", running: "true" },
  { name: "vlan10", type: "vlan", mtu: "1496", comment: "", running: "false" },
  { name: "<pppoe-alice>", type: "pppoe-in", mtu: "1480", running: "true" },
];
const names = (query: string[]): string[] => rows.filter((r) => matchesQuery(r, query)).map((r) => r.name ?? "");

describe("routeros print queries (§1.8)", () => {
  const cases: Array<[string, string[], string[]]> = [
    ["no query matches all", [], ["ether1", "vlan10", "<pppoe-alice>"]],
    ["equality", ["?type=ether"], ["ether1"]],
    ["?=name=value form", ["?=type=vlan"], ["vlan10"]],
    ["has", ["?comment"], ["ether1", "vlan10"]],
    ["has not", ["?-comment"], ["<pppoe-alice>"]],
    ["numeric less than", ["?<mtu=1490"], ["<pppoe-alice>"]],
    ["numeric greater than", ["?>mtu=1490"], ["ether1", "vlan10"]],
    ["?>comment= means not empty", ["?>comment="], ["ether1"]],
    ["successive words AND", ["?running=true", "?type=ether"], ["ether1"]],
    ["yes/no match true/false", ["?running=yes"], ["ether1", "<pppoe-alice>"]],
    ["OR", ["?type=ether", "?type=vlan", "?#|"], ["ether1", "vlan10"]],
    ["neither (OR then NOT)", ["?type=ether", "?type=vlan", "?#|!"], ["<pppoe-alice>"]],
    ["AND op", ["?running=true", "?mtu=1480", "?#&"], ["<pppoe-alice>"]],
    ["index copy then AND", ["?type=ether", "?#0&"], ["ether1"]],
    ["a copy leaves the entries below it", ["?type=vlan", "?type=ether", "?#0|"], []],
    ["index at end replaces the stack", ["?type=vlan", "?type=ether", "?#1"], ["vlan10"]],
    ["dot copies top", ["?type=ether", "?#.&"], ["ether1"]],
    ["index then dot is a no-op", ["?type=ether", "?type=vlan", "?#1.|"], ["ether1"]],
    ["unknown property never equals", ["?nope=1"], []],
  ];
  for (const [label, query, expected] of cases) {
    it(label, () => assert.deepEqual(names(query), expected));
  }

  it(".proplist keeps listed properties in order and leaves absent ones out", () => {
    assert.deepEqual(applyProplist(rows[2] as Row, ["mtu", "comment", "name"]), { mtu: "1480", name: "<pppoe-alice>" });
    assert.equal(applyProplist(rows[0] as Row, undefined), rows[0]);
  });
});

describe("routeros value formats (§1.9)", () => {
  const instant = new Date("2024-02-05T13:47:44Z");
  it("dates: month names before 7.10, ISO from 7.10", () => {
    assert.equal(createRouterFormat("6.49").date(instant), "feb/05/2024 13:47:44");
    assert.equal(createRouterFormat("7.8").date(instant), "feb/05/2024 13:47:44");
    assert.equal(createRouterFormat("7.15").date(instant), "2024-02-05 13:47:44");
    assert.equal(createRouterFormat("7.18", "America/Argentina/Buenos_Aires").date(instant), "2024-02-05 10:47:44");
  });

  it("ping times: whole ms on v6, ms+us on v7", () => {
    assert.equal(createRouterFormat("6.49").pingTime(9.562), "9ms");
    assert.equal(createRouterFormat("6.49").pingTime(0.4), "0ms");
    assert.equal(createRouterFormat("7.15").pingTime(9.562), "9ms562us");
    assert.equal(createRouterFormat("7.15").pingTime(0.164), "164us");
    assert.equal(createRouterFormat("7.15").pingTime(12), "12ms");
  });

  it("!empty only from 7.18", () => {
    assert.deepEqual(
      (["6.49", "7.8", "7.15", "7.18"] as const).map((v) => createRouterFormat(v).sendsEmpty),
      [false, false, false, true],
    );
  });

  it("uptime as NwNdNhNmNs", () => {
    assert.equal(formatUptime(0), "0s");
    assert.equal(formatUptime((44 * 60 + 55) * 1000), "44m55s");
    assert.equal(formatUptime(((3 * 7 + 4) * 86400 + 12 * 3600 + 23 * 60 + 12) * 1000), "3w4d12h23m12s");
    assert.equal(formatUptime((86400 + 5) * 1000), "1d5s");
  });

  it("durations and rates", () => {
    assert.equal(parseDurationMs("1"), 1000);
    assert.equal(parseDurationMs("200ms"), 200);
    assert.equal(parseDurationMs("1m30s"), 90000);
    assert.equal(parseDurationMs("00:00:02"), 2000);
    assert.equal(parseDurationMs("soon"), undefined);
    assert.deepEqual(parseRatePair("10M/50M 12M/60M"), { upload: 10_000_000, download: 50_000_000 });
    assert.deepEqual(parseRatePair("512k"), { upload: 512_000, download: 512_000 });
  });
});
