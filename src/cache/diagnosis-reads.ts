import type { Connection, Customer, CustomerStatus, OnuRecord, OnuStatus, Plan, PppSecret, RouterTarget } from "../domain/types.js";
import { statement } from "./batch.js";
import { sqliteOf, type Orm } from "./orm.js";
import { rowReader, type RowReader } from "./read-rows.js";
import { OnuSignalSampleSchema, OnuStatusEventSchema } from "./entities/history.js";
import {
  ConnectionSchema,
  CustomerSchema,
  OnuSchema,
  PlanSchema,
  PppSecretSchema,
  RouterSchema,
  SubscriberSchema,
  type ConnectionRow,
  type CustomerRow,
  type OnuRow,
  type PppSecretRow,
  type RouterRow,
} from "./entities/inventory.js";
import { SourceStateSchema } from "./entities/sync.js";

/** An ONU as the cache holds it, with when its status and its levels were last observed. */
export interface CachedOnu extends OnuRecord {
  statusObservedAt: Date;
  signalObservedAt: Date;
}

/** One router's copy of the user's secret. */
export interface CachedSecret {
  routerNodeId: number;
  secret: PppSecret;
}

/** Everything the cache knows about one subscriber, linked or not. */
export interface CachedSubscriber {
  /** Null for an ONU that carries no PPPoE user (bridged) and no linked connection. */
  pppoeUser: string | null;
  customer: Customer | null;
  connection: Connection | null;
  plan: Plan | null;
  onu: CachedOnu | null;
  secrets: CachedSecret[];
  /** Routers named by the secrets and the connection's node, by node id. */
  routers: Map<number, RouterTarget>;
}

/** A cached ONU reduced to what outage correlation and peer comparison need. */
export interface OnuPeer {
  externalId: string;
  serial: string;
  pppoeUser: string | null;
  oltId: string;
  oltName: string;
  board: number | null;
  port: number | null;
  odbName: string | null;
  zoneName: string | null;
  status: OnuStatus;
  adminEnabled: boolean;
  lastStatusChange: Date | null;
  rxPowerDbm: number | null;
  oltRxPowerDbm: number | null;
  statusObservedAt: Date;
  signalObservedAt: Date;
}

export interface SignalSample {
  externalId: string;
  at: Date;
  rxPowerDbm: number | null;
  oltRxPowerDbm: number | null;
}

export interface StatusEvent {
  externalId: string;
  at: Date;
  changedAt: Date | null;
  status: OnuStatus;
  previousStatus: OnuStatus | null;
}

export type Lookup = { kind: "pppoe_user" | "onu_serial" | "customer_code"; value: string };

/**
 * The diagnosis' reads of the cache: statements prepared once on the API's connection (orm.ts
 * `sqliteOf`), their columns and types taken from MikroORM's metadata (read-rows.ts). Each read is
 * one synchronous call into SQLite; a subscriber's several statements run in one read transaction, so
 * they see one snapshot even while a sync commits. Through MikroORM's `find` the same reads cost 2-4
 * ms each on a busy machine (the query built and parsed anew every time) against tens of µs
 * prepared, and a dozen of them per diagnosis made the long event-loop turns under load.
 */
export interface DiagnosisReads {
  /** The subscriber a lookup names, or undefined when no system knows it. */
  subscriber(lookup: Lookup): Promise<CachedSubscriber | undefined>;
  /** ONUs on the same PON port, plus those on the same ODB wherever they hang. */
  neighbours(onu: { externalId: string; oltId: string; board: number | null; port: number | null; odbName: string | null }): Promise<OnuPeer[]>;
  /** Every cached ONU (optionally of one OLT): the status snapshot incidents come from. */
  statusSnapshot(oltId?: string): Promise<OnuPeer[]>;
  signalSamples(externalIds: string[], since: Date): Promise<SignalSample[]>;
  statusEvents(externalIds: string[], since: Date): Promise<StatusEvent[]>;
  /** When each sync source last succeeded ("ispcube", "smartolt", "smartolt.status", "router:<host>:<port>"...). */
  freshness(): Promise<Map<string, Date | null>>;
  /** A router by node id (0 is MK_HOST once the inventory ran). */
  router(nodeId: number): Promise<RouterTarget | undefined>;
  /** Per PPPoE user: the ISPCube customer id and the first secret's comment (the old search rows show them). */
  searchExtras(users: string[]): Promise<Map<string, { customerId: number | null; secretComment: string | null }>>;
}

