import type { EntityManager } from "@mikro-orm/better-sqlite";
import type { Connection, Customer, CustomerStatus, OnuRecord, OnuStatus, Plan, PppSecret, RouterTarget } from "../domain/types.js";
import type { Orm } from "./orm.js";
import { OnuSignalSampleSchema, OnuStatusEventSchema, type OnuSignalSampleRow, type OnuStatusEventRow } from "./entities/history.js";
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
 * The diagnosis' reads of the cache, through MikroORM (each call on its own forked EntityManager,
 * identity map off: these are read-only snapshots, never flushed).
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
const NO_MAP = { disableIdentityMap: true } as const;

export function createDiagnosisReads(orm: Orm): DiagnosisReads {
  const em = (): EntityManager => orm.em.fork({ clear: true }) as EntityManager;

  async function routersFor(e: EntityManager, ids: number[]): Promise<Map<number, RouterTarget>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await e.find(RouterSchema, { nodeId: { $in: unique } }, NO_MAP);
    return new Map(rows.map((r) => [r.nodeId, routerTarget(r)]));
  }

  async function assemble(e: EntityManager, user: string | null, onuRow: OnuRow | null, connectionRow: ConnectionRow | null): Promise<CachedSubscriber | undefined> {
    // Independent reads side by side: one round of awaits, not six.
    const [connection, onu, secrets] = await Promise.all([
      connectionRow ?? (user ? e.findOne(ConnectionSchema, { pppoeUser: user, deleted: false }, { ...NO_MAP, orderBy: { id: "asc" } }) : null),
      onuRow ?? (user ? e.findOne(OnuSchema, { pppoeUser: user }, { ...NO_MAP, orderBy: { externalId: "asc" } }) : null),
      user ? e.find(PppSecretSchema, { name: user }, { ...NO_MAP, orderBy: { routerNodeId: "asc" } }) : Promise.resolve([] as PppSecretRow[]),
    ]);
    if (!connection && !onu && secrets.length === 0) return undefined;
    const nodeIds = [...secrets.map((s) => s.routerNodeId), ...(connection?.nodeId != null ? [connection.nodeId] : [])];
    const [customerRow, planRow, routers] = await Promise.all([
      connection ? e.findOne(CustomerSchema, { id: connection.customerId }, NO_MAP) : null,
      connection?.planId != null ? e.findOne(PlanSchema, { id: connection.planId }, NO_MAP) : null,
      routersFor(e, nodeIds),
    ]);
    return {
      pppoeUser: user,
      customer: customerRow ? customer(customerRow) : null,
      connection: connection ? { ...connection } : null,
      plan: planRow ? { ...planRow } : null,
      onu: onu ? cachedOnu(onu) : null,
      secrets: secrets.map((s) => ({ routerNodeId: s.routerNodeId, secret: secret(s) })),
      routers,
    };
  }

  return {
    async subscriber(lookup) {
      const e = em();
      if (lookup.kind === "pppoe_user") {
        const user = lookup.value.trim().toLowerCase();
        return assemble(e, user, null, null);
      }
      if (lookup.kind === "onu_serial") {
        const onu = await e.findOne(OnuSchema, { serial: lookup.value.trim().toUpperCase() }, NO_MAP);
        if (!onu) return undefined;
        return assemble(e, onu.pppoeUser, onu, null);
      }
      // A customer code names a customer; the diagnosis is about the first live connection of theirs.
      const customerRow = await e.findOne(CustomerSchema, { code: lookup.value.trim() }, NO_MAP);
      if (!customerRow) return undefined;
      const connection = await e.findOne(ConnectionSchema, { customerId: customerRow.id, deleted: false }, { ...NO_MAP, orderBy: { id: "asc" } });
      if (!connection) {
        return { pppoeUser: null, customer: customer(customerRow), connection: null, plan: null, onu: null, secrets: [], routers: new Map() };
      }
      return assemble(e, connection.pppoeUser, null, connection);
    },

    async neighbours(onu) {
      const e = em();
      const or: object[] = [];
      if (onu.board !== null && onu.port !== null) or.push({ oltId: onu.oltId, board: onu.board, port: onu.port });
      if (onu.odbName) or.push({ oltId: onu.oltId, odbName: onu.odbName });
      if (or.length === 0) return [];
      const rows = await e.find(OnuSchema, { $or: or } as never, { ...NO_MAP, orderBy: { externalId: "asc" } });
      return rows.map(peer);
    },

    async statusSnapshot(oltId) {
      const e = em();
      const qb = e
        .createQueryBuilder(OnuSchema)
        .select(["externalId", "serial", "pppoeUser", "oltId", "oltName", "board", "port", "odbName", "zoneName", "status", "adminEnabled",
          "lastStatusChange", "rxPowerDbm", "oltRxPowerDbm", "statusObservedAt", "signalObservedAt"])
        .orderBy({ externalId: "asc" });
      if (oltId !== undefined && oltId !== "") qb.where({ oltId });
      const rows = (await qb.execute("all", true)) as unknown as OnuRow[];
      return rows.map((r) => peer(withDates(r)));
    },

    async signalSamples(externalIds, since) {
      if (externalIds.length === 0) return [];
      const rows: OnuSignalSampleRow[] = await em().find(
        OnuSignalSampleSchema,
        { externalId: { $in: externalIds }, at: { $gte: since } },
        { ...NO_MAP, orderBy: { externalId: "asc", at: "asc" } },
      );
      return rows.map((r) => ({ externalId: r.externalId, at: r.at, rxPowerDbm: r.rxPowerDbm, oltRxPowerDbm: r.oltRxPowerDbm }));
    },

    async statusEvents(externalIds, since) {
      if (externalIds.length === 0) return [];
      const rows: OnuStatusEventRow[] = await em().find(
        OnuStatusEventSchema,
        { externalId: { $in: externalIds }, at: { $gte: since } },
        { ...NO_MAP, orderBy: { at: "asc", id: "asc" } },
      );
      return rows.map((r) => ({
        externalId: r.externalId,
        at: r.at,
        changedAt: r.changedAt,
        status: onuStatus(r.status),
        previousStatus: r.previousStatus === null ? null : onuStatus(r.previousStatus),
      }));
    },

    async freshness() {
      const rows = await em().find(SourceStateSchema, {}, NO_MAP);
      return new Map(rows.map((r) => [r.source, r.lastSuccessAt]));
    },

    async searchExtras(users) {
      if (users.length === 0) return new Map();
      const e = em();
      const [subs, secrets] = await Promise.all([
        e.find(SubscriberSchema, { pppoeUser: { $in: users } }, NO_MAP),
        e.find(PppSecretSchema, { name: { $in: users } }, { ...NO_MAP, orderBy: { routerNodeId: "asc" } }),
      ]);
      const out = new Map<string, { customerId: number | null; secretComment: string | null }>();
      for (const s of subs) out.set(s.pppoeUser, { customerId: s.customerId, secretComment: null });
      for (const s of secrets) {
        const row = out.get(s.name);
        if (row && row.secretComment === null) row.secretComment = s.comment;
      }
      return out;
    },

    async router(nodeId) {
      const row = await em().findOne(RouterSchema, { nodeId }, NO_MAP);
      return row ? routerTarget(row) : undefined;
    },
  };
}

/** The query builder hands back raw column values for dates; entities elsewhere get Dates. */
function withDates(r: OnuRow): OnuRow {
  const d = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(Number(v)));
  return {
    ...r,
    lastStatusChange: d(r.lastStatusChange),
    statusObservedAt: d(r.statusObservedAt) as Date,
    signalObservedAt: d(r.signalObservedAt) as Date,
    adminEnabled: Boolean(r.adminEnabled),
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
