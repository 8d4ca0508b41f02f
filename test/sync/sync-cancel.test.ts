import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { createAppContext } from "../../src/context.js";
import { beholderEnvForLab } from "../../lab/beholder-env.js";
import { startLab } from "../../lab/lab.js";
import { generateScenario } from "../../lab/scenario/generate.js";

const LIST = "connections/connections_list";
/** Far beyond what the abort should take; only a sync that ignores its signal runs into it. */
const GENEROUS_MS = 10_000;

/**
 * A TCP relay in front of the lab's ISPCube: it sees each request line go by and each connection
 * close, which the lab's counters (requests received) cannot show.
 */
async function relay(target: URL): Promise<{ url: string; closedAfter(marker: string): Promise<void>; close(): Promise<void> }> {
  const watched = new Map<string, { socket?: Socket; closed: Promise<void>; resolve: () => void }>();
  const watch = (marker: string): { socket?: Socket; closed: Promise<void>; resolve: () => void } => {
    let entry = watched.get(marker);
    if (!entry) {
      let resolve!: () => void;
      const closed = new Promise<void>((r) => (resolve = r));
      entry = { closed, resolve };
      watched.set(marker, entry);
    }
    return entry;
  };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on("data", (chunk: Buffer) => {
      const line = chunk.toString("latin1", 0, 200);
      for (const marker of [LIST]) if (line.includes(marker)) watch(marker).socket = client;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const end = (): void => {
      for (const entry of watched.values()) if (entry.socket === client) entry.resolve();
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closedAfter: (marker) => watch(marker).closed,
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

test("stopping a sync mid-connections_list ends that HTTP request, not only the run", { timeout: 60_000 }, async () => {
  const lab = await startLab({ scenario: generateScenario({ subscribers: 300, seed: 5 }) });
  const proxy = await relay(new URL(lab.ispcube.url));
  const dir = mkdtempSync(join(tmpdir(), "beholder-cancel-"));
  // The list hangs far longer than the test lasts: only an abort ends its request early.
  lab.scenario.faults = { ispcube: { [LIST]: { latencyMs: 120_000 } } };
  const config = loadConfig({
    ...beholderEnvForLab(lab),
    ISPCUBE_BASEURL: proxy.url,
    ISPCUBE_TIMEOUT_MS: "120000",
    DB_PATH: join(dir, "cancel.db"),
    SYNC_SCHEDULE: "off",
  });
  const app = await createAppContext(config, { logger: pino({ level: "silent" }) });
  try {
    const { handle } = await app.sync.runner.start("inventory", ["ispcube"]);
    // The list's request has reached the lab (its counter) and gone through the relay.
    while (lab.counters.get("ispcube", LIST) < 1) await new Promise((r) => setTimeout(r, 10));
    const requestClosed = proxy.closedAfter(LIST);

    const stopped = app.sync.runner.close();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      requestClosed.then(() => "closed"),
      new Promise((resolve) => (timer = setTimeout(() => resolve("still open"), GENEROUS_MS))),
    ]);
    clearTimeout(timer);
    assert.equal(outcome, "closed", "the connections_list request was not aborted");
    await stopped;
    const record = await handle.done;
    assert.equal(record.sources.find((s) => s.source === "ispcube")?.outcome, "failed");
    assert.equal(lab.counters.get("ispcube", LIST), 1, "no retry after the stop");
  } finally {
    await app.close();
    await proxy.close();
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
