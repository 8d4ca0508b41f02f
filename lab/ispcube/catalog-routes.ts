/**
 * Plans, nodes and tickets (shared/vendors/ispcube.md §4.4, §4.5, §4.8).
 */
import type { IspCustomer, RouterWorld, Scenario } from "../scenario/types.js";
import { json, type Reply } from "./http-io.js";
import { idMatches, param } from "./query.js";
import { renderNode, renderPlan, renderTicket, ticketCategoryId, ticketStatusId } from "./render-catalog.js";

export function plansList(scenario: Scenario): Reply {
  return json(200, scenario.ispcube.plans.map(renderPlan));
}

/** Mikrotik nodes that stand for a lab router carry that router's API credentials (§4.5). */
export function nodesList(scenario: Scenario): Reply {
  const routers = new Map<string, RouterWorld>(scenario.routers.map((r) => [r.name, r]));
  return json(
    200,
    scenario.ispcube.nodes.map((node) =>
      renderNode(node, node.type === "Mikrotik" && node.router ? routers.get(node.router) : undefined),
    ),
  );
}

/** A catalog filter matches the id or, for convenience, the name. */
function catalogMatches(wanted: string | undefined, id: number, name: string): boolean {
  return wanted === undefined || wanted === String(id) || wanted.toLowerCase() === name.toLowerCase();
}

/**
 * `GET /api/tickets`: an array; a 404 means "this customer has no tickets" [CODE S3]. The 404 body
 * is undocumented (S3 mocks `{}`), so it borrows the customer lookup's shape [INF].
 */
export function tickets(scenario: Scenario, query: URLSearchParams): Reply {
  const world = scenario.ispcube;
  const ticketId = param(query, "ticket_id");
  const customerId = param(query, "customer_id");
  const code = param(query, "code");
  const docNumber = param(query, "doc_number");
  const category = param(query, "category");
  const status = param(query, "status");
  const priority = param(query, "priority");
  const area = param(query, "area");
  const customers = new Map<number, IspCustomer>(world.customers.map((c) => [c.id, c]));
  const found = (world.tickets ?? []).filter((t) => {
    const owner = customers.get(t.customerId);
    return (
      idMatches(ticketId, t.id) &&
      idMatches(customerId, t.customerId) &&
      (code === undefined || owner?.code === code) &&
      (docNumber === undefined || owner?.docNumber === docNumber) &&
      catalogMatches(category, ticketCategoryId(t.category), t.category) &&
      catalogMatches(status, ticketStatusId(t.status), t.status) &&
      catalogMatches(priority, 2, "Normal") &&
      catalogMatches(area, 1, "Soporte")
    );
  });
  if (found.length === 0) return json(404, { result: true, message: "No se encontraron tickets" });
  return json(200, found.map((t) => renderTicket(t, customers.get(t.customerId))));
}
