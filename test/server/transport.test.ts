import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { once } from "node:events";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { connectRawH2, grpcRequest } from "../helpers/raw-h2.js";

/** /health over HTTP/1.1 from a given loopback address, waiting as long as it takes. */
function health(srv: TestServer, localAddress = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: srv.port, path: "/health", localAddress, agent: false }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
  });
}

/** grpc.health.v1 Check over HTTP/2 on a fresh connection. */
async function healthOverH2(srv: TestServer): Promise<number> {
  const client = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
  return (await client.check({ service: "" })).status;
}

/** Resolves when the socket closes, however it closes (a refused connection errors first). */
function closed(s: net.Socket): Promise<void> {
  return s.closed ? Promise.resolve() : new Promise((resolve) => s.once("close", () => resolve()));
}

/** A connection the server should refuse: resolves once it is closed. */
function refusedConnection(srv: TestServer, localAddress = "127.0.0.1"): Promise<void> {
  const s = net.connect({ port: srv.port, host: "127.0.0.1", localAddress });
  s.on("error", () => undefined);
  s.resume();
  return closed(s);
}

async function openSockets(srv: TestServer, count: number, first: string | undefined): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < count; i++) {
    const s = net.connect({ port: srv.port, host: "127.0.0.1" });
    s.on("error", () => undefined);
    // Read whatever comes (an h2 SETTINGS frame), or the end of the stream would wait behind it.
    s.resume();
    await once(s, "connect");
    if (first !== undefined) s.write(first);
    sockets.push(s);
  }
  return sockets;
}

describe("slow and idle connections are closed", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SERVER_HEADERS_TIMEOUT_MS: "800", SERVER_IDLE_TIMEOUT_MS: "800", SERVER_REQUEST_TIMEOUT_MS: "1500" });
  });
  after(() => srv.close());

  test("slowloris on HTTP/1.1, silent sockets and a bare h2 preface: all closed by the server, /health answered meanwhile", async () => {
    const partial = await openSockets(srv, 60, "GET /health HTTP/1.1\r\nHost: beholder\r\nX-a: ");
    const silent = await openSockets(srv, 30, undefined);
    const sniffed = await openSockets(srv, 30, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    const all = [...partial, ...silent, ...sniffed];
    const allClosed = Promise.all(all.map(closed));
    assert.equal(await health(srv), 200);
    assert.equal(await healthOverH2(srv), 1);
    // Nothing here ever closes them from this side: only the server's deadlines can.
    await allClosed;
  });

  test("a header trickled one byte at a time does not reset the deadline", async () => {
    const [s] = await openSockets(srv, 1, "G");
    assert.ok(s);
    const done = closed(s);
    let sent = 0;
    const drip = setInterval(() => {
      if (!s.destroyed && sent++ < 100) s.write("E");
    }, 100);
    await done;
    clearInterval(drip);
    assert.ok(sent < 100, "the server closed it before the client ran out of bytes");
  });

  test("a request body that never arrives is cut; keep-alive sockets expire", async () => {
    const s = net.connect({ port: srv.port, host: "127.0.0.1" });
    s.resume();
    await once(s, "connect");
    s.write(`POST /beholder.v1.SearchService/Search HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nX-Api-Key: ${srv.readKey}\r\nContent-Length: 100\r\n\r\n{"q`);
    await closed(s);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const socket = await new Promise<net.Socket>((resolve) => {
      http.get({ port: srv.port, host: "127.0.0.1", path: "/health", agent }, (res) => {
        const socket = res.socket;
        res.resume();
        res.once("end", () => resolve(socket));
      });
    });
    await closed(socket);
    agent.destroy();
  });

  test("an idle HTTP/2 session is closed with GOAWAY; one with an open stream is not idle", async () => {
    const session = http2.connect(srv.url);
    session.on("error", () => undefined);
    const goaway = once(session, "goaway");
    await once(session, "remoteSettings");
    await goaway;
    await once(session, "close");
    // A watch that stays quiet longer than the idle timeout keeps its connection.
    const client = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
    const abort = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const res of client.watch({ service: "" }, { signal: abort.signal })) {
        seen.push(res.status);
        if (seen.length === 1) setTimeout(() => abort.abort(), 2500);
      }
    })().catch(() => undefined);
    await watching;
    assert.deepEqual(seen, [1], "the stream was served until the client itself cancelled it");
  });
});

