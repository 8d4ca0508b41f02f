import type { EntityManager } from "@mikro-orm/better-sqlite";
import { sql, type EntityName, type RequiredEntityData } from "@mikro-orm/core";
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
import { OnuSignalSampleSchema, OnuStatusEventSchema } from "./entities/history.js";
import { ConnectionSchema, CustomerSchema, OnuSchema, PlanSchema, PppSecretSchema, PppSessionSchema, RouterSchema, type OnuRow } from "./entities/inventory.js";
import { STAGED, type StagedTable } from "./entities/staging.js";
import { SourceStateSchema } from "./entities/sync.js";
import { insertBatched, moveStaged, updateBatched } from "./batch.js";
import type { Orm } from "./orm.js";
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

/** Writes through MikroORM (`orm` is the sync's own connection); `index` rebuilds the joined, searchable view. */
export function createCacheWriter(orm: Orm, index: SubscriberIndex): CacheWriter {
  const stage = async <T extends object>(entity: EntityName<T>, rows: RequiredEntityData<T>[]): Promise<void> => {
    // One transaction per page: one fsync, not one per batch.
    await orm.em.fork().transactional((em) => insertBatched(em, entity, rows));
  };
  const count = <T extends object>(em: EntityManager, entity: EntityName<T>): Promise<number> => em.count(entity, {});

  return {
    async resetStage(...tables) {
      const em = orm.em.fork();
      for (const t of tables) await em.nativeDelete(STAGED[t] as EntityName<object>, {});
    },

    stageCustomers: (customers) =>
      stage(STAGED.customer, customers.map((c) => ({ ...c, phones: JSON.stringify(c.phones), emails: JSON.stringify(c.emails) }))),

    stageConnections: (connections) => stage(STAGED.connection, connections.map((c) => ({ ...c }))),

    stageOnus: (onus, at) =>
      stage(
        STAGED.onu,
        onus.map((o): OnuRow => ({
          ...o,
          // The link is decided when the join is rebuilt (subscribers.ts), against every source's users.
          pppoeUser: null,
          username: o.pppoeUser,
          linkVia: null,
          vlans: JSON.stringify(o.vlans),
          statusObservedAt: at,
          signalObservedAt: at,
        })),
      ),

    stageSecrets: (routerNodeId, secrets) => stage(STAGED.ppp_secret, secrets.map((s) => ({ ...s, routerNodeId }))),

    commitIspCube: (rest, stamp) =>
      orm.em.fork().transactional(async (em) => {
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
      orm.em.fork().transactional(async (em) => {
        await em.nativeDelete(OnuSchema, {});
        await moveStaged(em, "onu");
        const counts = { onus: await count(em, OnuSchema), ...(await index.rebuild(em)) };
        await stampSource(em, stamp, counts);
        return counts;
      }),

    commitRouterSecrets: (answered, known, stamp) =>
      orm.em.fork().transactional(async (em) => {
        await em.nativeDelete(PppSecretSchema, { routerNodeId: { $in: answered } });
        await em.nativeDelete(PppSecretSchema, { routerNodeId: { $nin: known } });
        await moveStaged(em, "ppp_secret", { routerNodeId: answered });
        const counts = { routers: answered.length, secrets: await count(em, PppSecretSchema), ...(await index.rebuild(em)) };
        await stampSource(em, stamp, counts);
        return counts;
      }),

    replaceSessions: (routerNodeId, names) =>
      orm.em.fork().transactional(async (em) => {
        await em.nativeDelete(PppSessionSchema, { routerNodeId });
        await insertBatched(em, PppSessionSchema, [...new Set(names.map((n) => n.trim()))].map((name) => ({ routerNodeId, name })));
        return { sessions: names.length };
      }),

    applyStatuses: (readings, at) =>
      orm.em.fork().transactional(async (em) => {
        const previous = new Map<string, string>();
        const rows = await em.createQueryBuilder(OnuSchema).select(["externalId", "status"]).execute("all");
        for (const r of rows) previous.set(r.externalId, r.status);
        const known = readings.filter((r) => previous.has(r.externalId));
        const events = known
          .filter((r) => previous.get(r.externalId) !== r.status)
          .map((r) => ({ externalId: r.externalId, at, changedAt: r.lastStatusChange, status: r.status, previousStatus: previous.get(r.externalId) ?? null }));
        await updateBatched(em, OnuSchema, "externalId", known.map((r) => ({ externalId: r.externalId, status: r.status, lastStatusChange: r.lastStatusChange, statusObservedAt: at })));
        await insertBatched(em, OnuStatusEventSchema, events);
        // The unknown ones were authorised since the last inventory: they arrive with the next one.
        return { statuses: known.length, changed: events.length, unknown: readings.length - known.length };
      }),

    applySignals: (readings, at, sampling) =>
      orm.em.fork().transactional(async (em) => {
        const onus = new Set((await em.createQueryBuilder(OnuSchema).select(["externalId"]).execute("all")).map((r) => r.externalId));
        const last = new Map<string, { at: Date; rx: number | null; olt: number | null }>();
        const latest = await em
          .createQueryBuilder(OnuSignalSampleSchema, "s")
          .select(["externalId", "at", "rxPowerDbm", "oltRxPowerDbm"])
          .where({ id: { $in: em.createQueryBuilder(OnuSignalSampleSchema, "m").select(sql`max(m.id)`).groupBy("externalId").getKnexQuery() } })
          .execute("all");
        for (const r of latest) last.set(r.externalId, { at: new Date(r.at), rx: r.rxPowerDbm, olt: r.oltRxPowerDbm });
        const known = readings.filter((r) => onus.has(r.externalId));
        const samples = known
          .filter((r) => {
            const prev = last.get(r.externalId);
            return !prev || at.getTime() - prev.at.getTime() >= sampling.maxAgeMs || moved(prev.rx, r.rxPowerDbm, sampling) || moved(prev.olt, r.oltRxPowerDbm, sampling);
          })
          .map((r) => ({ externalId: r.externalId, at, rxPowerDbm: r.rxPowerDbm, oltRxPowerDbm: r.oltRxPowerDbm }));
        await updateBatched(
          em,
          OnuSchema,
          "externalId",
          known.map((r) => ({ externalId: r.externalId, rxPowerDbm: r.rxPowerDbm, oltRxPowerDbm: r.oltRxPowerDbm, signalCategory: r.signalCategory, signalObservedAt: at })),
        );
        await insertBatched(em, OnuSignalSampleSchema, samples);
        return { signals: known.length, sampled: samples.length };
      }),

    async prune(before) {
      const em = orm.em.fork();
      return {
        statusEvents: await em.nativeDelete(OnuStatusEventSchema, { at: { $lt: before } }),
        signalSamples: await em.nativeDelete(OnuSignalSampleSchema, { at: { $lt: before } }),
      };
    },
  };
}

function moved(a: number | null, b: number | null, s: SignalSampling): boolean {
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) >= s.minDeltaDb;
}
