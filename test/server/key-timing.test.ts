import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.js";

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(() => srv.close());

test("a wrong secret for a recently used key id costs the same lookup as an unknown id; only a match is cached", async () => {
  let lookups = 0;
  const em = srv.app.orm.em;
  const fork = em.fork.bind(em);
  em.fork = ((...args: Parameters<typeof em.fork>) => {
    lookups++;
    return fork(...args);
  }) as typeof em.fork;
  const count = async (key: string): Promise<number> => {
    const before = lookups;
    await srv.app.keys.verify(key);
    return lookups - before;
  };
  const [, id] = srv.readKey.split("_");
  assert.equal(await count(srv.readKey), 1, "first use: looked up");
  assert.equal(await count(srv.readKey), 0, "then cached");
  const wrongSecret = `bh_${id}_${"C".repeat(43)}`;
  const unknownId = `bh_ffffffffffff_${"C".repeat(43)}`;
  assert.equal(await count(wrongSecret), await count(unknownId), "the same work for both failures");
  assert.equal(await count(wrongSecret), 1);
  assert.equal(await srv.app.keys.verify(wrongSecret), undefined);
  assert.ok(await srv.app.keys.verify(srv.readKey), "the right secret still passes");
});
