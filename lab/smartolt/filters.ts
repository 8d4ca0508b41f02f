import type { Onu, SmartOltWorld } from "../scenario/types.js";

export type OnuPredicate = (onu: Onu) => boolean;

/**
 * The bulk endpoints' filters (shared/vendors/smartolt.md §2.2): `olt_id`, `board`, `port` compared as
 * the strings SmartOLT sends, `zone` by zone **name**, and on `get_all_onus_details` also `odb` by ODB
 * name. An empty value counts as absent, since clients send `?olt_id=&board=&…`; any other parameter is
 * ignored (§5.5: a mistyped filter returns every row).
 */
export function bulkFilter(world: SmartOltWorld, query: URLSearchParams, opts: { odb: boolean }): OnuPredicate {
  const tests: OnuPredicate[] = [];
  const oltId = param(query, "olt_id");
  if (oltId !== undefined) tests.push((o) => String(o.oltId) === oltId);
  const board = param(query, "board");
  if (board !== undefined) tests.push((o) => String(o.board) === board);
  const port = param(query, "port");
  if (port !== undefined) tests.push((o) => String(o.port) === port);
  const zone = param(query, "zone");
  if (zone !== undefined) {
    const ids = new Set(world.zones.filter((z) => z.name === zone).map((z) => z.id));
    tests.push((o) => ids.has(o.zoneId));
  }
  const odb = opts.odb ? param(query, "odb") : undefined;
  if (odb !== undefined) {
    const ids = new Set(world.odbs.filter((d) => d.name === odb).map((d) => d.id));
    tests.push((o) => o.odbId !== null && ids.has(o.odbId));
  }
  if (tests.length === 0) return () => true;
  return (onu) => tests.every((t) => t(onu));
}

export function param(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name)?.trim();
  return v === undefined || v === "" ? undefined : v;
}
