import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCommand } from "../../lab/routeros/commands.js";
import { createRouterFormat } from "../../lab/routeros/format.js";
import { matchesQuery, namesWanted } from "../../lab/routeros/query.js";
import { printTables, type TableContext } from "../../lab/routeros/tables.js";
import { createTrafficMeter } from "../../lab/routeros/traffic.js";
import { makeRouter } from "./routeros-fixture.js";

/**
 * A `?name=X` print renders only X's rows (TableContext.names): the shortcut must answer exactly what
 * rendering the whole table and applying the query answers, `.id`s included.
 */
function world(): TableContext {
  const router = makeRouter("7.15");
  router.active.push({ name: "bob", address: "10.20.0.11", callerId: "d0:d0:4b:36:7c:c2", since: "2025-06-09T12:00:00Z", rttMs: 5 });
  router.traffic.push({ name: "bob", downloadBps: 3_000_000, uploadBps: 500_000 });
  router.queues.push({ name: "bob-q", target: "<pppoe-bob>", maxLimit: "5M/5M" }, { name: "yes", target: "10.20.0.10/32", maxLimit: "1M/1M" });
  return { router, now: new Date("2025-06-10T12:00:00Z"), fmt: createRouterFormat("7.15", "UTC"), meter: createTrafficMeter(), scenarioStart: new Date("2025-06-10T00:00:00Z") };
}

const QUERIES: string[][] = [
  ["?name=alice"],
  ["?=name=bob"],
  ["?name=<pppoe-alice>"],
  ["?name=<pppoe-bob>", "?dynamic=true"],
  ["?name=bob-q"],
  ["?name=ether1"],
  ["?name=ether2", "?name=ether2"],
  ["?name=nobody"],
  ["?name=bob", "?disabled=false"],
  ["?name=true"],
  ["?name=yes"],
  ["?name="],
  // An OR can let other names through: no shortcut.
  ["?name=alice", "?name=bob", "?#|"],
];

describe("routeros prints filtered by name", () => {
  for (const [path, table] of Object.entries(printTables)) {
    it(`${path}: a ?name= print answers what the whole table filtered answers`, () => {
      for (const query of QUERIES) {
        const names = namesWanted(query);
        const whole = table(world()).filter((r) => matchesQuery(r, query));
        const narrowed = table({ ...world(), ...(names ? { names } : {}) }).filter((r) => matchesQuery(r, query));
        assert.deepEqual(narrowed, whole, `${path} ${query.join(" ")}`);
      }
    });
  }

  it("renders only the wanted rows, with the ids they have in the whole table", () => {
    const only = (table: keyof typeof printTables, name: string): string[] =>
      (printTables[table] ?? (() => []))({ ...world(), names: new Set([name]) }).map((r) => `${r.name} ${r[".id"]}`);
    assert.deepEqual(only("/ppp/secret", "bob"), ["bob *2"]);
    assert.deepEqual(only("/ppp/active", "bob"), ["bob *80000001"]);
    assert.deepEqual(only("/queue/simple", "<pppoe-bob>"), ["<pppoe-bob> *1000001"]);
    assert.deepEqual(only("/queue/simple", "bob-q"), ["bob-q *2"]);
    assert.deepEqual(only("/interface", "<pppoe-bob>"), ["<pppoe-bob> *F00001"]);
    // The ether ports sum every session, so they are rendered, and the sessions are not returned.
    assert.deepEqual(only("/interface", "ether1"), ["ether1 *1"]);
  });

  it("a narrowed print still advances every session's counters, so a later rate change is not applied back", () => {
    // Counters integrate at each read: a ?name= print that skipped bob would let bob's new rate count
    // from bob's last read instead of from this print.
    const at = (hhmm: string): Date => new Date(`2025-06-10T${hhmm}:00Z`);
    const bobCounters = (narrowAt1230: boolean): string[] => {
      const counters: string[] = [];
      for (const [path, field, bob] of [
        ["/interface", "tx-byte", "<pppoe-bob>"],
        ["/queue/simple", "bytes", "<pppoe-bob>"],
      ] as const) {
        const t = world();
        const table = printTables[path];
        assert.ok(table);
        const traffic = t.router.traffic.find((x) => x.name === "bob");
        assert.ok(traffic);
        traffic.downloadBps = 3_000_000;
        table({ ...t, now: at("12:00") });
        table({ ...t, now: at("12:30"), ...(narrowAt1230 ? { names: new Set(["<pppoe-alice>"]) } : {}) });
        traffic.downloadBps = 0;
        const row = table({ ...t, now: at("13:00") }).find((r) => r.name === bob);
        counters.push(`${path} ${row?.[field]}`);
      }
      return counters;
    };
    assert.deepEqual(bobCounters(true), bobCounters(false));
  });

  it("runCommand renders only the wanted secrets of a ?name= print (each rendered secret's password is read)", () => {
    const t = world();
    const rendered: string[] = [];
    t.router.secrets = t.router.secrets.map((secret) => {
      const copy = { ...secret };
      Object.defineProperty(copy, "password", {
        enumerable: true,
        get: () => {
          rendered.push(secret.name);
          return secret.password;
        },
      });
      return copy;
    });
    const env = { router: t.router, now: () => t.now, meter: t.meter, scenarioStart: t.scenarioStart };
    const print = (queries: string[]): unknown => runCommand({ path: "/ppp/secret/print", attrs: { ".proplist": "name" }, queries }, env);
    assert.deepEqual(print(["?name=bob"]), { kind: "reply", sentences: [["!re", "=name=bob"], ["!done"]] });
    assert.deepEqual(rendered, ["bob"]);
    rendered.length = 0;
    print(["?name=bob", "?name=carol", "?#|"]);
    assert.deepEqual(rendered, ["alice", "bob", "carol"], "an OR renders every row");
  });

  it("namesWanted: only plain ANDs holding ?name=X or ?=name=X narrow", () => {
    assert.deepEqual(namesWanted(["?name=alice", "?disabled=false"]), new Set(["alice"]));
    assert.deepEqual(namesWanted(["?=name=<pppoe-bob>"]), new Set(["<pppoe-bob>"]));
    assert.deepEqual(namesWanted(["?name=no"]), new Set(["no", "false"]));
    assert.equal(namesWanted([]), undefined);
    assert.equal(namesWanted(["?name"]), undefined);
    assert.equal(namesWanted(["?-name"]), undefined);
    assert.equal(namesWanted(["?>name=a"]), undefined);
    assert.equal(namesWanted(["?name=a", "?name=b", "?#|"]), undefined);
  });
});
