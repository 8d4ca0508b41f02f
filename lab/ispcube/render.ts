/**
 * Pure rendering of the lab's ISPCube world (domain values) into ISPCube's wire payloads, key for key
 * as in the vendor's own examples (shared/vendors/ispcube.md §4). No I/O and no routing here.
 *
 * Why the constants: fields the domain does not model are emitted with the values the [DOC] examples
 * carry, including their quirks (`tags_ids: ["[]"]`, `extra1: ""` next to `nickname: null`,
 * `block: 1` even for enabled customers, §3.4 and §4.2), so a client meets the real mix of types.
 */
import type { IspConnection, IspCustomer, IspNode, IspPlan, RouterWorld } from "../scenario/types.js";
import {
  argentineLocal,
  argentineLocalOrNull,
  flag,
  laravelUtc,
  laravelUtcOrNull,
  latestInstant,
  money,
  stableId,
} from "./laravel.js";

export type Wire = Record<string, unknown>;

/** `tags_ids` is an array holding a stringified empty array (§3.4). */
const TAGS_IDS = ["[]"];
const NO_COORDINATE = "0.000000000000";

/** An 11-digit document is a CUIT/CUIL; identification type 1 pairs with those in the [DOC] (§4.2). */
function isCuit(docNumber: string | null): boolean {
  return (docNumber ?? "").replace(/\D/g, "").length === 11;
}

export function cityId(city: string): number {
  return stableId(city.toUpperCase());
}

/** The scalar customer fields shared by `/api/customer`, `customers_list` rows and ticket payloads. */
export function renderCustomerScalars(c: IspCustomer): Wire {
  const cuit = isCuit(c.docNumber);
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    tax_residence: c.address,
    type: cuit ? "invoice" : "no_fiscal_invoice",
    tax_situation_id: cuit ? 1 : 4,
    identification_type_id: cuit ? 1 : 7,
    doc_number: c.docNumber,
    auto_bill_sending: 1,
    auto_payment_recipe_sending: 1,
    nickname: null,
    comercial_activity: null,
    address: c.address,
    between_address1: null,
    between_address2: null,
    city_id: cityId(c.city),
    lat: null,
    lng: null,
    extra1: "",
    extra2: "",
    entity_id: 2,
    collector_id: 1,
    seller_id: null,
    // A setting ("apply automatic cut"), not the state: 1 even for enabled customers (§4.2).
    block: 1,
    free: 0,
    apply_late_payment_due: 0,
    apply_reconnection: 0,
    contract: 0,
    contract_type_id: null,
    contract_expiration_date: null,
    paycomm: null,
    expiration_type_id: null,
    business_id: 1,
    first_expiration_date: 0,
    second_expiration_date: 0,
    next_month_corresponding_date: 0,
    start_date: argentineLocal(c.createdAt),
    perception_id: null,
    phonekey: null,
    debt: money(c.debt),
    duedebt: money(c.dueDebt),
    speed_limited: 0,
    status: c.status,
    enable_date: null,
    block_date: argentineLocalOrNull(c.blockDate),
    created_at: laravelUtc(c.createdAt),
    updated_at: laravelUtc(latestInstant(c.createdAt, c.blockDate, c.deletedAt)),
    deleted_at: laravelUtcOrNull(c.deletedAt),
    temporary: flag(c.temporary),
    paycomm_request_date: null,
    uuid: "",
  };
}

function renderCity(city: string): Wire {
  return {
    id: cityId(city),
    name: city,
    province: "Buenos Aires",
    postal_code: 1900,
    created_at: "2022-11-03T13:55:38.000000Z",
    updated_at: null,
  };
}

/** `GET /api/customer`: one object with its phones, e-mails, city and connections (§4.2). */
export function renderCustomerDetail(
  c: IspCustomer,
  connections: readonly IspConnection[],
  plans: ReadonlyMap<number, IspPlan>,
): Wire {
  return Object.assign(renderCustomerScalars(c), {
    phones: c.phones.map((number, i) => ({
      id: c.id * 100 + i + 1,
      customer_id: c.id,
      detail: null,
      number,
      sms: 0,
      created_at: laravelUtc(c.createdAt),
      updated_at: null,
    })),
    // A deleted customer still comes back in full, but with no connections ([OBS S8], §4.2).
    connections: c.deletedAt ? [] : connections.map((conn) => renderCustomerConnection(conn, plans)),
    contact_emails: c.emails.map((email, i) => ({
      id: c.id * 100 + i + 1,
      customer_id: c.id,
      email,
      principal: flag(i === 0),
    })),
    electronic_payment_codes: [],
    city: renderCity(c.city),
    customer_cbu: [],
  });
}

