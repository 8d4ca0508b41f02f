import { test } from "node:test";
import assert from "node:assert/strict";
import type { TriageFacts } from "../../src/diagnosis/triage/facts.js";
import { runRules } from "../../src/diagnosis/triage/triage.js";
import { DAY, HOUR, ago, facts, onu, options, peer, ruleIds } from "./fixtures.js";

interface Case {
  name: string;
  facts: TriageFacts;
  fires: string[];
  silent: string[];
  opts?: Parameters<typeof options>[0];
}

const samples = (values: number[]): Array<{ at: Date; rxPowerDbm: number; oltRxPowerDbm: number }> =>
  values.map((v, i) => ({ at: ago((i + 1) * HOUR), rxPowerDbm: v, oltRxPowerDbm: -21 }));

const cases: Case[] = [
  // ONU Rx bands (B+): overload above -8, warning below -25, critical below -27, failed below -28.
  { name: "rx -25.00 is still good", facts: facts({ onu: onu({ rxPowerDbm: -25 }) }), fires: [], silent: ["optical.rx_warning", "optical.rx_critical"] },
  { name: "rx -25.01 is a warning", facts: facts({ onu: onu({ rxPowerDbm: -25.01 }) }), fires: ["optical.rx_warning"], silent: ["optical.rx_critical"] },
  { name: "rx -27.00 is a warning", facts: facts({ onu: onu({ rxPowerDbm: -27 }) }), fires: ["optical.rx_warning"], silent: ["optical.rx_critical"] },
  { name: "rx -27.01 is critical", facts: facts({ onu: onu({ rxPowerDbm: -27.01 }) }), fires: ["optical.rx_critical"], silent: ["optical.rx_warning"] },
  { name: "rx -29 is critical (failed)", facts: facts({ onu: onu({ rxPowerDbm: -29 }) }), fires: ["optical.rx_critical"], silent: [] },
  { name: "rx -8.00 is not overload", facts: facts({ onu: onu({ rxPowerDbm: -8 }) }), fires: [], silent: ["optical.overload"] },
  { name: "rx -7.99 is overload", facts: facts({ onu: onu({ rxPowerDbm: -7.99 }) }), fires: ["optical.overload"], silent: [] },
  { name: "olt rx -7.9 is overload", facts: facts({ onu: onu({ oltRxPowerDbm: -7.9 }) }), fires: ["optical.overload"], silent: [] },
  { name: "no reading: no optical finding", facts: facts({ onu: onu({ rxPowerDbm: null, oltRxPowerDbm: null }) }), fires: [], silent: ["optical.rx_critical", "optical.olt_rx_critical"] },
  { name: "levels of an ONU in LOS are ignored", facts: facts({ onu: onu({ status: "los", rxPowerDbm: -30 }) }), fires: ["onu.los"], silent: ["optical.rx_critical"] },
  { name: "custom threshold: -26 critical at -25.5", facts: facts({ onu: onu({ rxPowerDbm: -26 }) }), opts: { onuRxCriticalDbm: -25.5 }, fires: ["optical.rx_critical"], silent: [] },
  // OLT Rx: warning below -27, critical below -28.
  { name: "olt rx -27.00 good", facts: facts({ onu: onu({ oltRxPowerDbm: -27 }) }), fires: [], silent: ["optical.olt_rx_warning", "optical.olt_rx_critical"] },
  { name: "olt rx -27.01 warning", facts: facts({ onu: onu({ oltRxPowerDbm: -27.01 }) }), fires: ["optical.olt_rx_warning"], silent: ["optical.olt_rx_critical"] },
  { name: "olt rx -28.00 warning", facts: facts({ onu: onu({ oltRxPowerDbm: -28 }) }), fires: ["optical.olt_rx_warning"], silent: ["optical.olt_rx_critical"] },
  { name: "olt rx -28.01 critical", facts: facts({ onu: onu({ oltRxPowerDbm: -28.01 }) }), fires: ["optical.olt_rx_critical"], silent: ["optical.olt_rx_warning"] },
  // Own median: a drop of 2 dB or more.
  {
    name: "drop 1.99 dB against the median: nothing",
    facts: facts({ onu: onu({ rxPowerDbm: -21.19, signalHistory: samples([-19.2, -19.2, -19.2]) }) }),
    fires: [],
    silent: ["optical.drop_vs_median"],
  },
  {
    name: "drop 2.0 dB against the median",
    facts: facts({ onu: onu({ rxPowerDbm: -21.2, signalHistory: samples([-19.2, -19.1, -19.3]) }) }),
    fires: ["optical.drop_vs_median"],
    silent: [],
  },
  {
    name: "too few samples: no median",
    facts: facts({ onu: onu({ rxPowerDbm: -23, signalHistory: samples([-19.2, -19.2]) }) }),
    fires: [],
    silent: ["optical.drop_vs_median"],
  },
  {
    name: "samples older than the lookback are ignored",
    facts: facts({ onu: onu({ rxPowerDbm: -23, signalHistory: samples([-19, -19, -19]).map((s) => ({ ...s, at: ago(8 * DAY) })) }) }),
    fires: [],
    silent: ["optical.drop_vs_median"],
  },
  // ODB peers: best three online, 1 dB warning, 3 dB critical.
  {
    name: "0.99 dB worse than the best three: nothing",
    facts: facts({ onu: onu({ rxPowerDbm: -19.99 }), peers: { freshness: "cached", onus: [peer(1), peer(2), peer(3), peer(4, { rxPowerDbm: -24 })] } }),
    fires: [],
    silent: ["optical.worse_than_odb_peers"],
  },
  {
    name: "1 dB worse than the best three: warning",
    facts: facts({ onu: onu({ rxPowerDbm: -20 }), peers: { freshness: "cached", onus: [peer(1), peer(2), peer(3), peer(4, { rxPowerDbm: -24 })] } }),
    fires: ["optical.worse_than_odb_peers"],
    silent: [],
  },
  {
    name: "offline and other-ODB peers are not the reference",
    facts: facts({
      onu: onu({ rxPowerDbm: -21.5 }),
      peers: { freshness: "cached", onus: [peer(1, { rxPowerDbm: -21 }), peer(2, { status: "los", rxPowerDbm: -15 }), peer(3, { odbName: "NAP-X", rxPowerDbm: -15 })] },
    }),
    fires: [],
    silent: ["optical.worse_than_odb_peers"],
  },
  {
    name: "an overloaded peer (too hot) is not the reference",
    facts: facts({
      onu: onu({ rxPowerDbm: -20.1 }),
      peers: { freshness: "cached", onus: [peer(1, { rxPowerDbm: -6.8 }), peer(2, { rxPowerDbm: -19.7 }), peer(3, { rxPowerDbm: -20.6 })] },
    }),
    fires: [],
    silent: ["optical.worse_than_odb_peers"],
  },
  // Whole ODB low: at least 3 online readings, 80 % below the warning level.
  {
    name: "4 of 5 ODB ONUs below -25: ODB low",
    facts: facts({ onu: onu({ rxPowerDbm: -26 }), peers: { freshness: "cached", onus: [peer(1, { rxPowerDbm: -26 }), peer(2, { rxPowerDbm: -25.5 }), peer(3, { rxPowerDbm: -26.5 }), peer(4)] } }),
    fires: ["optical.odb_low"],
    silent: [],
  },
  {
    name: "3 of 5 ODB ONUs below -25: not the whole ODB",
    facts: facts({ onu: onu({ rxPowerDbm: -26 }), peers: { freshness: "cached", onus: [peer(1, { rxPowerDbm: -26 }), peer(2, { rxPowerDbm: -25.5 }), peer(3), peer(4)] } }),
    fires: [],
    silent: ["optical.odb_low"],
  },
  {
    name: "2 readings are too few to call an ODB low",
    facts: facts({ onu: onu({ rxPowerDbm: -26 }), peers: { freshness: "cached", onus: [peer(1, { rxPowerDbm: -26 })] } }),
    fires: [],
    silent: ["optical.odb_low"],
  },
  // PON port: two or more ONUs each dropping 1.5 dB or more against their own medians.
  {
    name: "two port peers dropping 1.5 dB: PON degrading",
    facts: facts({
      peers: {
        freshness: "cached",
        onus: [peer(1, { odbName: "NAP-A", rxPowerDbm: -21.5, recentRxPowerDbm: [-20, -20, -20] }), peer(2, { odbName: "NAP-B", rxPowerDbm: -22, recentRxPowerDbm: [-20, -20.5, -20] })],
      },
    }),
    fires: ["optical.pon_degrading"],
    silent: [],
  },
  {
    name: "one peer dropping 1.49 dB and one 2 dB: not enough",
    facts: facts({
      peers: {
        freshness: "cached",
        onus: [peer(1, { rxPowerDbm: -21.49, recentRxPowerDbm: [-20, -20, -20] }), peer(2, { rxPowerDbm: -22, recentRxPowerDbm: [-20, -20, -20] })],
      },
    }),
    fires: [],
    silent: ["optical.pon_degrading"],
  },
  {
    name: "the customer's own drop counts for the port",
    facts: facts({
      onu: onu({ rxPowerDbm: -21, signalHistory: samples([-19.2, -19.2, -19.2]) }),
      peers: { freshness: "cached", onus: [peer(1, { port: 3, rxPowerDbm: -21.5, recentRxPowerDbm: [-20, -20, -20] })] },
    }),
    fires: ["optical.pon_degrading"],
    silent: [],
  },
  {
    name: "peers on another port do not count",
    facts: facts({
      peers: {
        freshness: "cached",
        onus: [peer(1, { port: 4, rxPowerDbm: -22, recentRxPowerDbm: [-20, -20, -20] }), peer(2, { port: 4, rxPowerDbm: -22, recentRxPowerDbm: [-20, -20, -20] })],
      },
    }),
    fires: [],
    silent: ["optical.pon_degrading"],
  },
];