const ONU_STATUSES: ReadonlySet<string> = new Set(["online", "offline", "power_fail", "los", "admin_disabled", "unknown"]);
const CUSTOMER_STATUSES: ReadonlySet<string> = new Set(["enabled", "blocked", "no_service", "other"]);
/** The ONU columns a peer needs (`OnuPeer`): the status snapshot reads them for every cached ONU. */
const PEER_COLUMNS = ["externalId", "serial", "pppoeUser", "oltId", "oltName", "board", "port", "odbName", "zoneName", "status", "adminEnabled",
  "lastStatusChange", "rxPowerDbm", "oltRxPowerDbm", "statusObservedAt", "signalObservedAt"] as const satisfies readonly (keyof OnuRow)[];

/** Lists bind as one JSON array (`in (select value from json_each(?))`): one statement whatever their length. */
const IN_LIST = "(select value from json_each(?))";

export function createDiagnosisReads(orm: Orm): DiagnosisReads {
  const customers = rowReader(orm, CustomerSchema);
  const plans = rowReader(orm, PlanSchema);
  const connections = rowReader(orm, ConnectionSchema);
  const onus = rowReader(orm, OnuSchema);
  const secrets = rowReader(orm, PppSecretSchema);
  const routers = rowReader(orm, RouterSchema);
  const samples = rowReader(orm, OnuSignalSampleSchema);
  const events = rowReader(orm, OnuStatusEventSchema);
  const subscribers = rowReader(orm, SubscriberSchema);
  const sources = rowReader(orm, SourceStateSchema);

  /** `sql`'s rows, read by a statement prepared once per connection. */
  const all = <T>(reader: RowReader<T>, sql: string, ...params: unknown[]): T[] =>
    (statement(sqliteOf(orm), sql).all(...params) as Record<string, unknown>[]).map((r) => reader.read(r));
  const first = <T>(reader: RowReader<T>, sql: string, ...params: unknown[]): T | null => {
    const raw = statement(sqliteOf(orm), sql).get(...params) as Record<string, unknown> | undefined;
    return raw ? reader.read(raw) : null;
  };
  /** `f` in one read transaction (a savepoint inside one already open on the connection). */
  const snapshot = <T>(f: () => T): T => sqliteOf(orm).transaction(f)();

  const select = <T>(r: RowReader<T>, where: string): string => `select ${r.columns("t")} from ${r.table} t ${where}`;
  const SQL = {
    connectionOfUser: select(connections, "where t.pppoe_user = ? and t.deleted = 0 order by t.id limit 1"),
    connectionOfCustomer: select(connections, "where t.customer_id = ? and t.deleted = 0 order by t.id limit 1"),
    onuOfUser: select(onus, "where t.pppoe_user = ? order by t.external_id limit 1"),
    onuBySerial: select(onus, "where t.serial = ? order by t.external_id limit 1"),
    secretsOfUser: select(secrets, "where t.name = ? order by t.router_node_id"),
    customer: select(customers, "where t.id = ?"),
    customerByCode: select(customers, "where t.code = ? order by t.id limit 1"),
    plan: select(plans, "where t.id = ?"),
    router: select(routers, "where t.node_id = ?"),
    routers: select(routers, `where t.node_id in ${IN_LIST}`),
    // Both indexes serve the two halves (onu_pon, onu_odb): SQLite's OR optimisation.
    onPort: select(onus, "where t.olt_id = ? and t.board = ? and t.port = ? order by t.external_id"),
    onOdb: select(onus, "where t.olt_id = ? and t.odb_name = ? order by t.external_id"),
    onPortOrOdb: select(onus, "where (t.olt_id = ? and t.board = ? and t.port = ?) or (t.olt_id = ? and t.odb_name = ?) order by t.external_id"),
    snapshot: `select ${onus.columns("t", PEER_COLUMNS)} from ${onus.table} t order by t.external_id`,
    snapshotOfOlt: `select ${onus.columns("t", PEER_COLUMNS)} from ${onus.table} t where t.olt_id = ? order by t.external_id`,
    samples: select(samples, `where t.external_id in ${IN_LIST} and t.at >= ? order by t.external_id, t.at`),
    events: select(events, `where t.external_id in ${IN_LIST} and t.at >= ? order by t.at, t.id`),
    sources: select(sources, ""),
    subscribersOf: select(subscribers, `where t.pppoe_user in ${IN_LIST}`),
    secretsOf: select(secrets, `where t.name in ${IN_LIST} order by t.router_node_id`),
  };

  function routersFor(ids: number[]): Map<number, RouterTarget> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = all(routers, SQL.routers, JSON.stringify(unique));
    return new Map(rows.map((r) => [r.nodeId, routerTarget(r)]));
  }

  function assemble(user: string | null, onuRow: OnuRow | null, connectionRow: ConnectionRow | null): CachedSubscriber | undefined {
    const connection = connectionRow ?? (user ? first(connections, SQL.connectionOfUser, user) : null);
    const onu = onuRow ?? (user ? first(onus, SQL.onuOfUser, user) : null);
    const secretRows = user ? all(secrets, SQL.secretsOfUser, user) : [];
    if (!connection && !onu && secretRows.length === 0) return undefined;
    const nodeIds = [...secretRows.map((s) => s.routerNodeId), ...(connection?.nodeId != null ? [connection.nodeId] : [])];
    const customerRow = connection ? first(customers, SQL.customer, connection.customerId) : null;
    const planRow = connection?.planId != null ? first(plans, SQL.plan, connection.planId) : null;
    return {
      pppoeUser: user,
      customer: customerRow ? customer(customerRow) : null,
      connection,
      plan: planRow,
      onu: onu ? cachedOnu(onu) : null,
      secrets: secretRows.map((s) => ({ routerNodeId: s.routerNodeId, secret: secret(s) })),
      routers: routersFor(nodeIds),
    };
  }

  function subscriberOf(lookup: Lookup): CachedSubscriber | undefined {
    if (lookup.kind === "pppoe_user") return assemble(lookup.value.trim().toLowerCase(), null, null);
    if (lookup.kind === "onu_serial") {
      const onu = first(onus, SQL.onuBySerial, lookup.value.trim().toUpperCase());
      return onu ? assemble(onu.pppoeUser, onu, null) : undefined;
    }
    // A customer code names a customer; the diagnosis is about the first live connection of theirs.
    const customerRow = first(customers, SQL.customerByCode, lookup.value.trim());
    if (!customerRow) return undefined;
    const connection = first(connections, SQL.connectionOfCustomer, customerRow.id);
    if (!connection) return { pppoeUser: null, customer: customer(customerRow), connection: null, plan: null, onu: null, secrets: [], routers: new Map() };
    return assemble(connection.pppoeUser, null, connection);
  }

  return {
    subscriber: async (lookup) => snapshot(() => subscriberOf(lookup)),

    async neighbours(onu) {
      const pon = onu.board !== null && onu.port !== null;
      const rows = pon && onu.odbName
        ? all(onus, SQL.onPortOrOdb, onu.oltId, onu.board, onu.port, onu.oltId, onu.odbName)
        : pon
          ? all(onus, SQL.onPort, onu.oltId, onu.board, onu.port)
          : onu.odbName
            ? all(onus, SQL.onOdb, onu.oltId, onu.odbName)
            : [];
      return rows.map(peer);
    },

    async statusSnapshot(oltId) {
      const rows = oltId !== undefined && oltId !== "" ? all(onus, SQL.snapshotOfOlt, oltId) : all(onus, SQL.snapshot);
      return rows.map(peer);
    },

    async signalSamples(externalIds, since) {
      if (externalIds.length === 0) return [];
      return all(samples, SQL.samples, JSON.stringify(externalIds), since.getTime()).map((r) => ({
        externalId: r.externalId,
        at: r.at,
        rxPowerDbm: r.rxPowerDbm,
        oltRxPowerDbm: r.oltRxPowerDbm,
      }));
    },

    async statusEvents(externalIds, since) {
      if (externalIds.length === 0) return [];
      return all(events, SQL.events, JSON.stringify(externalIds), since.getTime()).map((r) => ({
        externalId: r.externalId,
        at: r.at,
        changedAt: r.changedAt,
        status: onuStatus(r.status),
        previousStatus: r.previousStatus === null ? null : onuStatus(r.previousStatus),
      }));
    },

    async freshness() {
      return new Map(all(sources, SQL.sources).map((r) => [r.source, r.lastSuccessAt]));
    },

    async searchExtras(users) {
      if (users.length === 0) return new Map();
      const list = JSON.stringify(users);
      const [subs, secretRows] = snapshot(() => [all(subscribers, SQL.subscribersOf, list), all(secrets, SQL.secretsOf, list)] as const);
      const out = new Map<string, { customerId: number | null; secretComment: string | null }>();
      for (const s of subs) out.set(s.pppoeUser, { customerId: s.customerId, secretComment: null });
      for (const s of secretRows) {
        const row = out.get(s.name);
        if (row && row.secretComment === null) row.secretComment = s.comment;
      }
      return out;
    },

    async router(nodeId) {
      const row = first(routers, SQL.router, nodeId);
      return row ? routerTarget(row) : undefined;
    },
  };
}