describe("connection caps", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SERVER_MAX_CONNECTIONS: "60", SERVER_MAX_CONNECTIONS_PER_IP: "40" });
  });
  after(() => srv.close());

  test("one address gets at most its share; another address is still served", async () => {
    const held = await openSockets(srv, 40, undefined);
    await Promise.all([1, 2, 3, 4, 5].map(() => refusedConnection(srv)));
    assert.equal(await health(srv, "127.0.0.2"), 200);
    const more = [];
    for (let i = 0; i < 20; i++) {
      const s = net.connect({ port: srv.port, host: "127.0.0.1", localAddress: `127.0.0.${3 + i}` });
      s.on("error", () => undefined);
      s.resume();
      await once(s, "connect");
      more.push(s);
    }
    // The total is full now, of connections that never sent a request (a slowloris spread over many
    // addresses): a newcomer is admitted and the oldest of them is closed to make room.
    const oldest = held[0];
    assert.ok(oldest);
    assert.equal(await health(srv, "127.0.1.1"), 200);
    await closed(oldest);
    assert.ok(held.slice(1).every((s) => !s.destroyed) && more.every((s) => !s.destroyed), "only the oldest idle connection was closed");
    for (const s of [...held, ...more]) s.destroy();
    await Promise.all([...held, ...more].map(closed));
  });
});

describe("a full connection cap sheds connections that never completed a call first", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SERVER_MAX_CONNECTIONS: "10", SERVER_MAX_CONNECTIONS_PER_IP: "10" });
  });
  after(() => srv.close());

  test("a client's keep-alive socket and h2 session between calls outlive a slowloris that overfills the cap", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (): Promise<{ status: number; socket: net.Socket }> =>
      new Promise((resolve, reject) => {
        const req = http.get({ host: "127.0.0.1", port: srv.port, path: "/health", agent, localAddress: "127.0.0.9" }, (res) => {
          const socket = res.socket;
          res.resume();
          res.once("end", () => resolve({ status: res.statusCode ?? 0, socket }));
        });
        req.once("error", reject);
      });
    const h2get = (session: http2.ClientHttp2Session): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = session.request({ ":path": "/health" });
        req.once("response", (headers) => {
          req.resume();
          req.once("end", () => resolve(Number(headers[":status"])));
        });
        req.once("error", reject);
      });
    const first = await get();
    const session = http2.connect(srv.url, { localAddress: "127.0.0.9" } as http2.SecureClientSessionOptions);
    session.on("error", () => undefined);
    assert.equal(await h2get(session), 200);
    // Both are now the oldest connections without a call in flight. 30 sockets that never send a byte
    // arrive over a cap of 10: each admission sheds one connection, 22 in all.
    const attackers: net.Socket[] = [];
    let shedCount = 0;
    let allShed!: () => void;
    const done = new Promise<void>((resolve) => (allShed = resolve));
    const count = (): void => void (++shedCount === 22 && allShed());
    first.socket.once("close", count);
    session.once("close", count);
    for (let i = 0; i < 30; i++) {
      const s = net.connect({ port: srv.port, host: "127.0.0.1", localAddress: `127.0.4.${1 + (i % 3)}` });
      s.on("error", () => undefined);
      s.resume();
      s.once("close", count);
      await once(s, "connect");
      attackers.push(s);
    }
    await done;
    assert.deepEqual([first.socket.destroyed, session.destroyed], [false, false], "the client's connections were not shed");
    const second = await get();
    assert.equal(second.status, 200);
    assert.equal(second.socket, first.socket, "the next call went over the same keep-alive socket");
    assert.equal(await h2get(session), 200);
    assert.equal(attackers.filter((s) => !s.destroyed).length, 8, "the newest 8 attackers hold the rest of the cap");
    for (const s of attackers) s.destroy();
    session.close();
    agent.destroy();
  });
});