for (const c of cases) {
  test(`optical: ${c.name}`, () => {
    const ids = ruleIds(c.facts, options(c.opts));
    for (const id of c.fires) assert.ok(ids.includes(id), `${id} should fire; got ${ids.join(", ")}`);
    for (const id of c.silent) assert.ok(!ids.includes(id), `${id} should not fire; got ${ids.join(", ")}`);
  });
}

test("optical: 3 dB worse than the ODB's best three is critical, with its evidence and thresholds", () => {
  const f = facts({ onu: onu({ rxPowerDbm: -22 }), peers: { freshness: "cached", onus: [peer(1), peer(2), peer(3), peer(4, { rxPowerDbm: -25 })] } });
  const finding = runRules(f, options()).find((x) => x.ruleId === "optical.worse_than_odb_peers");
  assert.equal(finding?.severity, "critical");
  assert.deepEqual(
    finding?.evidence.map((e) => [e.source, e.field, e.value, e.freshness]),
    [
      ["smartolt", "onu.rx_power_dbm", "-22.00", "live"],
      ["smartolt", "odb.best_peers_rx_mean_dbm", "-19.00 (3 ONUs)", "cached"],
    ],
  );
  assert.deepEqual(finding?.thresholds.map((t) => [t.name, t.value, t.unit]), [
    ["odb_peer_count", 3, "count"],
    ["odb_peer_warning_db", 1, "dB"],
    ["odb_peer_critical_db", 3, "dB"],
  ]);
  const warn = runRules(facts({ onu: onu({ rxPowerDbm: -21.99 }), peers: f.peers }), options()).find((x) => x.ruleId === "optical.worse_than_odb_peers");
  assert.equal(warn?.severity, "warning");
});
