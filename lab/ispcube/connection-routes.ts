/**
 * Connection endpoints (shared/vendors/ispcube.md §4.3).
 */
import type { IspCubeWorld, IspCustomer, IspNode, IspPlan } from "../scenario/types.js";
import { json, mapRows, type Reply } from "./http-io.js";
import { idMatches, param } from "./query.js";
import { renderConnection, type ConnectionLookups } from "./render.js";

function lookups(world: IspCubeWorld): ConnectionLookups {
  return {
    customers: new Map<number, IspCustomer>(world.customers.map((c) => [c.id, c])),
    plans: new Map<number, IspPlan>(world.plans.map((p) => [p.id, p])),
    nodes: new Map<number, IspNode>(world.nodes.map((n) => [n.id, n])),
  };
}

/** `GET /api/connections/connections_list`: every connection at once, unpaginated (§3.3). */
export function connectionsList(world: IspCubeWorld): Reply {
  const tables = lookups(world);
  return { status: 200, rows: mapRows(world.connections, (conn) => renderConnection(conn, tables)) };
}

const SEARCH_KEYS = ["connection_id", "customer_id", "code", "doc_number", "ip_address", "mac_address"] as const;

/**
 * `GET /api/connection`: always an array, even for one id [DOC, OBS S6]. With no search key it is
 * answered like `/api/customer`, and no match is an empty array: both are [INF], undocumented.
 */
export function connectionLookup(world: IspCubeWorld, query: URLSearchParams): Reply {
  if (SEARCH_KEYS.every((key) => param(query, key) === undefined)) {
    return json(500, { message: "Indicar al menos un dato de busqueda" });
  }
  const connectionId = param(query, "connection_id");
  const customerId = param(query, "customer_id");
  const code = param(query, "code");
  const docNumber = param(query, "doc_number");
  const ip = param(query, "ip_address");
  const mac = param(query, "mac_address")?.toUpperCase();
  let owners: Set<number> | undefined;
  if (code !== undefined || docNumber !== undefined) {
    owners = new Set(
      world.customers
        .filter((c) => (code === undefined || c.code === code) && (docNumber === undefined || c.docNumber === docNumber))
        .map((c) => c.id),
    );
  }
  const tables = lookups(world);
  const found = world.connections.filter(
    (conn) =>
      idMatches(connectionId, conn.id) &&
      idMatches(customerId, conn.customerId) &&
      (owners === undefined || owners.has(conn.customerId)) &&
      (ip === undefined || conn.ip === ip) &&
      (mac === undefined || conn.mac?.toUpperCase() === mac),
  );
  return json(200, found.map((conn) => renderConnection(conn, tables)));
}

/** `GET /api/connections/count`: live connections, the base of the monthly quota (§3.7, §4.3). */
export function connectionsCount(world: IspCubeWorld): Reply {
  return json(200, { count: world.connections.filter((conn) => !conn.deleteDate).length });
}
