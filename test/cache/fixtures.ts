import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openOrm, type Orm } from "../../src/cache/orm.js";
import { openSearchConnection, type SearchConnection } from "../../src/cache/search.js";
import { createSqliteSubscriberIndex } from "../../src/cache/subscribers.js";
import { createCacheWriter, type CacheWriter, type InventoryRouter } from "../../src/cache/writes.js";
import type { Connection, Customer, OnuRecord, Plan, PppSecret, RouterTarget } from "../../src/domain/types.js";

export interface TempCache {
  path: string;
  orm: Orm;
  writer: CacheWriter;
  /** A searcher on a new read-only connection (closed with the cache). */
  searcher(): SearchConnection;
  close(): Promise<void>;
}

/** A migrated cache database in a temporary directory; `rows`: the writer's rows per transaction. */
export async function openTempCache(index: { chunk?: number; rows?: number } = {}): Promise<TempCache> {
  const dir = mkdtempSync(join(tmpdir(), "beholder-cache-"));
  const path = join(dir, "cache.db");
  const orm = await openOrm(path, pino({ level: "silent" }));
  const searchers: SearchConnection[] = [];
  return {
    path,
    orm,
    writer: createCacheWriter(orm, createSqliteSubscriberIndex(index.chunk ? { chunk: index.chunk } : {}), index.rows ? { rows: index.rows } : {}),
    searcher() {
      const s = openSearchConnection(path);
      searchers.push(s);
      return s;
    },
    async close() {
      for (const s of searchers) s.close();
      await orm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function customer(over: Partial<Customer> & Pick<Customer, "id" | "name">): Customer {
  return {
    code: String(over.id).padStart(6, "0"),
    docNumber: null,
    address: null,
    city: "La Plata",
    status: "enabled",
    statusRaw: "enabled",
    debt: "0.00",
    dueDebt: "0.00",
    phones: [],
    emails: [],
    blockedAt: null,
    createdAt: new Date("2024-01-01T03:00:00Z"),
    deleted: false,
    ...over,
  };
}

export function connection(over: Partial<Connection> & Pick<Connection, "id" | "customerId" | "pppoeUser">): Connection {
  return { planId: 1, nodeId: 1, kind: "pppoe", address: null, ip: null, deleted: false, ...over };
}

export function onu(over: Partial<OnuRecord> & Pick<OnuRecord, "externalId" | "pppoeUser">): OnuRecord {
  return {
    serial: over.externalId,
    oltId: "1",
    oltName: "OLT Centro",
    board: 1,
    port: 0,
    onuIndex: 1,
    zoneId: "1",
    zoneName: "Centro",
    odbName: "NAP-01",
    name: over.pppoeUser ?? "onu",
    address: null,
    status: "online",
    adminEnabled: true,
    lastStatusChange: new Date("2026-11-27T10:00:00Z"),
    rxPowerDbm: -20.5,
    oltRxPowerDbm: -24.1,
    signalCategory: "Very good",
    vlans: [100],
    onuType: "HG8310M",
    mode: "Routing",
    distanceM: 1200,
    ...over,
  };
}

export function secret(over: Partial<PppSecret> & Pick<PppSecret, "name">): PppSecret {
  return {
    profile: "50M",
    service: "pppoe",
    disabled: false,
    remoteAddress: null,
    callerId: null,
    lastLoggedOut: null,
    lastCallerId: null,
    lastDisconnectReason: null,
    comment: null,
    ...over,
  };
}

/** Stages and commits a whole ISPCube snapshot, as one inventory run would. */
export async function replaceIspCube(
  w: CacheWriter,
  s: { customers: Customer[]; connections: Connection[]; plans: Plan[]; routers: InventoryRouter[] },
): Promise<Record<string, number>> {
  await w.resetStage("customer", "connection");
  await w.stageCustomers(s.customers);
  await w.stageConnections(s.connections);
  return w.commitIspCube({ plans: s.plans, routers: s.routers });
}

export async function replaceSmartOlt(w: CacheWriter, onus: OnuRecord[], at: Date): Promise<Record<string, number>> {
  await w.resetStage("onu");
  await w.stageOnus(onus, at);
  return w.commitSmartOlt();
}

export async function replaceRouterSecrets(
  w: CacheWriter,
  results: { router: RouterTarget; secrets: PppSecret[] }[],
  known: number[],
): Promise<Record<string, number>> {
  await w.resetStage("ppp_secret");
  for (const r of results) await w.stageSecrets(r.router.nodeId, r.secrets);
  return w.commitRouterSecrets(results.map((r) => r.router.nodeId), known);
}
