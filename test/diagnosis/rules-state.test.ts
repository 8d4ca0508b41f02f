import { test } from "node:test";
import assert from "node:assert/strict";
import type { TriageFacts } from "../../src/diagnosis/triage/facts.js";
import { runRules } from "../../src/diagnosis/triage/triage.js";
import { DAY, HOUR, MIN, NOW, ago, facts, onu, options, ruleIds } from "./fixtures.js";

const base = facts();
const customer = base.customer!;
const pppoe = base.pppoe!;
const secret = pppoe.secret!;

const blocked = { ...customer, status: "blocked" as const, statusRaw: "blocked", dueDebt: "30100.00", debt: "30100.00", blockedAt: ago(4 * DAY) };
const noSession = { ...pppoe, session: null };
const logins = (secondsAgo: number[]): TriageFacts["sessionHistory"] => ({
  observedAt: NOW,
  freshness: "live",
  since: ago(2 * DAY),
  events: secondsAgo.map((s) => ({ at: ago(s), kind: "login" as const })),
});
const sessions = (pairs: Array<[number, number]>): TriageFacts["sessionHistory"] => ({
  observedAt: NOW,
  freshness: "live",
  since: ago(2 * DAY),
  events: pairs.flatMap(([start, len]) => [
    { at: ago(start), kind: "login" as const },
    { at: ago(start - len), kind: "logout" as const },
  ]),
});
const traffic = (seconds: number[], bps: number): TriageFacts["traffic"] => seconds.map((s) => ({ at: ago(s), downloadBps: bps, uploadBps: 100_000 }));

