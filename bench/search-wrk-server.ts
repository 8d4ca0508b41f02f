/**
 * The server `bench/search-wrk.ts` points wrk at, in its own process: Beholder from `--root` (another
 * checkout gives the "before" figures) on the cache at `--db`, with production's logger (info, one
 * line per RPC) writing to /dev/null and the read rate limit out of the way (`--accept-handles N` sets
 * SERVER_ACCEPT_HANDLES, for bench/accept-wrk.ts). Prints `{"url","readKey"}`
 * once listening, then `{"cpuUs"}` (its user + system CPU so far) for every line read on stdin; stops
 * when its stdin closes.
 */
import { createInterface } from "node:readline";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";

const { values } = parseArgs({ options: { root: { type: "string", default: "." }, db: { type: "string" }, "accept-handles": { type: "string" } } });
if (!values.db) throw new Error("--db PATH is required");
const root = resolve(values.root);
const { loadConfig } = (await import(join(root, "src/config.ts"))) as typeof import("../src/config.js");
const { createAppContext } = (await import(join(root, "src/context.ts"))) as typeof import("../src/context.js");
const { createLogger } = (await import(join(root, "src/logger.ts"))) as typeof import("../src/logger.js");
const { createServer } = (await import(join(root, "src/server/server.ts"))) as typeof import("../src/server/server.js");

const config = loadConfig({
  DB_PATH: resolve(values.db),
  PORT: "0",
  SYNC_SCHEDULE: "off",
  LOG_LEVEL: "info",
  RATE_LIMIT_READ_PER_MIN: "1000000000",
  ...(values["accept-handles"] ? { SERVER_ACCEPT_HANDLES: values["accept-handles"] } : {}),
});
const app = await createAppContext(config, { logger: createLogger(config.log, pino.destination({ dest: "/dev/null", sync: true })) });
const server = createServer(app);
const { url } = await server.listen(0, "127.0.0.1");
const readKey = (await app.keys.create(`wrk-read-${Date.now()}`, ["read"])).key;
process.stdout.write(`${JSON.stringify({ url, readKey })}\n`);
const input = createInterface({ input: process.stdin });
input.on("line", () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: user + system })}\n`);
});
input.once("close", () => {
  void server.close().then(() => app.close()).finally(() => process.exit(0));
});
