import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import fc from "fast-check";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Freshness, Source } from "../../gen/beholder/v1/common_pb.js";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { beholderEnvForLab } from "../../lab/beholder-env.js";
import { startLab, type Lab } from "../../lab/lab.js";
import { isVendorError } from "../../src/vendors/errors.js";
import { MAX_VENDOR_BODY_BYTES } from "../../src/vendors/body.js";
import { scenarioNow } from "../helpers/diagnosis-lab.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

/** What the garbling proxy answers instead of the upstream's answer; undefined passes it through. */
type Garble =
  | { kind: "truncate"; at: number }
  | { kind: "html"; status: number }
  | { kind: "json"; status: number; body: unknown }
  | { kind: "huge" }
  | { kind: "bytes"; status: number; bytes: Uint8Array };

/** A few-line HTTP proxy in front of a lab simulator that mangles answers on demand. */
async function garblingProxy(): Promise<{ url: string; target: string; mode: Garble | undefined; close(): Promise<void> } & { server: Server }> {
  const state = { target: "", mode: undefined as Garble | undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "content-length", "connection"].includes(k)).map(([k, v]) => [k, String(v)]));
      const up = await fetch(`${state.target}${req.url ?? "/"}`, { method: req.method ?? "GET", headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}), redirect: "manual" });
      const text = await up.text();
      const mode = state.mode;
      // ISPCube's login passes through, so the garbled answer is the data call's.
      if (!mode || (req.url ?? "").includes("sanctum/token")) {
        res.writeHead(up.status, { "content-type": up.headers.get("content-type") ?? "application/json" });
        return res.end(text);
      }
      if (mode.kind === "truncate") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(text.slice(0, Math.floor(text.length * mode.at)));
      }
      if (mode.kind === "html") {
        res.writeHead(mode.status, { "content-type": "text/html" });
        return res.end("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
      }
      if (mode.kind === "json") {
        res.writeHead(mode.status, { "content-type": "application/json" });
        return res.end(JSON.stringify(mode.body));
      }
      if (mode.kind === "bytes") {
        res.writeHead(mode.status, { "content-type": "application/json" });
        return res.end(Buffer.from(mode.bytes));
      }
      // Huge: past the cap, without a content-length, written as fast as the client reads.
      res.writeHead(200, { "content-type": "application/json" });
      const block = Buffer.alloc(1024 * 1024, " ");
      res.write("[");
      const gone = once(res, "close");
      for (let sent = 0; sent <= MAX_VENDOR_BODY_BYTES + block.length && !res.destroyed; sent += block.length) {
        if (!res.write(block)) await Promise.race([once(res, "drain"), gone]);
      }
      res.end();
    })().catch(() => res.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    server,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  });
}

const garbles: fc.Arbitrary<Garble> = fc.oneof(
  fc.double({ min: 0, max: 0.99, noNaN: true }).map((at) => ({ kind: "truncate" as const, at })),
  fc.constantFrom(200, 500, 502, 503).map((status) => ({ kind: "html" as const, status })),
  fc.record({
    status: fc.constant(200),
    body: fc.oneof(
      fc.constant({ status: false, error: "Error interno" }),
      fc.constant({ status: true, response: "nope" }),
      fc.constant({ status: true, response: [1, "x", null, { onu_status: 7 }] }),
      fc.constant({ status: true, onus: { not: "an array" } }),
      fc.jsonValue({ maxDepth: 3 }),
    ),
  }).map((r) => ({ kind: "json" as const, ...r })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: "bytes" as const, status: 200, bytes })),
);