const cases: Array<{ name: string; facts: TriageFacts; fires: string[]; silent: string[] }> = [
  { name: "healthy customer: nothing fires", facts: base, fires: [], silent: ["billing.blocked", "onu.los", "pppoe.no_session", "freshness.stale"] },
  // Billing and mismatches (§5).
  { name: "blocked", facts: facts({ customer: blocked, pppoe: noSession }), fires: ["billing.blocked"], silent: ["mismatch.blocked_with_session"] },
  { name: "blocked with a live session", facts: facts({ customer: blocked }), fires: ["billing.blocked", "mismatch.blocked_with_session"], silent: [] },
  { name: "no_service", facts: facts({ customer: { ...customer, status: "no_service", statusRaw: "no_service" } }), fires: ["billing.no_service"], silent: ["billing.blocked"] },
  { name: "ONU admin-disabled with the account enabled", facts: facts({ onu: onu({ status: "admin_disabled", adminEnabled: false }) }), fires: ["billing.onu_admin_disabled", "mismatch.onu_disabled_account_enabled"], silent: [] },
  { name: "ONU admin-disabled on a blocked account is no mismatch", facts: facts({ customer: blocked, onu: onu({ status: "admin_disabled", adminEnabled: false }) }), fires: ["billing.onu_admin_disabled"], silent: ["mismatch.onu_disabled_account_enabled"] },
  { name: "secret disabled, account enabled", facts: facts({ pppoe: { ...noSession, secret: { ...secret, disabled: true } } }), fires: ["billing.secret_disabled", "mismatch.enabled_secret_disabled"], silent: [] },
  { name: "secret disabled, account blocked: no mismatch", facts: facts({ customer: blocked, pppoe: { ...noSession, secret: { ...secret, disabled: true } } }), fires: ["billing.secret_disabled"], silent: ["mismatch.enabled_secret_disabled"] },
  // ONU states (§2).
  { name: "power fail", facts: facts({ onu: onu({ status: "power_fail", lastStatusChange: ago(2 * HOUR) }) }), fires: ["onu.power_fail"], silent: ["onu.los"] },
  { name: "LOS", facts: facts({ onu: onu({ status: "los", lastStatusChange: ago(25 * MIN) }) }), fires: ["onu.los"], silent: ["onu.power_fail"] },
  { name: "bare offline", facts: facts({ onu: onu({ status: "offline" }) }), fires: ["onu.offline"], silent: ["onu.los"] },
  { name: "ONU dropped to LOS in the last day", facts: facts({ onu: onu({ statusHistory: [{ at: ago(3 * HOUR), status: "los" }, { at: ago(3 * HOUR - 60), status: "online" }] }) }), fires: ["onu.unstable"], silent: [] },
  { name: "a drop more than a day ago is not instability", facts: facts({ onu: onu({ statusHistory: [{ at: ago(DAY + 60), status: "los" }] }) }), fires: [], silent: ["onu.unstable"] },
  // Links.
  { name: "fibre customer without ONU", facts: facts({ onu: null, peers: null, knownIn: ["ispcube", "routeros"] }), fires: ["link.onu_missing"], silent: ["link.unlinked", "onu.los"] },
  { name: "fibre customer, SmartOLT unavailable: ONU unknown, not missing", facts: facts({ onu: null, peers: null, sources: base.sources.map((s) => (s.source === "smartolt" ? { ...s, freshness: "unavailable" as const, asOf: null, reason: "timeout" } : s)) }), fires: ["freshness.unavailable"], silent: ["link.onu_missing"] },
  { name: "fixed wireless: no ONU expected", facts: facts({ access: "fixed_wireless", onu: null, peers: null, knownIn: ["ispcube", "routeros"] }), fires: [], silent: ["link.onu_missing", "link.unlinked"] },
  { name: "not in ISPCube", facts: facts({ customer: null, knownIn: ["smartolt", "routeros"] }), fires: ["link.unlinked"], silent: [] },
  // PPPoE (§4).
  { name: "secret missing", facts: facts({ pppoe: { ...pppoe, secret: null, session: null } }), fires: ["pppoe.secret_missing"], silent: ["pppoe.no_session"] },
  { name: "router unread: neither missing nor down", facts: facts({ pppoe: null }), fires: [], silent: ["pppoe.secret_missing", "pppoe.no_session"] },
  { name: "no session", facts: facts({ pppoe: noSession }), fires: ["pppoe.no_session"], silent: ["pppoe.new_caller_id"] },
  { name: "new caller-id", facts: facts({ pppoe: { ...noSession, secret: { ...secret, lastCallerId: "AA:BB:CC:00:00:99" } } }), fires: ["pppoe.no_session", "pppoe.new_caller_id"], silent: [] },
  { name: "caller-id compared case-insensitively", facts: facts({ pppoe: { ...noSession, secret: { ...secret, lastCallerId: "aa:bb:cc:00:00:01" } } }), fires: [], silent: ["pppoe.new_caller_id"] },
  { name: "secret locked to another MAC", facts: facts({ pppoe: { ...noSession, secret: { ...secret, callerId: "AA:BB:CC:00:00:02", previousCallerId: null } } }), fires: ["pppoe.new_caller_id"], silent: [] },
  { name: "2 logins in the hour: not flapping", facts: facts({ sessionHistory: logins([10 * MIN, 30 * MIN]) }), fires: [], silent: ["pppoe.flapping"] },
  { name: "3 logins in the hour: flapping", facts: facts({ sessionHistory: logins([10 * MIN, 30 * MIN, 59 * MIN]) }), fires: ["pppoe.flapping"], silent: [] },
  { name: "5 logins in the day: not flapping", facts: facts({ sessionHistory: logins([2, 5, 8, 11, 14].map((h) => h * HOUR)) }), fires: [], silent: ["pppoe.flapping"] },
  { name: "6 logins in the day: flapping", facts: facts({ sessionHistory: logins([2, 5, 8, 11, 14, 20].map((h) => h * HOUR)) }), fires: ["pppoe.flapping"], silent: [] },
  {
    name: "sessions always under 10 min: flapping",
    facts: facts({ sessionHistory: sessions([[5 * HOUR, 9 * MIN], [3 * HOUR, 5 * MIN]]), pppoe: { ...pppoe, session: { ...pppoe.session!, uptimeS: 8 * MIN } } }),
    fires: ["pppoe.flapping"],
    silent: [],
  },
  {
    name: "one session of exactly 10 min breaks 'always short'",
    facts: facts({ sessionHistory: sessions([[5 * HOUR, 10 * MIN], [3 * HOUR, 5 * MIN]]), pppoe: { ...pppoe, session: { ...pppoe.session!, uptimeS: 8 * MIN } } }),
    fires: [],
    silent: ["pppoe.flapping"],
  },
  // Queue at the limit (§4): 90 % of max-limit for 60 s.
  { name: "queue at 90 % for 60 s", facts: facts({ traffic: traffic([60, 30, 0], 45_000_000) }), fires: ["queue.saturated"], silent: ["queue.near_limit"] },
  { name: "queue at 89.9 % for 60 s", facts: facts({ traffic: traffic([60, 30, 0], 44_950_000) }), fires: [], silent: ["queue.saturated"] },
  { name: "queue at the limit for only 59 s", facts: facts({ traffic: traffic([59, 30, 0], 49_000_000) }), fires: [], silent: ["queue.saturated"] },
  { name: "one dip inside the window", facts: facts({ traffic: [...traffic([60, 0], 49_000_000), ...traffic([30], 10_000_000)] }), fires: [], silent: ["queue.saturated"] },
  { name: "queue without max-limit uses the plan", facts: facts({ queue: { ...base.queue!, maxDownloadBps: 0 }, traffic: traffic([60, 0], 48_000_000) }), fires: ["queue.saturated"], silent: [] },
  { name: "queue at the limit right now only", facts: facts({ queue: { ...base.queue!, downloadBps: 49_000_000 } }), fires: ["queue.near_limit"], silent: ["queue.saturated"] },
  // Router burst (§3).
  {
    name: "5 logouts around the drop corroborate an area event",
    facts: facts({ onu: onu({ status: "los", lastStatusChange: ago(20 * MIN) }), routerLogouts: { observedAt: NOW, freshness: "live", times: [0, 10, 30, 60, 120].map((s) => ago(20 * MIN + s)) } }),
    fires: ["pppoe.disconnect_burst"],
    silent: [],
  },
  {
    name: "4 logouts, or ones outside the window, are no burst",
    facts: facts({ onu: onu({ status: "los", lastStatusChange: ago(20 * MIN) }), routerLogouts: { observedAt: NOW, freshness: "live", times: [0, 10, 30, 60, 121].map((s) => ago(20 * MIN + s)) } }),
    fires: [],
    silent: ["pppoe.disconnect_burst"],
  },
];

