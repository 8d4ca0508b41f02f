import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createSearchPool, type SearchPool } from "../../src/cache/search-pool.js";
import { connection, customer, openTempCache, replaceIspCube, type TempCache } from "./fixtures.js";

let cache: TempCache;
let pool: SearchPool;
before(async () => {
  cache = await openTempCache();
  const customers = Array.from({ length: 300 }, (_, i) => customer({ id: i + 1, name: `${i % 3 === 0 ? "PÉREZ" : "GÓMEZ"} ANA ${i}` }));
  const connections = customers.map((c) => connection({ id: c.id, customerId: c.id, pppoeUser: `user${c.id}` }));
  await replaceIspCube(cache.writer, { customers, connections, plans: [], routers: [] });
  pool = createSearchPool(cache.path, 2);
});
after(async () => {
  await pool.close();
  await cache.close();
});

test("search on worker threads answers exactly what the in-thread searcher does", async () => {
  const local = cache.searcher();
  const queries = ["perez", "gomez ana", "user17", "GÓMEZ", "nadie", "ana 29"];
  const answers = await Promise.all(queries.flatMap((q) => [pool.search(q, 20, 0), pool.search(q, 20, 20)]));
  assert.deepEqual(answers, queries.flatMap((q) => [local.search(q, 20, 0), local.search(q, 20, 20)]));
});

test("a closed pool refuses new searches", async () => {
  const other = createSearchPool(cache.path, 1);
  await other.close();
  await assert.rejects(other.search("perez", 5, 0), /search pool is closed/);
});
