import { describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import http from "node:http";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fanOutAccepts, type AcceptFanout } from "../../src/server/accept-fanout.js";
import { startTestServer } from "../helpers/server.js";

const BURST = 64;

/** A plain listening server counting what it accepts, with `handles` accepting handles. */
async function countingServer(handles: number, errors: Error[] = [], execPath?: string): Promise<{ server: net.Server; port: number; fanout: AcceptFanout; accepted: () => number }> {
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 });
  await once(server, "listening");
  const fanout = await fanOutAccepts(server, { handles, backlog: 1024, onError: (err) => errors.push(err), execPath });
  return { server, port: (server.address() as net.AddressInfo).port, fanout, accepted: () => accepted };
}

/**
 * Queues `BURST` connections on the port while this process's loop is blocked (another process makes
 * them and exits once each handshake is done), then counts the loop turns until all are accepted.
 */
async function turnsToAccept(port: number, accepted: () => number): Promise<number> {
  const source = `let n = 0; for (let i = 0; i < ${BURST}; i++) require("net").connect(${port}, "127.0.0.1").on("connect", function () { this.end(); if (++n === ${BURST}) process.exit(0); });`;
  const child = spawnSync(process.execPath, ["-e", source], { timeout: 60_000 });
  assert.equal(child.status, 0, `the connecting process failed: ${child.stderr.toString()}`);
  const before = accepted();
  let turns = 0;
  await new Promise<void>((resolve) => {
    const turn = (): void => {
      turns++;
      if (accepted() - before >= BURST) resolve();
      else setImmediate(turn);
    };
    setImmediate(turn);
  });
  return turns;
}

async function closeAll(server: net.Server, fanout: AcceptFanout): Promise<void> {
  await Promise.all([new Promise((resolve) => server.close(resolve)), fanout.close()]);
}

