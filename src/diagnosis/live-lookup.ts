import type { CachedSubscriber } from "../cache/diagnosis-reads.js";
import type { DiagnosisConfig } from "../config.js";
import type { Vendors } from "../vendors/index.js";
import { probe } from "./probe.js";
import type { Target } from "./target.js";

/**
 * Someone the cache does not know (added since the nightly inventory) may still exist: a customer code
 * is asked to ISPCube, a PPPoE user to the MK_HOST router. Within the sources' budgets; a vendor that
 * does not answer means "not found", never an error.
 */
export async function liveLookup(vendors: Vendors, config: DiagnosisConfig, target: Target, signal?: AbortSignal): Promise<CachedSubscriber | undefined> {
  const empty = { connection: null, plan: null, onu: null, secrets: [], routers: new Map() };
  if (target.kind === "customer_code" && vendors.ispcube) {
    const client = vendors.ispcube;
    const found = await probe(config.ispcubeBudgetMs, signal, (s) => client.customerByCode(target.value, { signal: s }));
    return found.ok ? { ...empty, pppoeUser: null, customer: found.value } : undefined;
  }
  if (target.kind === "pppoe_user" && vendors.routers && vendors.defaultRouter) {
    const pool = vendors.routers;
    const router = vendors.defaultRouter;
    const found = await probe(config.routerosBudgetMs, signal, () => pool.secret(router, target.value));
    if (!found.ok || !found.value) return undefined;
    return { ...empty, pppoeUser: target.value, customer: null, secrets: [{ routerNodeId: router.nodeId, secret: found.value }], routers: new Map([[router.nodeId, router]]) };
  }
  return undefined;
}
