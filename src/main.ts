/**
 * The composition root and the only module with top-level side effects: config → app context →
 * server, and a graceful stop on SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig, readEnv, redactConfig } from "./config.js";
import { createAppContext } from "./context.js";
import { createServer } from "./server/server.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(readEnv(), { stdoutIsTty: process.stdout.isTTY });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`beholder: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await createAppContext(config);
  const { logger } = app;
  logger.debug({ config: redactConfig(config) }, "config");
  for (const [vendor, cfg] of Object.entries(config.vendors)) {
    if (cfg === undefined) logger.warn({ vendor }, "vendor disabled: its settings are absent");
  }

  const server = createServer(app);
  const address = await server.listen();
  logger.info({ ...address }, "listening");

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await server.close();
    // Stopping the sync aborts its vendor calls, so this is quick; if something still hangs, the
    // process exits anyway once the same deadline the server had has passed again.
    const closing = app.close().catch((err: unknown) => logger.error({ err }, "closing the app failed"));
    const closed = await withDeadline(closing, config.server.shutdownTimeoutMs);
    if (closed) logger.info("stopped");
    else logger.warn({ ms: config.server.shutdownTimeoutMs }, "stopped before the app finished closing");
    logger.flush();
    process.exit(closed ? 0 : 1);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));
}

/** True when `work` settled within `ms`; false when the deadline came first. */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`beholder: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