describe("accepting with several handles on one socket", () => {
  test("a queued burst is accepted in a fraction of the loop turns one handle needs", async (t) => {
    const one = await countingServer(1);
    const eight = await countingServer(8);
    try {
      assert.equal(one.fanout.handles, 1);
      assert.equal(eight.fanout.handles, 8);
      const single = await turnsToAccept(one.port, one.accepted);
      const fanned = await turnsToAccept(eight.port, eight.accepted);
      t.diagnostic(`${BURST} queued connections accepted in ${single} turns with one handle, ${fanned} with eight`);
      // libuv accepts one connection per turn and handle: one handle needs a turn per connection.
      assert.ok(single >= BURST, `one handle accepted ${BURST} connections in ${single} turns`);
      assert.ok(fanned <= BURST / 2, `eight handles took ${fanned} turns for ${BURST} connections (one handle: ${single})`);
    } finally {
      await closeAll(one.server, one.fanout);
      await closeAll(eight.server, eight.fanout);
    }
  });

  test("closing the server and its copies frees the port", async () => {
    const { server, port, fanout } = await countingServer(4);
    await closeAll(server, fanout);
    const probe = net.connect(port, "127.0.0.1");
    const [err] = (await once(probe, "error")) as [NodeJS.ErrnoException];
    assert.equal(err.code, "ECONNREFUSED");
  });

  test("a helper that exits without handing the copies back leaves one handle and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "beholder-fanout-"));
    const quitter = join(dir, "node");
    writeFileSync(quitter, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const errors: Error[] = [];
    const { server, port, fanout, accepted } = await countingServer(8, errors, quitter);
    try {
      assert.equal(fanout.handles, 1);
      // It left before or after reading the handle: either way none came back, and nothing else failed.
      assert.equal(errors.length, 1);
      assert.match(errors[0]?.message ?? "", /^0 of 7 descriptor copies made: (the helper left early|could not reach the helper)/);
      const socket = net.connect(port, "127.0.0.1");
      await once(socket, "close");
      assert.equal(accepted(), 1);
    } finally {
      await closeAll(server, fanout);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a helper that hands back fewer copies than wanted: those it did are kept and accept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "beholder-fanout-"));
    const stingy = join(dir, "node");
    // Sends the handle back once, then leaves.
    const source = `process.on("message", (m, h) => h && process.send({}, h, () => process.exit(0)))`;
    writeFileSync(stingy, `#!/bin/sh\nexec "${process.execPath}" -e '${source}'\n`, { mode: 0o755 });
    const errors: Error[] = [];
    const { server, port, fanout, accepted } = await countingServer(8, errors, stingy);
    try {
      assert.equal(fanout.handles, 2);
      assert.match(errors[0]?.message ?? "", /^1 of 7 descriptor copies made: the helper left early/);
      const socket = net.connect(port, "127.0.0.1");
      await once(socket, "close");
      assert.equal(accepted(), 1);
      await closeAll(server, fanout);
      const probe = net.connect(port, "127.0.0.1");
      const [err] = (await once(probe, "error")) as [NodeJS.ErrnoException];
      assert.equal(err.code, "ECONNREFUSED", "the one copy made must close with the server");
    } finally {
      if (server.listening) await closeAll(server, fanout);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a server closed while its copies are being made keeps none of them", async () => {
    const server = net.createServer((socket) => socket.destroy());
    server.listen({ port: 0, host: "127.0.0.1" });
    await once(server, "listening");
    const port = (server.address() as net.AddressInfo).port;
    const errors: Error[] = [];
    const making = fanOutAccepts(server, { handles: 64, backlog: 511, onError: (err) => errors.push(err) });
    server.close();
    const fanout = await making;
    assert.equal(fanout.handles, 1);
    assert.match(errors[0]?.message ?? "", /descriptor copies made: (the server closed meanwhile|the helper left early|could not reach the helper)/);
    const probe = net.connect(port, "127.0.0.1");
    const [err] = (await once(probe, "error")) as [NodeJS.ErrnoException];
    assert.equal(err.code, "ECONNREFUSED", "a copy outlived the server");
  });

  test("if the helper cannot run, the server keeps its one handle, says why, and still accepts", async () => {
    const errors: Error[] = [];
    const { server, port, fanout, accepted } = await countingServer(8, errors, "/nonexistent/node");
    try {
      assert.equal(fanout.handles, 1);
      assert.equal(errors.length, 1);
      assert.match(errors[0]!.message, /ENOENT/);
      const socket = net.connect(port, "127.0.0.1");
      await once(socket, "close");
      assert.equal(accepted(), 1);
    } finally {
      await closeAll(server, fanout);
    }
  });
});

describe("Beholder's listening socket", () => {
  test("is accepted on SERVER_ACCEPT_HANDLES handles, which all serve requests, and stops on close", async () => {
    const srv = await startTestServer({ SERVER_ACCEPT_HANDLES: "6" });
    let closed = false;
    try {
      assert.deepEqual(srv.server.connectionStats(), { open: 0, acceptHandles: 6 });
      // More connections than handles, at once: whichever handle accepts one, the request is served.
      const agent = new http.Agent({ keepAlive: false, maxSockets: 24 });
      const codes = await Promise.all(
        Array.from({ length: 24 }, () =>
          new Promise<number>((resolve, reject) => {
            http.get({ host: "127.0.0.1", port: srv.port, path: "/health", agent }, (res) => {
              res.resume();
              res.once("end", () => resolve(res.statusCode ?? 0));
            }).once("error", reject);
          }),
        ),
      );
      assert.deepEqual(new Set(codes), new Set([200]));
      await srv.close();
      closed = true;
      assert.equal(srv.server.connectionStats().acceptHandles, 0);
      const probe = net.connect(srv.port, "127.0.0.1");
      const [err] = (await once(probe, "error")) as [NodeJS.ErrnoException];
      assert.equal(err.code, "ECONNREFUSED", "a copy left open would still accept");
    } finally {
      if (!closed) await srv.close();
    }
  });

  test("SERVER_ACCEPT_HANDLES=1 starts no helper and keeps one handle", async () => {
    const srv = await startTestServer({ SERVER_ACCEPT_HANDLES: "1" });
    try {
      assert.equal(srv.server.connectionStats().acceptHandles, 1);
    } finally {
      await srv.close();
    }
  });
});
