/**
 * Customer endpoints (shared/vendors/ispcube.md §4.2, §6.4, §6.5).
 */
import type { IspCubeWorld, IspCustomer, IspPlan } from "../scenario/types.js";
import type { CustomerOrder } from "./customer-order.js";
import { json, mapRows, type Reply } from "./http-io.js";
import { boolParam, idMatches, intParam, param } from "./query.js";
import { renderCustomerDetail, renderCustomerRow } from "./render.js";

/** Beyond this many rows a page is streamed rather than built as one string. */
const STREAM_ABOVE_ROWS = 1000;

/**
 * `GET /api/customers/customers_list`: a bare array, newest first, `limit`/`offset` slicing and a
 * `doc_number` filter; every other filter (e.g. `seller_id`) is silently ignored [OBS S7]. Deleted and
 * temporary customers are left out unless asked for, the opposite of `/api/customer` (§4.2 [INF]).
 * No `limit` means the whole list (§3.3).
 */
export function customersList(world: IspCubeWorld, query: URLSearchParams, order: CustomerOrder): Reply {
  const withDeleted = boolParam(query, "deleted", false);
  const withTemporary = boolParam(query, "temporary", false);
  const docNumber = param(query, "doc_number");
  // PHP treats limit=0 as "no limit given".
  const limit = intParam(query, "limit") || undefined;
  const offset = intParam(query, "offset") ?? 0;
  const sorted = order.newestFirst(world.customers);

  function* rows(): Generator<IspCustomer> {
    let skipped = 0;
    let taken = 0;
    for (const c of sorted) {
      if (limit !== undefined && taken >= limit) return;
      if (!withDeleted && c.deletedAt) continue;
      if (!withTemporary && c.temporary) continue;
      if (docNumber !== undefined && c.docNumber !== docNumber) continue;
      if (skipped < offset) {
        skipped += 1;
        continue;
      }
      taken += 1;
      yield c;
    }
  }

  if (limit !== undefined && limit <= STREAM_ABOVE_ROWS) return json(200, Array.from(rows(), renderCustomerRow));
  return { status: 200, rows: mapRows(rows(), renderCustomerRow) };
}

const SEARCH_KEYS = ["customer_id", "code", "doc_number", "phone_number"] as const;

/**
 * `GET /api/customer`: one object. `code` is compared as a string, so `3566` does not find `003566`;
 * `deleted` and `temporary` default to true here [OBS S4, DOC].
 */
export function customerLookup(world: IspCubeWorld, query: URLSearchParams): Reply {
  if (query.has("customer_code")) {
    return json(422, {
      message: "The given data was invalid.",
      errors: { customer_code: ["El campo customer code no es válido."] },
    });
  }
  if (SEARCH_KEYS.every((key) => param(query, key) === undefined)) {
    return json(500, { message: "Indicar al menos un dato de busqueda" });
  }
  const customerId = param(query, "customer_id");
  const code = param(query, "code");
  const docNumber = param(query, "doc_number");
  const phone = param(query, "phone_number");
  const withDeleted = boolParam(query, "deleted", true);
  const withTemporary = boolParam(query, "temporary", true);
  const customer = world.customers.find(
    (c) =>
      idMatches(customerId, c.id) &&
      (code === undefined || c.code === code) &&
      (docNumber === undefined || c.docNumber === docNumber) &&
      (phone === undefined || c.phones.includes(phone)) &&
      (withDeleted || !c.deletedAt) &&
      (withTemporary || !c.temporary),
  );
  // `result: true` on a 404 is what production sends [OBS S4].
  if (!customer) return json(404, { result: true, message: "Cliente no encontrado" });
  const plans = new Map<number, IspPlan>(world.plans.map((p) => [p.id, p]));
  const connections = world.connections.filter((conn) => conn.customerId === customer.id);
  return json(200, renderCustomerDetail(customer, connections, plans));
}

/** `GET /api/customer/summary` (§4.2). */
export function customerSummary(world: IspCubeWorld): Reply {
  const current = world.customers.filter((c) => !c.deletedAt && !c.temporary);
  const live = world.connections.filter((conn) => !conn.deleteDate);
  const withLive = new Set(live.map((conn) => conn.customerId));
  return json(200, {
    customers: current.length,
    customers_with_active_connection: current.filter((c) => withLive.has(c.id)).length,
    connections: live.length,
  });
}
