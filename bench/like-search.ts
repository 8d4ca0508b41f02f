import Database from "better-sqlite3";

/**
 * The old Python app's search, rebuilt from its description (shared/SEED.md): `LIKE '%q%'` over
 * ISPCube customers and connections, RouterOS secrets and SmartOLT ONUs, de-duplicated by PPPoE user
 * with ISPCube first. It runs on its own read-only connection to the same cache file. SQLite's LIKE
 * folds ASCII case only: `perez` never matches `PÉREZ`, nor `muñoz` `MUÑOZ`.
 */
export interface LikeSearch {
  /** Every distinct PPPoE user that matches, ISPCube rows first. */
  users(query: string): string[];
  close(): void;
}

/** `limitPerTable` adds a LIMIT to each statement: the old approach's best case for frequent terms. */
export function openLikeSearch(path: string, limitPerTable?: number): LikeSearch {
  const db = new Database(path, { readonly: true });
  const limit = limitPerTable === undefined ? "" : ` limit ${Math.trunc(limitPerTable)}`;
  // The columns a result row shows, so the work is what the old endpoint did, not a bare count.
  const ispcube = db.prepare(`select co.pppoe_user as user, cu.name, cu.address, cu.doc_number, co.address as service_address
    from customer cu join connection co on co.customer_id = cu.id
    where co.pppoe_user is not null
      and (cu.name like @p or cu.address like @p or co.address like @p or cu.doc_number like @p or co.pppoe_user like @p)${limit}`);
  const secrets = db.prepare(`select name as user, last_caller_id, router_node_id from ppp_secret
    where name like @p or last_caller_id like @p${limit}`);
  const onus = db.prepare(`select pppoe_user as user, serial, status from onu
    where pppoe_user is not null and (pppoe_user like @p or serial like @p)${limit}`);

  return {
    users(query) {
      const p = `%${query}%`;
      const seen = new Map<string, unknown>();
      for (const stmt of [ispcube, secrets, onus]) {
        for (const row of stmt.all({ p }) as { user: string }[]) if (!seen.has(row.user)) seen.set(row.user, row);
      }
      return [...seen.keys()];
    },
    close: () => db.close(),
  };
}
