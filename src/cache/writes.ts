import type { EntityManager } from "@mikro-orm/better-sqlite";
import type { EntityName, EntitySchema, RequiredEntityData } from "@mikro-orm/core";
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
import { ConnectionSchema, CustomerSchema, OnuSchema, PlanSchema, PppSecretSchema, PppSessionSchema, RouterSchema, type OnuRow } from "./entities/inventory.js";
import { STAGED, type StagedTable } from "./entities/staging.js";
import { SourceStateSchema } from "./entities/sync.js";
import { insertBatched, insertPrepared, moveStaged, sqliteValue, statement } from "./batch.js";
import { sqliteOf, type Orm } from "./orm.js";
import type { SubscriberIndex } from "./subscribers.js";

/** A router as the inventory keeps it: Mikrotik nodes plus the MK_HOST default. */
export type InventoryRouter = RouterTarget & { type: string };

export interface SignalSampling {
  /** Keep a sample when a level moved at least this much since the last kept one. */
  minDeltaDb: number;
  /** ...or when the last kept sample is older than this. */
  maxAgeMs: number;
}

type Counts = Record<string, number>;

/**
 * The source a commit refreshes and when its run started: its freshness is marked in the commit's own
 * transaction, so a process killed right after the COMMIT still shows which sources its run brought in.
 */
export interface SourceStamp {
  source: string;
  at: Date;
}

async function stampSource(em: EntityManager, stamp: SourceStamp | undefined, counts: Counts): Promise<void> {
  if (!stamp) return;
  const { source, at } = stamp;
  await em.upsert(SourceStateSchema, { source, lastAttemptAt: at, lastSuccessAt: at, stale: false, error: null, counts: JSON.stringify(counts) });
}

/**
 * The sync's writes. A source's rows are first staged (page by page, as they arrive) and then
 * committed in ONE transaction: delete the source's rows, move the staged ones in, rebuild the
 * subscriber join and its search index. A run that fails or is killed before that COMMIT leaves the
 * previous snapshot complete: the staging tables are scratch, cleared at the start of every run.
 */
export interface CacheWriter {
  resetStage(...tables: StagedTable[]): Promise<void>;
  stageCustomers(customers: Customer[]): Promise<void>;
  stageConnections(connections: Connection[]): Promise<void>;
  stageOnus(onus: OnuRecord[], at: Date): Promise<void>;
  stageSecrets(routerNodeId: number, secrets: PppSecret[]): Promise<void>;
  commitIspCube(rest: { plans: Plan[]; routers: InventoryRouter[] }, stamp?: SourceStamp): Promise<Counts>;
  commitSmartOlt(stamp?: SourceStamp): Promise<Counts>;
  /** Replaces the secrets of the routers that answered; `known` lists every router still in the inventory. */
  commitRouterSecrets(answered: number[], known: number[], stamp?: SourceStamp): Promise<Counts>;
  /** Statuses of known ONUs, and an event for each one that changed. */
  applyStatuses(readings: OnuStatusReading[], at: Date): Promise<Counts>;
  /** Replaces the sessions one router has up (its `/ppp/active`), in one transaction. */
  replaceSessions(routerNodeId: number, names: string[]): Promise<Counts>;
  /** Levels of known ONUs, and a sample when one moved or the last sample is old. */
  applySignals(readings: OnuSignalReading[], at: Date, sampling: SignalSampling): Promise<Counts>;
  /** Drops history older than the retention window. */
  prune(before: Date): Promise<Counts>;
}

/**
 * Rows written per transaction by the bulk writes outside a commit (staging, statuses, signals,
 * pruning), with the event loop free between two: better-sqlite3 runs on it, and at 100,000 rows one
 * transaction held it for seconds (docs/BENCHMARKS.md). A few ms each.
 */
export const WRITE_ROWS = 2_000;

/** Lets requests waiting on the event loop run between two transactions. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes through MikroORM (`orm` is the sync's own connection); `index` rebuilds the joined, searchable
 * view. Bulk rows go through statements prepared once on that connection (batch.ts `insertPrepared`),
 * inside MikroORM transactions. `rows` (tests) overrides WRITE_ROWS.
 */
