/**
 * The server under attack for `npm run bench -- attack`, in its own process so the attacker's work
 * does not share its event loop. `--root DIR` loads Beholder from another checkout (the "before"
 * figures: `--root /work/main`). Prints `{"url","port","readKey"}` once listening, then every 250 ms
 * `{"rss","fds"}` (resident memory and open file descriptors), until its stdin closes.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { exitWhenStdinCloses } from "./child-exit.js";

const { values } = parseArgs({ options: { root: { type: "string", default: "." } } });
const root = resolve(values.root);
const { loadConfig } = (await import(join(root, "src/config.ts"))) as typeof import("../src/config.js");
const { createAppContext } = (await import(join(root, "src/context.ts"))) as typeof import("../src/context.js");
const { createServer } = (await import(join(root, "src/server/server.ts"))) as typeof import("../src/server/server.js");

const dir = mkdtempSync(join(tmpdir(), "beholder-attack-"));
const config = loadConfig({ DB_PATH: join(dir, "cache.db"), PORT: "0", SYNC_SCHEDULE: "off", LOG_LEVEL: "warn" });
const app = await createAppContext(config, { logger: pino({ level: "warn" }, pino.destination(2)) });
const server = createServer(app);
const { url, port } = await server.listen(0, "127.0.0.1");
const readKey = (await app.keys.create("bench-read", ["read"])).key;
process.stdout.write(`${JSON.stringify({ url, port, readKey })}\n`);
const sample = setInterval(() => {
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss, fds: readdirSync("/proc/self/fd").length })}\n`);
}, 250);
// The old server may never finish closing under attack leftovers; the bench only needs it gone.
exitWhenStdinCloses({ stop: () => clearInterval(sample), close: () => server.close().then(() => app.close()), dir, hardMs: 5000 });