describe("the listen backlog", () => {
  // `ss` (iproute2) shows a listening socket's backlog as its Send-Q.
  const ss = spawnSync("ss", ["-V"]).status === 0;
  test("is as deep as the connection cap, so a burst of connections queues instead of being dropped", { skip: !ss && "no ss here" }, async () => {
    const srv = await startTestServer({ SERVER_MAX_CONNECTIONS: "3000" });
    try {
      const row = spawnSync("ss", ["-ltnH", `sport = :${srv.port}`], { encoding: "utf8" }).stdout.trim().split(/\s+/);
      // State, Recv-Q, Send-Q (the backlog; the kernel caps it at net.core.somaxconn), local, peer.
      const somaxconn = Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8"));
      assert.equal(Number(row[2]), Math.min(3000, somaxconn), row.join(" "));
    } finally {
      await srv.close();
    }
  });
});

describe("a full connection cap sheds idle connections, never busy ones", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SERVER_MAX_CONNECTIONS: "4", SERVER_MAX_CONNECTIONS_PER_IP: "4" });
  });
  after(() => srv.close());

  test("four connections each serving a watch fill the cap: a fifth is refused and the watches go on", async () => {
    const abort = new AbortController();
    const firsts: Promise<void>[] = [];
    const watches = [0, 1, 2, 3].map((i) => {
      // One transport per watch: each has its own HTTP/2 connection.
      const client = createClient(Health, createGrpcTransport({ baseUrl: srv.url }));
      let first!: () => void;
      firsts.push(new Promise<void>((resolve) => (first = resolve)));
      return (async () => {
        let n = 0;
        try {
          for await (const _ of client.watch({ service: "" }, { signal: abort.signal })) if (n++ === 0) first();
          return `ended by the server (watch ${i})`;
        } catch {
          return abort.signal.aborted ? "cancelled by the client" : `failed (watch ${i})`;
        }
      })();
    });
    await Promise.all(firsts);
    await refusedConnection(srv, "127.0.1.2");
    abort.abort();
    assert.deepEqual(await Promise.all(watches), Array(4).fill("cancelled by the client"));
  });
});

describe("HTTP/2 streams", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SERVER_MAX_STREAMS_PER_CONNECTION: "20", SERVER_MAX_RESETS_PER_MIN: "100" });
  });
  after(() => srv.close());

  test("SETTINGS advertise the stream cap; streams past it are refused, other clients served", async () => {
    const raw = await connectRawH2(srv.port);
    const settings = await raw.settings;
    assert.equal(settings.get(0x3), 20, "SETTINGS_MAX_CONCURRENT_STREAMS");
    // 60 never-finished requests with a valid key: the body never comes, the stream stays open.
    for (let i = 0; i < 60; i++) {
      raw.headers(1 + 2 * i, grpcRequest("/beholder.v1.SearchService/Search", `127.0.0.1:${srv.port}`, [["x-api-key", srv.readKey]]), false);
    }
    assert.equal(await healthOverH2(srv), 1);
    assert.equal(await health(srv), 200);
    raw.socket.destroy();
  });

  test("rapid reset: the connection gets GOAWAY (ENHANCE_YOUR_CALM), its address waits, others are served", async () => {
    const raw = await connectRawH2(srv.port);
    await raw.settings;
    for (let i = 0; i < 400; i++) {
      const id = 1 + 2 * i;
      raw.headers(id, grpcRequest("/grpc.health.v1.Health/Check", `127.0.0.1:${srv.port}`), false);
      raw.reset(id);
    }
    assert.equal(await raw.goaway, 11);
    await raw.closed;
    // The flood does not resume on a new connection from the same address for a while.
    await refusedConnection(srv);
    assert.equal(await health(srv, "127.0.0.2"), 200);
  });
});