export function createCacheWriter(orm: Orm, index: SubscriberIndex, opts: { rows?: number; afterWrite?: () => void } = {}): CacheWriter {
  const slice = Math.max(1, opts.rows ?? WRITE_ROWS);
  /** One transaction on the sync's connection; then `afterWrite` (the WAL checkpointer, cache.ts). */
  const tx = async <R>(fn: (em: EntityManager) => Promise<R>): Promise<R> => {
    const result = await orm.em.fork().transactional(fn);
    opts.afterWrite?.();
    return result;
  };
  /** Runs `fn` over `items` a slice at a time, each slice in its own transaction, yielding between them. */
  const inSlices = async <I>(items: readonly I[], fn: (part: readonly I[]) => void): Promise<void> => {
    for (let i = 0; i < items.length; i += slice) {
      if (i > 0) await breathe();
      await tx(async () => fn(items.slice(i, i + slice)));
    }
  };
  /** Staged rows: scratch until the commit, so a page may land over several transactions. */
  const stage = <I, T extends object>(entity: EntitySchema<T>, items: readonly I[], row: (item: I) => RequiredEntityData<T>): Promise<void> =>
    inSlices(items, (part) => insertPrepared(sqliteOf(orm), orm.em, entity, part.map(row)));
  const count = <T extends object>(em: EntityManager, entity: EntityName<T>): Promise<number> => em.count(entity, {});

  return {
    async resetStage(...tables) {
      const em = orm.em.fork();
      for (const t of tables) await em.nativeDelete(STAGED[t] as EntityName<object>, {});
    },

    stageCustomers: (customers) =>
      stage(STAGED.customer, customers, (c) => ({ ...c, phones: JSON.stringify(c.phones), emails: JSON.stringify(c.emails) })),

    stageConnections: (connections) => stage(STAGED.connection, connections, (c) => ({ ...c })),

    stageOnus: (onus, at) =>
      stage(
        STAGED.onu,
        onus,
        (o): OnuRow => ({
          ...o,
          // The link is decided when the join is rebuilt (subscribers.ts), against every source's users.
          pppoeUser: null,
          username: o.pppoeUser,
          linkVia: null,
          vlans: JSON.stringify(o.vlans),
          statusObservedAt: at,
          signalObservedAt: at,
        }),
      ),

    stageSecrets: (routerNodeId, secrets) => stage(STAGED.ppp_secret, secrets, (s) => ({ ...s, routerNodeId })),

    commitIspCube: (rest, stamp) =>
      tx(async (em) => {
        for (const entity of [CustomerSchema, ConnectionSchema, PlanSchema, RouterSchema]) await em.nativeDelete(entity as EntityName<object>, {});
        await moveStaged(em, "customer");
        await moveStaged(em, "connection");
        await insertBatched(em, PlanSchema, rest.plans);
        await insertBatched(em, RouterSchema, rest.routers);
        const counts = {
          customers: await count(em, CustomerSchema),
          connections: await count(em, ConnectionSchema),
          plans: rest.plans.length,
          routers: rest.routers.length,
          ...(await index.rebuild(em)),
        };
        await stampSource(em, stamp, counts);
        return counts;
      }),

    commitSmartOlt: (stamp) =>
      tx(async (em) => {
        await em.nativeDelete(OnuSchema, {});
        await moveStaged(em, "onu");
        const counts = { onus: await count(em, OnuSchema), ...(await index.rebuild(em)) };
        await stampSource(em, stamp, counts);
        return counts;
      }),

    commitRouterSecrets: (answered, known, stamp) =>
      tx(async (em) => {
        await em.nativeDelete(PppSecretSchema, { routerNodeId: { $in: answered } });
        await em.nativeDelete(PppSecretSchema, { routerNodeId: { $nin: known } });
        await moveStaged(em, "ppp_secret", { routerNodeId: answered });
        const counts = { routers: answered.length, secrets: await count(em, PppSecretSchema), ...(await index.rebuild(em)) };
        await stampSource(em, stamp, counts);
        return counts;
      }),

    replaceSessions: (routerNodeId, names) =>
      tx(async (em) => {
        await em.nativeDelete(PppSessionSchema, { routerNodeId });
        await insertBatched(em, PppSessionSchema, [...new Set(names.map((n) => n.trim()))].map((name) => ({ routerNodeId, name })));
        return { sessions: names.length };
      }),

    // Statuses and signals are per-ONU observations, each stamped with when it was seen: they are
    // written a slice at a time, so a run killed half-way leaves some ONUs refreshed and the rest as
    // they were, every row whole. Each reading reads its ONU's previous value, updates it and logs the
    // change, by key, with statements prepared once.
    async applyStatuses(readings, at) {
      const atMs = at.getTime();
      let known = 0;
      let changed = 0;
      await inSlices(readings, (part) => {
        const db = sqliteOf(orm);
        const current = statement(db, "select status from onu where external_id = ?");
        const update = statement(db, "update onu set status = ?, last_status_change = ?, status_observed_at = ? where external_id = ?");
        const event = statement(db, "insert into onu_status_event (external_id, at, changed_at, status, previous_status) values (?, ?, ?, ?, ?)");
        for (const r of part) {
          const previous = (current.get(r.externalId) as { status: string } | undefined)?.status;
          // The unknown ones were authorised since the last inventory: they arrive with the next one.
          if (previous === undefined) continue;
          known++;
          const changedAt = sqliteValue(r.lastStatusChange);
          update.run(r.status, changedAt, atMs, r.externalId);
          if (previous !== r.status) {
            event.run(r.externalId, atMs, changedAt, r.status, previous);
            changed++;
          }
        }
      });
      return { statuses: known, changed, unknown: readings.length - known };
    },

    async applySignals(readings, at, sampling) {
      const atMs = at.getTime();
      let known = 0;
      let sampled = 0;
      await inSlices(readings, (part) => {
        const db = sqliteOf(orm);
        const last = statement(
          db,
          "select at, rx_power_dbm as rx, olt_rx_power_dbm as olt from onu_signal_sample where id = (select max(id) from onu_signal_sample where external_id = ?)",
        );
        const update = statement(db, "update onu set rx_power_dbm = ?, olt_rx_power_dbm = ?, signal_category = ?, signal_observed_at = ? where external_id = ?");
        const sample = statement(db, "insert into onu_signal_sample (external_id, at, rx_power_dbm, olt_rx_power_dbm) values (?, ?, ?, ?)");
        for (const r of part) {
          const prev = last.get(r.externalId) as { at: number; rx: number | null; olt: number | null } | undefined;
          if (update.run(r.rxPowerDbm, r.oltRxPowerDbm, r.signalCategory, atMs, r.externalId).changes === 0) continue;
          known++;
          // A sample when the level moved, or the last kept one is old (or there is none).
          if (!prev || atMs - prev.at >= sampling.maxAgeMs || moved(prev.rx, r.rxPowerDbm, sampling) || moved(prev.olt, r.oltRxPowerDbm, sampling)) {
            sample.run(r.externalId, atMs, r.rxPowerDbm, r.oltRxPowerDbm);
            sampled++;
          }
        }
      });
      return { signals: known, sampled };
    },

    async prune(before) {
      // A slice of rows per statement: a week of history at 100,000 ONUs is many slices.
      const pruneTable = async (table: string): Promise<number> => {
        let deleted = 0;
        for (;;) {
          const res = (await orm.em.fork().execute(
            `delete from ${table} where id in (select id from ${table} where at < ? order by at limit ?)`,
            [before.getTime(), slice],
            "run",
          )) as { affectedRows: number };
          deleted += res.affectedRows;
          if (res.affectedRows < slice) return deleted;
          await breathe();
        }
      };
      const counts = { statusEvents: await pruneTable("onu_status_event"), signalSamples: await pruneTable("onu_signal_sample") };
      opts.afterWrite?.();
      return counts;
    },
  };
}

function moved(a: number | null, b: number | null, s: SignalSampling): boolean {
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) >= s.minDeltaDb;
}
