import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { searchTokens, type Searcher } from "../../src/cache/search.js";
import { connection, customer, onu, openTempCache, replaceIspCube, replaceRouterSecrets, replaceSmartOlt, secret, type TempCache } from "./fixtures.js";

describe("search over the cache", () => {
  let cache: TempCache;
  let search: Searcher;
  before(async () => {
    cache = await openTempCache();
    const w = cache.writer;
    await replaceIspCube(w, {
      customers: [
        customer({ id: 1, name: "PÉREZ JUAN CARLOS", docNumber: "20.123.456", phones: ["(0221) 15-555-1234"], address: "Calle 7 Nº 1234" }),
        customer({ id: 2, name: "MUÑOZ MARÍA", docNumber: "27-33444555-1", status: "blocked", statusRaw: "blocked" }),
        customer({ id: 3, name: "GARCÍA ANA", docNumber: "30111222" }),
      ],
      connections: [
        connection({ id: 10, customerId: 1, pppoeUser: "jperez", address: "Diagonal 74 Nº 1500, La Plata" }),
        connection({ id: 11, customerId: 2, pppoeUser: "mmunoz" }),
        connection({ id: 12, customerId: 3, pppoeUser: "agarcia", deleted: true }),
      ],
      plans: [{ id: 1, name: "Fibra 100", downloadKbps: 102400, uploadKbps: 51200, price: "14400.00" }],
      routers: [{ nodeId: 1, name: "Nodo Centro", host: "10.0.0.1", port: 8728, type: "Mikrotik" }],
    });
    await replaceSmartOlt(w, 
      [onu({ externalId: "HWTC1A2B3C4D", pppoeUser: "jperez" }), onu({ externalId: "ZTEG00AA11BB", pppoeUser: "onlyonu", status: "los" })],
      new Date(),
    );
    await replaceRouterSecrets(w, [
      {
        router: { nodeId: 1, name: "Nodo Centro", host: "10.0.0.1", port: 8728 },
        secrets: [secret({ name: "jperez", lastCallerId: "AA:BB:CC:00:11:22" }), secret({ name: "onlysecret", callerId: "DE:AD:BE:EF:00:01" })],
      },
    ], [1]);
    search = cache.searcher();
  });
  after(() => cache.close());

  test("accent- and case-insensitive names, by word prefix", () => {
    assert.deepEqual(search.search("perez", 10, 0).map((h) => h.pppoeUser), ["jperez"]);
    assert.deepEqual(search.search("munoz mar", 10, 0).map((h) => h.pppoeUser), ["mmunoz"]);
    assert.equal(search.search("MUÑOZ", 10, 0)[0]?.customerStatus, "blocked");
    assert.equal(search.search("perez", 10, 0)[0]?.matchedField, "customer_name");
  });

  test("identifiers: DNI with or without dots, customer code, serial, MAC, PPPoE user, phone", () => {
    assert.equal(search.search("20123456", 10, 0)[0]?.pppoeUser, "jperez");
    assert.equal(search.search("20.123.456", 10, 0)[0]?.matchedField, "doc_number");
    assert.equal(search.search("000002", 10, 0)[0]?.pppoeUser, "mmunoz");
    assert.equal(search.search("hwtc1a2b3c4d", 10, 0)[0]?.matchedField, "onu_serial");
    assert.equal(search.search("HWTC1A", 10, 0)[0]?.pppoeUser, "jperez");
    assert.equal(search.search("aa:bb:cc:00:11:22", 10, 0)[0]?.matchedField, "mac");
    assert.equal(search.search("AABBCC", 10, 0)[0]?.pppoeUser, "jperez");
    assert.equal(search.search("JPerez", 10, 0)[0]?.matchedField, "pppoe_user");
    assert.equal(search.search("0221155551234", 10, 0)[0]?.matchedField, "phones");
  });

  test("subscribers known to only some systems are found, and say which", () => {
    const [o] = search.search("ZTEG00AA11BB", 10, 0);
    assert.deepEqual([o?.pppoeUser, o?.inIspcube, o?.inSmartolt, o?.inRouteros, o?.onuStatus], ["onlyonu", false, true, false, "los"]);
    const [s] = search.search("onlysecret", 10, 0);
    assert.deepEqual([s?.inIspcube, s?.inSmartolt, s?.inRouteros, s?.mac], [false, false, true, "DE:AD:BE:EF:00:01"]);
    const [j] = search.search("jperez", 10, 0);
    assert.deepEqual([j?.inIspcube, j?.inSmartolt, j?.inRouteros], [true, true, true]);
  });

  test("deleted connections do not make a subscriber", () => {
    assert.equal(search.search("garcia", 10, 0).length, 0);
  });

  test("FTS syntax in a query is plain text, never an SQL error", () => {
    for (const q of ['perez"', "NEAR(perez juan)", "perez OR 1=1", "*", "-perez", "pe^rez", "'); drop table subscriber; --", "{name}: x"]) {
      assert.doesNotThrow(() => search.search(q, 10, 0), q);
    }
    assert.deepEqual(searchTokens('NEAR("perez" juan)'), ["near", "perez", "juan"]);
  });

  test("the service address is searchable", () => {
    assert.equal(search.search("diagonal 74", 10, 0)[0]?.pppoeUser, "jperez");
  });
});

