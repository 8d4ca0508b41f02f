/**
 * Pure rendering of ISPCube's catalogs and tickets (shared/vendors/ispcube.md §4.4, §4.5, §4.8).
 */
import type { IspCustomer, IspNode, IspPlan, IspTicket, RouterWorld } from "../scenario/types.js";
import { argentineLocal, laravelUtc, money, stableId } from "./laravel.js";
import { renderCustomerScalars, type Wire } from "./render.js";

const CATALOG_CREATED_AT = "2022-04-11T03:00:00.000000Z";

export function renderPlan(plan: IspPlan): Wire {
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    price: money(plan.price),
    currency_id: 1,
    addlist_id: null,
    tax_id: 7,
    cycle: 1,
    speeddown: plan.speedDown,
    speedup: plan.speedUp,
    burstlimit: 0,
    burstthreshold: 0,
    bursttime: 0,
    limit_at: 0,
    priority: 8,
    profile: null,
    parent: null,
    pppoe: 1,
    radius: 1,
    hotspot: 0,
    // Four decimals here, unlike money (§3.4).
    total_traffic_limit: "0.0000",
    post_limit_plan_id: null,
    prepaid: 0,
    type1: null,
    type2: null,
    quantity: null,
    go_turner: null,
    message: null,
    huawei_sport: null,
    huawei_lineProf: "",
    huawei_srvProf: "",
    huawei_lineProf_epon: "",
    huawei_srvProf_epon: "",
    zte_commands: null,
    zte_profileup: "",
    zte_profiledown: "",
    zte_vlan: "",
    created_at: CATALOG_CREATED_AT,
    updated_at: null,
    huawei_policy: null,
    tags_ids: ["[]"],
    tags: [],
  };
}

/**
 * A `nodes_list` element. The real payload carries the router's API credentials in `user`/`pass`
 * and the port as a string (§4.5); for a Mikrotik node standing for a lab router they are the
 * router's, so a client can reach the simulated router from ISPCube data alone.
 */
export function renderNode(node: IspNode, router: RouterWorld | undefined): Wire {
  return {
    id: node.id,
    code: node.code,
    ip: node.ip,
    local_ip: null,
    remote_ip: null,
    port: String(node.port),
    dns: null,
    user: router ? router.user : null,
    pass: router ? router.password : null,
    pppoe: 1,
    // Sic: `hostspot` (§3.4).
    hostspot: 0,
    integration: 1,
    ap: 1,
    status: 1,
    next_check: null,
    addlist_id: null,
    addlist_id2: null,
    type: node.type,
    ver: router ? `v${router.version}` : null,
    comment: node.comment,
    address: null,
    lat: null,
    lng: null,
    mk_queue_target_type: "target",
    mk_validation_type: "1",
    smart_olt_apikey: null,
    smart_olt_profile_down: null,
    smart_olt_profile_up: null,
    smart_olt_vlan: null,
    created_at: "2022-08-23T18:04:33.000000Z",
    updated_at: "2022-09-08T22:38:54.000000Z",
    shapes: null,
    shapes_color: null,
    tags_ids: [],
    tags: [],
  };
}

/** Ticket status ids of the tenant in [OBS S5]: 1 Abierto, 2 Pendiente, 3 Cerrado (§4.8). */
const STATUS_IDS: Record<string, number> = {
  abierto: 1,
  open: 1,
  pendiente: 2,
  pending: 2,
  cerrado: 3,
  closed: 3,
};

export function ticketStatusId(status: string): number {
  return STATUS_IDS[status.toLowerCase()] ?? stableId(status, 20);
}

export function ticketCategoryId(category: string): number {
  return stableId(category.toUpperCase(), 50);
}

/** A `GET /api/tickets` element, with the richer items that endpoint returns (§4.8). */
export function renderTicket(ticket: IspTicket, customer: IspCustomer | undefined): Wire {
  const statusId = ticketStatusId(ticket.status);
  const categoryId = ticketCategoryId(ticket.category);
  const createdAt = laravelUtc(ticket.createdAt);
  const apiUser = { id: 1, name: "api" };
  return {
    id: ticket.id,
    user_id: 1,
    customer_id: ticket.customerId,
    connection_id: ticket.connectionId,
    ticket_area_id: 1,
    ticket_category_id: categoryId,
    ticket_priority_id: 2,
    ticket_status_id: statusId,
    assigned_user_id: null,
    price: "0.00",
    visit_date: null,
    visit_time_start: null,
    visit_time_end: null,
    // Both spellings exist on tickets (§3.4).
    olcode: null,
    created_at: createdAt,
    updated_at: createdAt,
    deleted_at: null,
    oldcode: null,
    // The domain has no close instant; a closed ticket reports its creation time, in local time (§3.5).
    closed_date: statusId === 3 ? argentineLocal(ticket.createdAt) : null,
    customer: customer ? renderCustomerScalars(customer) : null,
    ticket_area: { id: 1, name: "Soporte" },
    ticket_status: { id: statusId, name: ticket.status },
    ticket_category: { id: categoryId, name: ticket.category },
    ticket_priority: { id: 2, name: "Normal" },
    assigned_user: null,
    user: apiUser,
    items: [
      {
        id: ticket.id * 10 + 1,
        ticket_id: ticket.id,
        user_id: 1,
        content: ticket.content,
        created_at: createdAt,
        updated_at: createdAt,
        deleted_at: null,
        internal: 0,
        customer_id: ticket.customerId,
        user: apiUser,
      },
    ],
  };
}