/** A `customers_list` row: scalars plus small embedded objects and no connections (§4.2). */
export function renderCustomerRow(c: IspCustomer): Wire {
  const cuit = isCuit(c.docNumber);
  // Added to the scalar object rather than spread into a new one: spreading 55 keys per row made a
  // 100k-row list several times slower.
  return Object.assign(renderCustomerScalars(c), {
    tax_situation: cuit
      ? { id: 1, name: "Responsable Inscripto", selected: "" }
      : { id: 4, name: "Consumidor Final", selected: "" },
    identification_type: cuit ? { id: 1, name: "CUIT" } : { id: 7, name: "DNI" },
    city: { id: cityId(c.city), name: c.city },
    // One of the few real booleans in the API (`selected_default`, §3.4).
    entity: { id: 2, name: "Caja", tags_ids: TAGS_IDS, selected_default: true, tags: [] },
    contact_emails: c.emails.map((email) => ({ customer_id: c.id, email })),
    phones: c.phones.map((number) => ({ customer_id: c.id, number })),
    business: { id: 1, name: "Empresa SRL" },
  });
}

/** The connection fields every connection payload carries (§4.3). */
export function renderConnectionScalars(conn: IspConnection): Wire {
  return {
    id: conn.id,
    ip: conn.ip ?? "",
    local_ip: null,
    conntype: conn.conntype,
    customer_id: conn.customerId,
    plan_id: conn.planId,
    node_id: conn.nodeId,
    accessrouter_id: null,
    olt_id: null,
    mkinterface_id: null,
    dhcpserver_id: null,
    dhcppool_id: null,
    iprange_id: null,
    city_id: null,
    ftthbox_id: null,
    ftth_port_id: null,
    equipment_id: null,
    home_equipment_id: null,
    addlist_id: null,
    // A legacy code that equals `oldcode` in the [DOC] example; numeric, but a string (§3.4).
    up: String(conn.id),
    down: null,
    start_date: argentineLocal(conn.createdAt),
    address: conn.address,
    lat: NO_COORDINATE,
    lng: NO_COORDINATE,
    user: conn.user,
    password: conn.password,
    created_at: laravelUtc(conn.createdAt),
    updated_at: laravelUtc(latestInstant(conn.createdAt, conn.deleteDate)),
    frequency: null,
    ssid: null,
    ochoquince_conexion_id: null,
    ochoquince_nodo_red_id: null,
    ochoquince_nodo_subred_id: null,
    ochoquince_ip_id: null,
    ochoquince_tipo_acceso: null,
    ochoquince_servicio_pk: null,
    oldcode: String(conn.id),
    tags_ids: TAGS_IDS,
    delete_date: argentineLocalOrNull(conn.deleteDate),
    deleted_in_provider: 0,
    promotion_id: null,
    promotion_start_date: null,
    promotion_end_date: null,
  };
}

/** A connection inside `/api/customer`: `plan {id, name}` only for internet, not resold `nc` (§4.2). */
function renderCustomerConnection(conn: IspConnection, plans: ReadonlyMap<number, IspPlan>): Wire {
  const plan = conn.planId === null ? undefined : plans.get(conn.planId);
  const out = renderConnectionScalars(conn);
  if (plan && conn.conntype !== "nc") out["plan"] = { id: plan.id, name: plan.name };
  return out;
}

export interface ConnectionLookups {
  customers: ReadonlyMap<number, IspCustomer>;
  plans: ReadonlyMap<number, IspPlan>;
  nodes: ReadonlyMap<number, IspNode>;
}

/** A `connections_list` / `GET /api/connection` element with nested customer, plan and node (§4.3). */
export function renderConnection(conn: IspConnection, lookups: ConnectionLookups): Wire {
  const customer = lookups.customers.get(conn.customerId);
  const plan = conn.planId === null ? undefined : lookups.plans.get(conn.planId);
  const node = conn.nodeId === null ? undefined : lookups.nodes.get(conn.nodeId);
  return Object.assign(renderConnectionScalars(conn), {
    customer: customer ? { id: customer.id, code: customer.code, name: customer.name } : null,
    plan: plan ? { id: plan.id, name: plan.name, price: money(plan.price), tags_ids: TAGS_IDS, tags: [] } : null,
    node: node
      ? { id: node.id, code: node.code, ip: node.ip, type: node.type, comment: node.comment, tags_ids: [], tags: [] }
      : null,
    equipment: null,
    tags: [],
  });
}
