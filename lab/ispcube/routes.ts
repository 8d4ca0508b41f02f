/**
 * The authenticated GET routes, keyed by their path under `/api` (shared/vendors/ispcube.md §4).
 * The key doubles as the endpoint name for faults and call counters.
 */
import type { Scenario } from "../scenario/types.js";
import { nodesList, plansList, tickets } from "./catalog-routes.js";
import { connectionLookup, connectionsCount, connectionsList } from "./connection-routes.js";
import type { CustomerOrder } from "./customer-order.js";
import { customerLookup, customerSummary, customersList } from "./customer-routes.js";
import type { Reply } from "./http-io.js";

export type RouteHandler = (scenario: Scenario, query: URLSearchParams) => Reply;

export const LOGIN_ENDPOINT = "sanctum/token";

export function createRoutes(order: CustomerOrder): ReadonlyMap<string, RouteHandler> {
  return new Map<string, RouteHandler>([
    ["customers/customers_list", (s, q) => customersList(s.ispcube, q, order)],
    ["customer", (s, q) => customerLookup(s.ispcube, q)],
    ["customer/summary", (s) => customerSummary(s.ispcube)],
    ["connections/connections_list", (s) => connectionsList(s.ispcube)],
    ["connection", (s, q) => connectionLookup(s.ispcube, q)],
    ["connections/count", (s) => connectionsCount(s.ispcube)],
    ["plans/plans_list", (s) => plansList(s)],
    ["nodes/nodes_list", (s) => nodesList(s)],
    ["tickets", (s, q) => tickets(s, q)],
  ]);
}
