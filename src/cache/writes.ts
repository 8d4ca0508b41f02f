import type {
  Connection,
  Customer,
  OnuRecord,
  OnuSignalReading,
  OnuStatusReading,
  Plan,
  PppSecret,
  RouterTarget,
} from "../domain/types.js";
import type { Sqlite } from "./db.js";
import { STAGED } from "./migrations/0003-staging.js";
import { rebuildSubscribers } from "./subscribers.js";

/** A router as the inventory keeps it: Mikrotik nodes plus the MK_HOST default. */
export type InventoryRouter = RouterTarget & { type: string };

export interface SignalSampling {
  /** Keep a sample when a level moved at least this much since the last kept one. */
  minDeltaDb: number;
  /** ...or when the last kept sample is older than this. */
  maxAgeMs: number;
}

type StagedTable = (typeof STAGED)[number];
type Counts = Record<string, number>;

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const bool = (b: boolean): number => (b ? 1 : 0);

/**
 * Inventory writes. A source's rows are first staged (page by page, as they arrive) and then
 * committed in ONE transaction: delete the source's rows, copy the staged ones in, rebuild the
 * subscriber join and its search index. A run that fails or is killed before that COMMIT leaves the
 * previous snapshot complete: the staging tables are scratch, cleared at the start of every run.
 */
