import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openCacheDb, type CacheDb } from "../../src/cache/db.js";
import { openOrm, type Orm } from "../../src/cache/orm.js";
import type { CacheWriter, InventoryRouter } from "../../src/cache/writes.js";
import type { Connection, Customer, OnuRecord, Plan, PppSecret, RouterTarget } from "../../src/domain/types.js";

export interface TempCache {
  path: string;
  orm: Orm;
  db: CacheDb;
  close(): Promise<void>;
}

/** A migrated cache database in a temporary directory. */
export async function openTempCache(): Promise<TempCache> {
  const dir = mkdtempSync(join(tmpdir(), "beholder-cache-"));
  const path = join(dir, "cache.db");
  const orm = await openOrm(path, pino({ level: "silent" }));
  const db = openCacheDb(path);
  return {
    path,
    orm,
    db,
    async close() {
      db.close();
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
export function replaceIspCube(
  w: CacheWriter,
  s: { customers: Customer[]; connections: Connection[]; plans: Plan[]; routers: InventoryRouter[] },
): Record<string, number> {
  w.resetStage("customer", "connection");
  w.stageCustomers(s.customers);
  w.stageConnections(s.connections);
  return w.commitIspCube({ plans: s.plans, routers: s.routers });
}

export function replaceSmartOlt(w: CacheWriter, onus: OnuRecord[], at: Date): Record<string, number> {
  w.resetStage("onu");
  w.stageOnus(onus, at);
  return w.commitSmartOlt();
}

export function replaceRouterSecrets(w: CacheWriter, results: { router: RouterTarget; secrets: PppSecret[] }[], known: number[]): Record<string, number> {
  w.resetStage("ppp_secret");
  for (const r of results) w.stageSecrets(r.router.nodeId, r.secrets);
  return w.commitRouterSecrets(results.map((r) => r.router.nodeId), known);
}
