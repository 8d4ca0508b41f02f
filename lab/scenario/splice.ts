import type { Scenario } from "./types.js";

/**
 * Adds the world of `extra` to `base` (both with absolute instants), renumbering extra's ids past base's
 * so nothing collides. Plans are matched by code; routers must have distinct names. Mutates `base`.
 */
export function spliceScenario(base: Scenario, extra: Scenario): Scenario {
  const offset = <T extends { id: number }>(list: readonly T[]): number => list.reduce((max, x) => Math.max(max, x.id), 0);
  const olt = offset(base.smartolt.olts);
  const zone = offset(base.smartolt.zones);
  const odb = offset(base.smartolt.odbs);
  const customer = offset(base.ispcube.customers);
  const node = offset(base.ispcube.nodes);
  const connection = offset(base.ispcube.connections);
  const ticket = offset(base.ispcube.tickets ?? []);
  const so = base.smartolt;
  so.olts.push(...extra.smartolt.olts.map((o) => ({ ...o, id: o.id + olt, name: o.name })));
  so.zones.push(...extra.smartolt.zones.map((z) => ({ ...z, id: z.id + zone })));
  so.odbs.push(...extra.smartolt.odbs.map((o) => ({ ...o, id: o.id + odb, zoneId: o.zoneId + zone })));
  so.onus.push(...extra.smartolt.onus.map((o) => ({ ...o, oltId: o.oltId + olt, zoneId: o.zoneId + zone, odbId: o.odbId === null ? null : o.odbId + odb })));

  const isp = base.ispcube;
  const planIds = new Map<number, number>();
  for (const plan of extra.ispcube.plans) {
    const same = isp.plans.find((p) => p.code === plan.code);
    if (same) planIds.set(plan.id, same.id);
    else {
      const id = offset(isp.plans) + 1;
      isp.plans.push({ ...plan, id });
      planIds.set(plan.id, id);
    }
  }
  isp.customers.push(...extra.ispcube.customers.map((c) => ({ ...c, id: c.id + customer, code: String(c.id + customer).padStart(6, "0") })));
  isp.nodes.push(...extra.ispcube.nodes.map((n) => ({ ...n, id: n.id + node })));
  isp.connections.push(
    ...extra.ispcube.connections.map((c) => ({
      ...c,
      id: c.id + connection,
      customerId: c.customerId + customer,
      planId: c.planId === null ? null : (planIds.get(c.planId) ?? c.planId),
      nodeId: c.nodeId === null ? null : c.nodeId + node,
    })),
  );
  (isp.tickets ??= []).push(
    ...(extra.ispcube.tickets ?? []).map((t) => ({
      ...t,
      id: t.id + ticket,
      customerId: t.customerId + customer,
      connectionId: t.connectionId === null ? null : t.connectionId + connection,
    })),
  );

  for (const router of extra.routers) {
    if (base.routers.some((r) => r.name === router.name)) throw new Error(`cannot splice: router ${router.name} exists in both scenarios`);
    base.routers.push(router);
  }
  const faults = extra.faults;
  if (faults) {
    const into = (base.faults ??= {});
    if (faults.smartolt) into.smartolt = { ...into.smartolt, ...faults.smartolt };
    if (faults.ispcube) into.ispcube = { ...into.ispcube, ...faults.ispcube };
    if (faults.routeros) into.routeros = { ...into.routeros, ...faults.routeros };
  }
  return base;
}