describe("malformed vendor answers: typed vendor errors, the diagnosis degrades", () => {
  let lab: Lab;
  let srv: TestServer;
  let olt: Awaited<ReturnType<typeof garblingProxy>>;
  let isp: Awaited<ReturnType<typeof garblingProxy>>;
  before(async () => {
    // The lab's SmartOLT limits (10/s, 1,000/h) would answer 429 to the property's many calls.
    const scenario = await scenarioNow("scenarios/healthy.json", (s) => {
      s.smartolt.rateLimits = { ...s.smartolt.rateLimits, perSecond: 1000, burst: 1500, hourly: 1_000_000 };
    });
    lab = await startLab({ scenario });
    olt = await garblingProxy();
    isp = await garblingProxy();
    olt.target = lab.smartolt.url;
    isp.target = lab.ispcube.url;
    srv = await startTestServer({
      ...beholderEnvForLab(lab),
      SMARTOLT_BASEURL: olt.url,
      ISPCUBE_BASEURL: isp.url,
      VENDOR_RETRIES: "0",
      BREAKER_VOLUME: "100000",
      DIAG_SMARTOLT_LIVE_AFTER_S: "0",
      DIAG_SMARTOLT_SYNC_RESERVE_CALLS: "0",
      RATE_LIMIT_READ_PER_MIN: "100000",
      SMARTOLT_HOURLY_BUDGET: "100000",
      SMARTOLT_CALLS_PER_SECOND: "1000",
    });
    for (const job of ["inventory", "status"] as const) {
      const run = await (await srv.app.sync.runner.start(job)).handle.done;
      assert.equal(run.outcome, "done", JSON.stringify(run.sources));
    }
  });
  after(async () => {
    await srv?.close();
    await olt?.close();
    await isp?.close();
    await lab?.close();
  });

  const diagnose = async () => {
    const client = createClient(DiagnosisService, createConnectTransport({ baseUrl: srv.url, httpVersion: "1.1" }));
    const d = (await client.getDiagnosis({ pppoeUser: "gomez.lucia" }, { headers: { "x-api-key": srv.readKey } })).diagnosis;
    assert.ok(d);
    return d;
  };

  test("SmartOLT: each garbled answer is a VendorError and the diagnosis answers without a live SmartOLT", async () => {
    const client = srv.app.vendors.smartolt;
    assert.ok(client);
    await fc.assert(
      fc.asyncProperty(garbles, async (garble) => {
        olt.mode = garble;
        try {
          const direct = await client.bulkStatuses({}).then(() => undefined, (err: unknown) => err);
          // A few random JSON values happen to be a valid empty answer; anything else is a typed error.
          if (direct !== undefined) assert.ok(isVendorError(direct), `not a VendorError: ${String(direct)}`);
          const d = await diagnose();
          const s = d.sources.find((x) => x.source === Source.SMARTOLT);
          if (direct !== undefined) assert.notEqual(s?.freshness, Freshness.LIVE, JSON.stringify(garble));
        } finally {
          olt.mode = undefined;
        }
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 25) },
    );
  });

  test("ISPCube: each garbled answer is a VendorError and the diagnosis still answers", async () => {
    const client = srv.app.vendors.ispcube;
    assert.ok(client);
    await fc.assert(
      fc.asyncProperty(garbles, async (garble) => {
        isp.mode = garble;
        try {
          const direct = await client.plans().then(() => undefined, (err: unknown) => err);
          if (direct !== undefined) assert.ok(isVendorError(direct), `not a VendorError: ${String(direct)}`);
          await diagnose();
        } finally {
          isp.mode = undefined;
        }
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 25) },
    );
  });

  test("a body past the cap is bad_response, read no further than the cap", async () => {
    for (const [proxy, call] of [[olt, () => srv.app.vendors.smartolt?.bulkStatuses({})], [isp, () => srv.app.vendors.ispcube?.plans()]] as const) {
      proxy.mode = { kind: "huge" };
      try {
        await assert.rejects(Promise.resolve(call()), (err: unknown) => isVendorError(err, "bad_response") && /larger than/.test(err.message));
      } finally {
        proxy.mode = undefined;
      }
    }
    await diagnose();
  });

  test("RouterOS garbage words and untagged replies: typed errors, the diagnosis degrades", async () => {
    const router = lab.routers[0];
    assert.ok(router);
    for (const fault of [{ unknownReplyWord: true }, { untagged: true }, { dropMidCommand: true }]) {
      const res = await fetch(`${lab.control.url}/faults`, { method: "POST", body: JSON.stringify({ sim: "routeros", router: router.name, command: "*", fault }) });
      assert.ok(res.ok);
      try {
        const target = { nodeId: 999, name: `garbage-${Object.keys(fault)[0]}`, host: router.host, port: router.port };
        await assert.rejects(srv.app.vendors.routers!.identity(target), (err: unknown) => isVendorError(err));
        const d = await diagnose();
        assert.ok(d.sources.some((x) => x.source === Source.ROUTEROS));
      } finally {
        await fetch(`${lab.control.url}/faults?sim=routeros`, { method: "DELETE" });
      }
    }
  });

  test("RouterOS oversized length prefixes and reserved control bytes: a typed error within the budget", async () => {
    // Each answers the first bytes Beholder sends (its /login) with one of these and then nothing.
    const answers = [
      Buffer.from([0xf0, 0xff, 0xff, 0xff, 0xff]), // a 4 GiB word
      Buffer.from([0xe0, 0xff, 0xff, 0xff, 0x21]), // 256 MiB announced, one byte sent
      Buffer.from([0xf8, 0x00]), // reserved control byte
      Buffer.concat([Buffer.from([0x05]), Buffer.from("!done"), Buffer.from([0xc0, 0x00, 0x00, 0x10]), Buffer.from("x")]),
    ];
    for (const [i, answer] of answers.entries()) {
      const server = createTcpServer((socket) => {
        socket.on("error", () => {});
        socket.once("data", () => socket.write(answer));
      });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      try {
        const target = { nodeId: 990 + i, name: `oversized-${i}`, host: "127.0.0.1", port: (server.address() as AddressInfo).port };
        await assert.rejects(srv.app.vendors.routers!.identity(target), (err: unknown) => isVendorError(err), `answer ${i}`);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
    assert.equal((await fetch(`${srv.url}/health`)).status, 200, "the server still answers");
  });
});
