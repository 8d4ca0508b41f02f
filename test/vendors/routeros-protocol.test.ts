/**
 * Replies the lab simulator does not produce, from a few-line router: answers for tags the client
 * never sent or already finished. node-routeros throws UNREGISTEREDTAG for them from its socket
 * handler (shared/vendors/routeros.md §2.6.2); the pool must turn that into a rejected call.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, it } from "node:test";
import { createSentenceDecoder, encodeSentences } from "../../lab/routeros/codec.js";
import type { RouterTarget } from "../../src/domain/types.js";
import { isVendorError } from "../../src/vendors/errors.js";
import { createRouterPool, type RouterPool } from "../../src/vendors/routeros/client.js";
import { TEST_RESILIENCE, within } from "./routeros-fixture.js";

/** Sentences to answer a command with; a `null` entry waits 20 ms before writing the rest. */
type Answer = (tag: string) => (string[] | null)[];

interface OddRouter {
  target: RouterTarget;
  logins: number;
  /** Resolves once `n` client connections have closed (counted since the router started). */
  closed(n: number): Promise<void>;
  /** How the next commands (not /login) are answered. */
  answer: Answer;
  close(): Promise<void>;
}

async function startOddRouter(answer: Answer): Promise<OddRouter> {
  const sockets = new Set<Socket>();
  const state = { logins: 0, closes: 0, answer };
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      state.closes++;
      for (const w of waiters.filter((x) => state.closes >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    socket.on("error", () => {});
    const decoder = createSentenceDecoder();
    socket.on("data", (chunk) => {
      for (const words of decoder.push(chunk)) {
        const tag = words.find((w) => w.startsWith(".tag="))?.slice(5) ?? "";
        if (words[0] === "/login") state.logins++;
        const reply = words[0] === "/login" ? [["!done", `.tag=${tag}`]] : state.answer(tag);
        void writeInBatches(socket, reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    target: { name: "odd", host: "127.0.0.1", port, nodeId: 0 },
    get logins() {
      return state.logins;
    },
    closed: (n) => (state.closes >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    get answer() {
      return state.answer;
    },
    set answer(a: Answer) {
      state.answer = a;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function writeInBatches(socket: Socket, reply: (string[] | null)[]): Promise<void> {
  let batch: string[][] = [];
  for (const s of [...reply, null]) {
    if (s) {
      batch.push(s);
      continue;
    }
    if (batch.length > 0 && !socket.destroyed) socket.write(encodeSentences(batch));
    batch = [];
    await new Promise((r) => setTimeout(r, 20));
  }
}

const secretRow: Answer = (tag) => [
  ["!re", "=name=alice", "=profile=10M", `.tag=${tag}`],
  ["!done", `.tag=${tag}`],
];

let router: OddRouter | undefined;
let pool: RouterPool | undefined;
afterEach(async () => {
  await pool?.close();
  await router?.close();
  pool = router = undefined;
});

function newPool(): RouterPool {
  return createRouterPool({ defaultHost: undefined, port: 8728, user: "u", password: "p", timezone: "UTC" }, { resilience: TEST_RESILIENCE });
}

describe("routeros pool: replies for tags never sent", () => {
  it("a reply under a foreign tag fails the call as bad_response; the next call reconnects", async () => {
    router = await startOddRouter(() => [
      ["!re", "=name=X", ".tag=never-sent"],
      ["!done", ".tag=never-sent"],
    ]);
    pool = newPool();
    await assert.rejects(within(pool.secret(router.target, "alice")), (err) => isVendorError(err, "bad_response") && /UNREGISTEREDTAG/.test(err.message));
    router.answer = secretRow;
    assert.equal((await pool.secret(router.target, "alice"))?.profile, "10M");
    assert.equal(router.logins, 2);
  });

  it("a stray !done after the reply drops the connection, not the process", async () => {
    router = await startOddRouter((tag) => [...secretRow(tag), null, ["!done", `.tag=${tag}`]]);
    pool = newPool();
    assert.equal((await within(pool.secret(router.target, "alice")))?.profile, "10M");
    router.answer = secretRow;
    // The stray !done comes 20 ms after the reply; wait for the client to drop that connection (an
    // event, not a delay: on a loaded machine it can arrive after any fixed wait).
    await within(router.closed(1));
    assert.equal((await pool.secret(router.target, "alice"))?.profile, "10M");
    assert.equal(router.logins, 2, "the connection that carried the stray !done was not reused");
  });
});
