import { createServer } from "node:net";
import type { SimContext } from "../context.js";
import { routerFault } from "../context.js";
import { listenTracked } from "../listen.js";
import { attachRouterOsSession } from "./session.js";
import { createTrafficMeter } from "./traffic.js";

export interface RouterOsSim {
  host: string;
  port: number;
  close(): Promise<void>;
  /** Every sentence received on any connection, words as sent (`.tag` included), oldest first. */
  received: string[][];
}

/**
 * One simulated router speaking the RouterOS API (shared/vendors/routeros.md §1, §5) on plain TCP.
 * The router is looked up by name in `ctx.scenario` on every command, so control-API edits apply at
 * once.
 */
export async function startRouterOsSim(
  ctx: SimContext,
  routerName: string,
  opts: { host?: string; port?: number } = {},
): Promise<RouterOsSim> {
  if (!ctx.scenario.routers.some((r) => r.name === routerName)) {
    throw new Error(`no router named ${routerName} in scenario ${ctx.scenario.name}`);
  }
  const received: string[][] = [];
  const meter = createTrafficMeter();
  const server = createServer((socket) => {
    // `refuse` is a connection-level fault, so it is read from the router's `*` entry.
    if (routerFault(ctx.scenario.faults, routerName, "*")?.refuse) {
      socket.on("error", () => {});
      socket.resetAndDestroy();
      return;
    }
    attachRouterOsSession(socket, { ctx, routerName, meter, received });
  });
  const host = opts.host ?? "127.0.0.1";
  const { port, close } = await listenTracked(server, host, opts.port ?? 0);
  return { host, port, received, close };
}