export function createCacheWriter(db: Sqlite) {
  const columns = (table: string): string =>
    (db.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name).join(", ");
  const insertInto = (table: string, n: number, verb = "insert"): string => `${verb} into ${table} values (${Array(n).fill("?").join(",")})`;

  const stageCustomer = db.prepare(insertInto("stage_customer", 15));
  const stageConnection = db.prepare(insertInto("stage_connection", 9));
  const stageOnu = db.prepare(insertInto("stage_onu", 25));
  const stageSecret = db.prepare(insertInto("stage_ppp_secret", 11));
  const insertPlan = db.prepare(insertInto("plan", 5, "insert or replace"));
  const insertRouter = db.prepare(insertInto("router", 5, "insert or replace"));
  const count = (table: string): number => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const swapIn = (table: StagedTable, where = "", ...params: unknown[]): void => {
    const cols = columns(table);
    db.prepare(`insert or replace into ${table} (${cols}) select ${cols} from stage_${table} ${where}`).run(...params);
    db.prepare(`delete from stage_${table}`).run();
  };

  const resetStage = (...tables: StagedTable[]): void => {
    for (const t of tables) db.prepare(`delete from stage_${t}`).run();
  };

  const stageCustomers = db.transaction((customers: Customer[]) => {
    for (const c of customers) {
      stageCustomer.run(c.id, c.code, c.name, c.docNumber, c.address, c.city, c.status, c.statusRaw, c.debt, c.dueDebt,
        JSON.stringify(c.phones), JSON.stringify(c.emails), ms(c.blockedAt), ms(c.createdAt), bool(c.deleted));
    }
  });
  const stageConnections = db.transaction((connections: Connection[]) => {
    for (const c of connections) stageConnection.run(c.id, c.customerId, c.planId, c.nodeId, c.kind, c.pppoeUser, c.address, c.ip, bool(c.deleted));
  });
  const stageOnus = db.transaction((onus: OnuRecord[], at: Date) => {
    const now = at.getTime();
    for (const o of onus) {
      stageOnu.run(o.externalId, o.serial, o.oltId, o.oltName, o.board, o.port, o.onuIndex, o.zoneId, o.zoneName, o.odbName,
        o.name, o.address, o.pppoeUser, o.status, bool(o.adminEnabled), ms(o.lastStatusChange), o.rxPowerDbm, o.oltRxPowerDbm,
        o.signalCategory, JSON.stringify(o.vlans), o.onuType, o.mode, o.distanceM, now, now);
    }
  });
  const stageSecrets = db.transaction((routerNodeId: number, secrets: PppSecret[]) => {
    for (const s of secrets) {
      stageSecret.run(routerNodeId, s.name, s.profile, s.service, bool(s.disabled), s.remoteAddress, s.callerId,
        ms(s.lastLoggedOut), s.lastCallerId, s.lastDisconnectReason, s.comment);
    }
  });

  const commitIspCube = db.transaction((rest: { plans: Plan[]; routers: InventoryRouter[] }): Counts => {
    for (const table of ["customer", "connection", "plan", "router"]) db.prepare(`delete from ${table}`).run();
    swapIn("customer");
    swapIn("connection");
    for (const p of rest.plans) insertPlan.run(p.id, p.name, p.downloadKbps, p.uploadKbps, p.price);
    for (const r of rest.routers) insertRouter.run(r.nodeId, r.name, r.host, r.port, r.type);
    return { customers: count("customer"), connections: count("connection"), plans: rest.plans.length, routers: rest.routers.length, subscribers: rebuildSubscribers(db) };
  });

  const commitSmartOlt = db.transaction((): Counts => {
    db.prepare("delete from onu").run();
    swapIn("onu");
    return { onus: count("onu"), subscribers: rebuildSubscribers(db) };
  });

  /** Replaces the secrets of the routers that answered; `known` lists every router still in the inventory. */
  const commitRouterSecrets = db.transaction((answered: number[], known: number[]): Counts => {
    db.prepare("delete from ppp_secret where router_node_id in (select value from json_each(?))").run(JSON.stringify(answered));
    db.prepare("delete from ppp_secret where router_node_id not in (select value from json_each(?))").run(JSON.stringify(known));
    swapIn("ppp_secret", "where router_node_id in (select value from json_each(?))", JSON.stringify(answered));
    return { routers: answered.length, secrets: count("ppp_secret"), subscribers: rebuildSubscribers(db) };
  });

  const applyStatuses = db.transaction((readings: OnuStatusReading[], at: Date): Counts => {
    const previous = new Map<string, string>();
    for (const row of db.prepare("select external_id, status from onu").iterate() as Iterable<{ external_id: string; status: string }>) {
      previous.set(row.external_id, row.status);
    }
    const update = db.prepare("update onu set status = ?, last_status_change = ?, status_observed_at = ? where external_id = ?");
    const event = db.prepare("insert into onu_status_event (external_id, at, changed_at, status, previous_status) values (?,?,?,?,?)");
    let changed = 0;
    let unknown = 0;
    const now = at.getTime();
    for (const r of readings) {
      const before = previous.get(r.externalId);
      if (before === undefined) {
        unknown++; // authorised since the last inventory: it arrives with the next one
        continue;
      }
      update.run(r.status, ms(r.lastStatusChange), now, r.externalId);
      if (before !== r.status) {
        changed++;
        event.run(r.externalId, now, ms(r.lastStatusChange), r.status, before);
      }
    }
    return { statuses: readings.length - unknown, changed, unknown };
  });

  const applySignals = db.transaction((readings: OnuSignalReading[], at: Date, sampling: SignalSampling): Counts => {
    const last = new Map<string, { at: number; rx: number | null; olt: number | null }>();
    const latest = db.prepare(`select external_id, at, rx_power_dbm, olt_rx_power_dbm from onu_signal_sample
      where id in (select max(id) from onu_signal_sample group by external_id)`);
    for (const r of latest.iterate() as Iterable<{ external_id: string; at: number; rx_power_dbm: number | null; olt_rx_power_dbm: number | null }>) {
      last.set(r.external_id, { at: r.at, rx: r.rx_power_dbm, olt: r.olt_rx_power_dbm });
    }
    const update = db.prepare(`update onu set rx_power_dbm = ?, olt_rx_power_dbm = ?, signal_category = ?, signal_observed_at = ?
      where external_id = ?`);
    const sample = db.prepare("insert into onu_signal_sample (external_id, at, rx_power_dbm, olt_rx_power_dbm) values (?,?,?,?)");
    const now = at.getTime();
    let updated = 0;
    let sampled = 0;
    for (const r of readings) {
      if (update.run(r.rxPowerDbm, r.oltRxPowerDbm, r.signalCategory, now, r.externalId).changes === 0) continue;
      updated++;
      const prev = last.get(r.externalId);
      if (!prev || now - prev.at >= sampling.maxAgeMs || moved(prev.rx, r.rxPowerDbm, sampling) || moved(prev.olt, r.oltRxPowerDbm, sampling)) {
        sample.run(r.externalId, now, r.rxPowerDbm, r.oltRxPowerDbm);
        sampled++;
      }
    }
    return { signals: updated, sampled };
  });

  return {
    resetStage,
    stageCustomers,
    stageConnections,
    stageOnus,
    stageSecrets,
    commitIspCube,
    commitSmartOlt,
    commitRouterSecrets,
    applyStatuses,
    applySignals,
    /** Drops history older than the retention window. */
    prune(before: Date): Counts {
      const t = before.getTime();
      return {
        statusEvents: db.prepare("delete from onu_status_event where at < ?").run(t).changes,
        signalSamples: db.prepare("delete from onu_signal_sample where at < ?").run(t).changes,
      };
    },
  };
}

export type CacheWriter = ReturnType<typeof createCacheWriter>;

function moved(a: number | null, b: number | null, s: SignalSampling): boolean {
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) >= s.minDeltaDb;
}
