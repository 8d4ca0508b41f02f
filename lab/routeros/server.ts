import { createServer, type Server } from "node:net";
import type { SimContext } from "../context.js";
import { routerFault } from "../context.js";
import { listenTracked, type Listening } from "../listen.js";
import { attachRouterOsSession } from "./session.js";
import { createTrafficMeter } from "./traffic.js";

export interface RouterOsSim {
  host: string;
  port: number;
  close(): Promise<void>;
  /** API connections open right now (a test waits on it for the router's own idle close). */
  connections(): number;
  /** Every sentence received on any connection, words as sent (`.tag` included), oldest first. */
  received: string[][];
  /**
   * Listens, or stops listening, as the router's `portClosed` fault says (a closed port refuses
   * connections, which no accepted socket can imitate). The port number stays the router's.
   */
  applyFaults(): Promise<void>;
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
  const makeServer = (): Server =>
    createServer((socket) => {
      // `refuse` is a connection-level fault, so it is read from the router's `*` entry.
      if (routerFault(ctx.scenario.faults, routerName, "*")?.refuse) {
        socket.on("error", () => {});
        socket.resetAndDestroy();
        return;
      }
      attachRouterOsSession(socket, { ctx, routerName, meter, received });
    });
  const host = opts.host ?? "127.0.0.1";
  let listening: Listening | undefined = await listenTracked(makeServer(), host, opts.port ?? 0);
  const port = listening.port;
  let closed = false;
  // One change at a time: a close and a reopen racing would leave the port in either state.
  let applying: Promise<void> = Promise.resolve();
  const applyFaults = (): Promise<void> =>
    (applying = applying.then(async () => {
      const portClosed = routerFault(ctx.scenario.faults, routerName, "*")?.portClosed === true;
      if ((portClosed || closed) && listening) {
        const current = listening;
        listening = undefined;
        await current.close();
      } else if (!portClosed && !closed && !listening) {
        listening = await listenTracked(makeServer(), host, port);
      }
    }));
  await applyFaults();
  return {
    host,
    port,
    received,
    applyFaults,
    async close() {
      closed = true;
      await applyFaults();
    },
    connections: () => listening?.open() ?? 0,
  };
}
