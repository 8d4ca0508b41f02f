import type { EntityManager } from "@mikro-orm/better-sqlite";
import type { OnuLinkMode } from "../domain/types.js";

/**
 * The joined `subscriber` table (one row per PPPoE user known to any system) and the search index
 * over it, rebuilt inside the caller's transaction after every inventory write, so search never
 * sees one source's new rows joined to a half-written other. A PostgreSQL implementation would sit
 * beside this one.
 */
export interface SubscriberIndex {
  /** Links ONUs, rebuilds `subscriber` from the inventory tables, then its search index; returns the counts. */
  rebuild(em: EntityManager): Promise<RebuildCounts>;
}

/** What a rebuild reports: subscribers, and how every cached ONU linked to a PPPoE user (or did not). */
export interface RebuildCounts {
  subscribers: number;
  onusLinkedByUsername: number;
  onusLinkedByName: number;
  onusUnlinked: number;
}

const digits = (expr: string): string =>
  `nullif(replace(replace(replace(replace(replace(replace(${expr}, '.', ''), '-', ''), ' ', ''), '(', ''), ')', ''), '+', ''), '')`;

/**
 * The join, in SQLite's dialect (json_each, group_concat). How each system's row is matched to a
 * PPPoE user is decided here and only here. Rows go in by PPPoE user, so rowid order (the order of
 * unranked search results) is theirs.
 */
const REBUILD = `
insert into subscriber (pppoe_user, customer_id, customer_code, customer_name, doc_number, doc_digits, address, phones,
  onu_external_id, onu_serial, mac, mac_key, router_node_id, in_ispcube, in_smartolt, in_routeros)
select u.pppoe_user, cu.id, cu.code, cu.name, cu.doc_number, ${digits("cu.doc_number")},
  coalesce(nullif(trim(co.address), ''), cu.address),
  (select group_concat(${digits("value")}, ' ') from json_each(cu.phones)),
  o.external_id, o.serial,
  coalesce(s.last_caller_id, s.caller_id),
  lower(replace(replace(coalesce(s.last_caller_id, s.caller_id), ':', ''), '-', '')),
  s.router_node_id,
  co.id is not null, o.external_id is not null, s.name is not null
from (
  select pppoe_user from connection where pppoe_user is not null and deleted = 0
  union select pppoe_user from onu where pppoe_user is not null
  union select name from ppp_secret
) u
left join connection co on co.id = (select min(c2.id) from connection c2 where c2.pppoe_user = u.pppoe_user and c2.deleted = 0)
left join customer cu on cu.id = co.customer_id
left join onu o on o.external_id = (select min(o2.external_id) from onu o2 where o2.pppoe_user = u.pppoe_user)
left join ppp_secret s on s.rowid = (
  select s2.rowid from ppp_secret s2 where s2.name = u.pppoe_user order by s2.router_node_id limit 1)
order by u.pppoe_user`;

/**
 * Which PPPoE user each ONU serves (SMARTOLT_ONU_LINK). `username`: the user configured on the ONU.
 * `name`: the ONU's name, the old system's convention (ONUs named after the PPPoE user; bridged ONUs
 * carry no username). `auto`: the username when set, else the name when it is a PPPoE user that
 * ISPCube or a router knows, so a name that holds the customer's name links nothing. Names compare
 * trimmed and case-insensitively, as every PPPoE user does.
 */
const LINK = `
with known(u) as (select pppoe_user from connection where pppoe_user is not null and deleted = 0 union select name from ppp_secret)
update onu set
  pppoe_user = case
    when ? <> 'name' and username is not null then username
    when ? = 'name' then nullif(lower(trim(name)), '')
    when ? = 'auto' and lower(trim(name)) in (select u from known) then lower(trim(name))
  end,
  link_via = case
    when ? <> 'name' and username is not null then 'username'
    when ? = 'name' and nullif(trim(name), '') is not null then 'name'
    when ? = 'auto' and lower(trim(name)) in (select u from known) then 'name'
  end`;

/** SQLite: the link above, the join, and the external-content FTS5 index (migrations 0002 and 0005) over its rowids. */
export function createSqliteSubscriberIndex(opts: { onuLink?: OnuLinkMode } = {}): SubscriberIndex {
  const mode = opts.onuLink ?? "auto";
  return {
    async rebuild(em) {
      await em.execute(LINK, Array.from({ length: 6 }, () => mode), "run");
      await em.execute("delete from subscriber", [], "run");
      const { affectedRows } = (await em.execute(REBUILD, [], "run")) as { affectedRows: number };
      await em.execute("insert into subscriber_fts(subscriber_fts) values ('rebuild')", [], "run");
      const links = (await em.execute("select link_via as via, count(*) as n from onu group by link_via", [], "all")) as { via: string | null; n: number }[];
      const n = (via: string | null): number => Number(links.find((l) => l.via === via)?.n ?? 0);
      return { subscribers: affectedRows, onusLinkedByUsername: n("username"), onusLinkedByName: n("name"), onusUnlinked: n(null) };
    },
  };
}
