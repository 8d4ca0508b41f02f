import type { Config } from "../config.js";
import type { RouterTarget } from "../domain/types.js";
import type { Logger } from "../logger.js";
import { createGuard, guardOptionsFor, type Guard, type VendorCallObserver } from "./guard.js";
import { createIspCubeClient, type IspCubeClient } from "./ispcube/client.js";
import { createRouterPool, type RouterPool } from "./routeros/client.js";
import { createSmartOltClient, type SmartOltClient } from "./smartolt/client.js";

/** The configured vendors; a vendor whose settings are absent is undefined (disabled). */
export interface Vendors {
  smartolt?: SmartOltClient;
  ispcube?: IspCubeClient;
  routers?: RouterPool;
  /** The MK_HOST router, node id 0. */
  defaultRouter?: RouterTarget;
  /** Breaker state per vendor, for health. */
  breakers(): Record<string, string>;
  close(): Promise<void>;
}

export const DEFAULT_ROUTER_NAME = "default";

export function createVendors(config: Config, logger: Logger, opts: { now?: () => Date; observe?: VendorCallObserver } = {}): Vendors {
  const { smartolt, ispcube, routeros } = config.vendors;
  const guards: Record<string, Guard> = {};
  const guardFor = (vendor: "smartolt" | "ispcube"): Guard => {
    const guard = createGuard({ ...guardOptionsFor(config.resilience, vendor, vendor, opts.observe), logger });
    guard.onStateChange((state) => logger.warn({ vendor, breaker: state }, "vendor breaker changed state"));
    guards[vendor] = guard;
    return guard;
  };
  const clientOpts = { logger, ...(opts.now ? { now: opts.now } : {}) };
  const routers = routeros
    ? createRouterPool(routeros, {
        resilience: config.resilience,
        logger,
        timezone: routeros.timezone,
        ...(opts.now ? { now: opts.now } : {}),
        ...(opts.observe ? { observe: opts.observe } : {}),
      })
    : undefined;
  return {
    ...(smartolt ? { smartolt: createSmartOltClient(smartolt, guardFor("smartolt"), clientOpts) } : {}),
    ...(ispcube ? { ispcube: createIspCubeClient(ispcube, guardFor("ispcube"), clientOpts) } : {}),
    ...(routers ? { routers } : {}),
    ...(routeros?.defaultHost
      ? { defaultRouter: { nodeId: 0, name: DEFAULT_ROUTER_NAME, host: routeros.defaultHost, port: routeros.port } }
      : {}),
    breakers: () => ({
      ...Object.fromEntries(Object.entries(guards).map(([k, g]) => [k, g.state()])),
      ...routers?.breakers(),
    }),
    async close() {
      for (const g of Object.values(guards)) g.shutdown();
      await routers?.close();
    },
  };
}
