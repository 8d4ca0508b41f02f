/**
 * The subscriber join, its exact keys and its FTS index are rebuilt in ranges of rows, so a 100k
 * rebuild never holds the event loop for seconds (docs/RELIABILITY.md). Ranges must change nothing:
 * the same data rebuilt in ranges of 3 rows and in one range per step gives the same tables.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connection, customer, onu, openTempCache, replaceIspCube, replaceRouterSecrets, replaceSmartOlt, secret, type TempCache } from "./fixtures.js";

const N = 40;

async function fill(cache: TempCache): Promise<void> {
  const w = cache.writer;
  const names = ["PÉREZ", "MUÑOZ", "GARCÍA", "ÑANDÚ", "O'BRIEN"];
  await replaceIspCube(w, {
    customers: Array.from({ length: N }, (_, i) =>
      customer({
        id: i + 1,
        name: `${names[i % names.length]} CLIENTE ${i}`,
        docNumber: i % 3 === 0 ? `20-${30_000_000 + i}-1` : `${30_000_000 + i}`,
        phones: i % 2 === 0 ? [`(0221) 15-555-${String(1000 + i)}`, `+54 9 221 444-${String(2000 + i)}`] : [],
        emails: i % 4 === 0 ? [`Cliente${i}@Example.com`] : [],
        address: `Calle ${i} Nº ${100 + i}`,
      }),
    ),
    // Two connections share a PPPoE user; one is deleted; every fifth customer has none.
    connections: Array.from({ length: N }, (_, i) => i)
      .filter((i) => i % 5 !== 4)
      .map((i) => connection({ id: 100 + i, customerId: i + 1, pppoeUser: i === 7 ? "user6" : `user${i}`, deleted: i === 9 })),
    plans: [{ id: 1, name: "Fibra 100", downloadKbps: 102400, uploadKbps: 51200, price: "14400.00" }],
    routers: [
      { nodeId: 1, name: "Nodo Centro", host: "10.0.0.1", port: 8728, type: "Mikrotik" },
      { nodeId: 2, name: "Nodo Norte", host: "10.0.0.2", port: 8728, type: "Mikrotik" },
    ],
  });
  // ONUs: by username, by a name that is a known PPPoE user (auto), by a customer's name (links nothing), and one of its own.
  await replaceSmartOlt(
    w,
    [
      ...Array.from({ length: N / 2 }, (_, i) => onu({ externalId: `HWTC${String(i).padStart(8, "0")}`, pppoeUser: `user${i}` })),
      ...Array.from({ length: 6 }, (_, i) => onu({ externalId: `ZTEG${String(i).padStart(8, "0")}`, pppoeUser: null, name: ` User${N / 2 + i} ` })),
      onu({ externalId: "ZTEGFFFFFFFF", pppoeUser: null, name: "GARCÍA CLIENTE 2" }),
      onu({ externalId: "ALCL00000001", pppoeUser: "onlyonu", status: "los" }),
    ],
    new Date("2026-12-01T12:00:00Z"),
  );
  await replaceRouterSecrets(
    w,
    [
      { router: { nodeId: 1, name: "Nodo Centro", host: "10.0.0.1", port: 8728 }, secrets: Array.from({ length: N / 2 }, (_, i) => secret({ name: `user${i}`, lastCallerId: `AA:BB:CC:00:00:${String(i).padStart(2, "0")}` })) },
      { router: { nodeId: 2, name: "Nodo Norte", host: "10.0.0.2", port: 8728 }, secrets: [secret({ name: "user3" }), secret({ name: "onlysecret", callerId: "DE:AD:BE:EF:00:01" })] },
    ],
    [1, 2],
  );
}

async function tables(cache: TempCache): Promise<Record<string, unknown>> {
  const conn = cache.orm.em.fork().getConnection();
  const q = (sql: string): Promise<unknown> => conn.execute(sql, [], "all");
  const fts: Record<string, unknown> = {};
  for (const term of ["perez", "muñoz", "nandu", "user1*", "cliente", "calle 3*", "aabbcc*", "hwtc*", "221*"]) {
    fts[term] = await q(`select rowid from subscriber_fts where subscriber_fts match '${term.replace(/'/g, "''")}' order by rowid`);
  }
  await q("insert into subscriber_fts(subscriber_fts) values ('integrity-check')");
  return {
    subscriber: await q("select rowid, * from subscriber order by rowid"),
    keys: await q("select * from subscriber_key order by 1, 2, 3"),
    onu: await q("select external_id, pppoe_user, link_via from onu order by external_id"),
    fts,
  };
}

describe("a rebuild in ranges", () => {
  let ranged: TempCache;
  let whole: TempCache;
  before(async () => {
    ranged = await openTempCache({ chunk: 3 });
    whole = await openTempCache({ chunk: 1_000_000 });
    await fill(ranged);
    await fill(whole);
  });
  after(async () => {
    await ranged?.close();
    await whole?.close();
  });

  test("writes the same subscribers, keys, ONU links and search index as one range per step", async () => {
    const a = await tables(ranged);
    const b = await tables(whole);
    assert.ok((a.subscriber as unknown[]).length > 30, `every PPPoE user of every system is a row (${(a.subscriber as unknown[]).length})`);
    assert.ok((a.keys as unknown[]).length > N, "phones, documents, serials and e-mails have keys");
    assert.deepEqual(a, b);
  });

  test("a second rebuild over the same data changes nothing", async () => {
    const before = await tables(ranged);
    await replaceSmartOlt(ranged.writer, [onu({ externalId: "ALCL00000001", pppoeUser: "onlyonu", status: "los" })], new Date("2026-12-01T12:00:00Z"));
    await fill(ranged);
    assert.deepEqual(await tables(ranged), before);
  });
});