describe("broad queries", () => {
  let cache: TempCache;
  let search: Searcher;
  before(async () => {
    cache = await openTempCache();
    const customers = Array.from({ length: 700 }, (_, i) => customer({ id: i + 1, name: `GARCÍA ${i % 7 === 0 ? "PAZ" : "ANA"} ${i}` }));
    const connections = customers.map((c) => connection({ id: c.id, customerId: c.id, pppoeUser: `user${String(c.id).padStart(4, "0")}` }));
    await replaceIspCube(cache.writer, { customers, connections, plans: [], routers: [] });
    search = cache.searcher();
  });
  after(() => cache.close());

  test("more matches than are ranked come in a stable order, and pages neither repeat nor skip", () => {
    const first = search.search("garcia", 20, 0).map((h) => h.pppoeUser);
    const second = search.search("garcia", 20, 20).map((h) => h.pppoeUser);
    assert.equal(first.length, 20);
    assert.deepEqual(first, [...first].sort(), "index order is PPPoE user order");
    assert.equal(new Set([...first, ...second]).size, 40);
    assert.ok((second[0] ?? "") > (first[19] ?? ""));
  });

  test("a narrow query is ranked and still finds every match", () => {
    assert.equal(search.search("garcia paz", 100, 0).length, 100);
    assert.equal(search.search("garcia ana", 100, 550).length, 50, "broad queries page to their end");
  });
});

describe("index order", () => {
  test("unranked results follow the PPPoE user whatever order the systems listed them in", async () => {
    const cache = await openTempCache();
    try {
      const users = ["zz.one", "aa.two", "mm.three", "bb.four"];
      const many = Array.from({ length: 150 }, (_, i) => `u${String(149 - i).padStart(3, "0")}`);
      const all = [...users, ...many];
      const customers = all.map((u, i) => customer({ id: i + 1, name: `GARCÍA ${u}` }));
      const connections = all.map((u, i) => connection({ id: i + 1, customerId: i + 1, pppoeUser: u }));
      await replaceIspCube(cache.writer, { customers, connections, plans: [], routers: [] });
      const page = cache.searcher().search("garcia", 5, 0).map((h) => h.pppoeUser);
      assert.deepEqual(page, ["aa.two", "bb.four", "mm.three", "u000", "u001"]);
    } finally {
      await cache.close();
    }
  });
});

describe("ranking: identifier prefixes, then name words, then the rest", () => {
  test("perez.ma ranks perez.maria first, ahead of names and addresses with the same words", async () => {
    const cache = await openTempCache();
    try {
      const people: [string, string, string][] = [
        ["aa.lopez", "LÓPEZ ANA", "Pérez Mariano 120"],
        ["ab.lopez", "LÓPEZ BETO", "Pérez Manuel 33"],
        ["jperez", "PÉREZ MARCOS", "Belgrano 10"],
        ["perez.maria", "PÉREZ MARÍA JOSÉ", "Entre Ríos 517"],
        ["zz.perez", "PÉREZ MARTA", "Mayo 2"],
      ];
      const customers = people.map(([, name, address], i) => customer({ id: i + 1, name, address }));
      const connections = people.map(([user], i) => connection({ id: i + 1, customerId: i + 1, pppoeUser: user, address: people[i]?.[2] ?? null }));
      await replaceIspCube(cache.writer, { customers, connections, plans: [], routers: [] });
      const hits = cache.searcher().search("perez.ma", 10, 0);
      assert.deepEqual([hits[0]?.pppoeUser, hits[0]?.matchedField], ["perez.maria", "pppoe_user"]);
      // Names before addresses; inside a tier, relevance decides.
      assert.deepEqual(new Set(hits.slice(1, 3).map((h) => `${h.pppoeUser} ${h.matchedField}`)), new Set(["jperez customer_name", "zz.perez customer_name"]));
      assert.deepEqual(new Set(hits.slice(3).map((h) => `${h.pppoeUser} ${h.matchedField}`)), new Set(["aa.lopez address", "ab.lopez address"]));
    } finally {
      await cache.close();
    }
  });
});

describe("broad queries put names first", () => {
  test("a word most subscribers have in their address still lists the customers named so first", async () => {
    const cache = await openTempCache();
    try {
      const street = Array.from({ length: 150 }, (_, i): [string, string, string] => [`a${String(i).padStart(3, "0")}`, `GÓMEZ ANA ${i}`, `Sarmiento ${i + 1}`]);
      const named: [string, string, string][] = [["zz.sarmiento", "SARMIENTO LUIS", "Belgrano 1"], ["zy.sarmiento", "SARMIENTO EVA", "Belgrano 2"]];
      const people = [...street, ...named];
      const customers = people.map(([, name, address], i) => customer({ id: i + 1, name, address }));
      const connections = people.map(([user, , address], i) => connection({ id: i + 1, customerId: i + 1, pppoeUser: user, address }));
      await replaceIspCube(cache.writer, { customers, connections, plans: [], routers: [] });
      const page = cache.searcher().search("sarmiento", 5, 0);
      assert.deepEqual(page.map((h) => [h.pppoeUser, h.matchedField]), [
        ["zy.sarmiento", "customer_name"],
        ["zz.sarmiento", "customer_name"],
        ["a000", "address"],
        ["a001", "address"],
        ["a002", "address"],
      ]);
    } finally {
      await cache.close();
    }
  });
});
