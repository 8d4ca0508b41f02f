import { createServer } from "node:net";
import type { Socket } from "node:net";
import type { SimContext } from "../context.js";
import { routerFault } from "../context.js";
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
  const sockets = new Set<Socket>();
  const received: string[][] = [];
  const meter = createTrafficMeter();
  const server = createServer((socket) => {
    // `refuse` is a connection-level fault, so it is read from the router's `*` entry.
    if (routerFault(ctx.scenario.faults, routerName, "*")?.refuse) {
      socket.on("error", () => {});
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    attachRouterOsSession(socket, { ctx, routerName, meter, received });
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    host,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