for (const c of cases) {
  test(`rules: ${c.name}`, () => {
    const ids = ruleIds(c.facts);
    for (const id of c.fires) assert.ok(ids.includes(id), `${id} should fire; got ${ids.join(", ")}`);
    for (const id of c.silent) assert.ok(!ids.includes(id), `${id} should not fire; got ${ids.join(", ")}`);
  });
}

test("freshness: cached beyond its source's age is stale; unavailable says why", () => {
  const sources = [
    { source: "ispcube" as const, freshness: "cached" as const, asOf: ago(86_400), reason: null },
    { source: "smartolt" as const, freshness: "cached" as const, asOf: ago(901), reason: "breaker open" },
    { source: "routeros" as const, freshness: "unavailable" as const, asOf: null, reason: "timeout" },
  ];
  const findings = runRules(facts({ sources, pppoe: null }), options());
  const stale = findings.find((f) => f.ruleId === "freshness.stale");
  assert.deepEqual(stale?.evidence.map((e) => e.source), ["smartolt"]);
  assert.deepEqual(stale?.thresholds.map((t) => [t.name, t.value]), [["cached_max_age_smartolt_s", 900]]);
  const down = findings.find((f) => f.ruleId === "freshness.unavailable");
  assert.deepEqual(down?.evidence.map((e) => [e.source, e.value]), [["routeros", "unavailable: timeout"]]);
});

test("billing.blocked names the overdue amount and the date, with ISPCube evidence", () => {
  const f = runRules(facts({ customer: blocked, pppoe: noSession }), options()).find((x) => x.ruleId === "billing.blocked");
  assert.equal(f?.summary, "Cliente bloqueado por deuda ($ 30.100 vencidos) desde el 28/11.");
  assert.ok(f?.evidence.every((e) => e.source === "ispcube" && e.freshness === "live"));
});

test("every finding carries a Spanish summary and evidence with source, field and value", () => {
  const all = cases.flatMap((c) => runRules(c.facts, options()));
  assert.ok(all.length > 30);
  for (const f of all) {
    assert.ok(f.summary.length > 10, f.ruleId);
    assert.ok(f.evidence.length > 0, `${f.ruleId} has no evidence`);
    for (const e of f.evidence) assert.ok(e.field !== "" && e.value !== "", `${f.ruleId}: ${JSON.stringify(e)}`);
  }
});