function onuStatus(s: string): OnuStatus {
  return ONU_STATUSES.has(s) ? (s as OnuStatus) : "unknown";
}

function routerTarget(r: RouterRow): RouterTarget {
  return { nodeId: r.nodeId, name: r.name, host: r.host, port: r.port };
}

function customer(r: CustomerRow): Customer {
  return {
    ...r,
    status: CUSTOMER_STATUSES.has(r.status) ? (r.status as CustomerStatus) : "other",
    phones: JSON.parse(r.phones) as string[],
    emails: JSON.parse(r.emails) as string[],
  };
}

function secret(r: PppSecretRow): PppSecret {
  const { routerNodeId: _router, ...rest } = r;
  return rest;
}

/** The ONU as the subscriber's: its `pppoeUser` is the link (SMARTOLT_ONU_LINK), not the raw `username`. */
function cachedOnu(r: OnuRow): CachedOnu {
  const { username: _username, linkVia: _via, ...rest } = r;
  return { ...rest, status: onuStatus(r.status), vlans: JSON.parse(r.vlans) as number[] };
}

function peer(r: OnuRow): OnuPeer {
  return {
    externalId: r.externalId,
    serial: r.serial,
    pppoeUser: r.pppoeUser,
    oltId: r.oltId,
    oltName: r.oltName,
    board: r.board,
    port: r.port,
    odbName: r.odbName,
    zoneName: r.zoneName,
    status: onuStatus(r.status),
    adminEnabled: r.adminEnabled,
    lastStatusChange: r.lastStatusChange,
    rxPowerDbm: r.rxPowerDbm,
    oltRxPowerDbm: r.oltRxPowerDbm,
    statusObservedAt: r.statusObservedAt,
    signalObservedAt: r.signalObservedAt,
  };
}
