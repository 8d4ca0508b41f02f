import type { EntityManager } from "@mikro-orm/better-sqlite";
import type { OnuLinkMode } from "../domain/types.js";
import type Database from "better-sqlite3";
import { dniOfCuit, emailKey, phoneKeys, serialTail } from "./search-keys.js";

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
  connection_id, onu_external_id, onu_serial, mac, mac_key, router_node_id, in_ispcube, in_smartolt, in_routeros)
select u.pppoe_user, cu.id, cu.code, cu.name, cu.doc_number, ${digits("cu.doc_number")},
  coalesce(nullif(trim(co.address), ''), cu.address),
  search_phone_numbers(cu.phones),
  co.id, o.external_id, o.serial,
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

/** Phones whose keys a connection keeps between rebuilds (about 100 bytes each). */
const PHONE_MEMO = 300_000;

/**
 * The exact keys of every subscriber (subscriber_key), each with the result field it stands for;
 * inserted in key order, which keeps the primary key's B-tree appends sequential.
 */
const REBUILD_KEYS = [
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select j.value, s.pppoe_user, 'phones' from subscriber s join customer cu on cu.id = s.customer_id, json_each(search_phone_keys(cu.phones)) j
    order by 1`,
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select search_cuit_dni(s.doc_digits), s.pppoe_user, 'doc_number' from subscriber s where search_cuit_dni(s.doc_digits) is not null
    order by 1`,
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select search_serial_tail(s.onu_serial), s.pppoe_user, 'onu_serial' from subscriber s where search_serial_tail(s.onu_serial) is not null
    order by 1`,
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select search_email_key(j.value), s.pppoe_user, 'emails' from subscriber s join customer cu on cu.id = s.customer_id, json_each(cu.emails) j
    where search_email_key(j.value) <> ''
    order by 1`,
];

/**
 * The user functions the join calls (better-sqlite3 runs them in this process), registered on every
 * connection that rebuilds: phone and identifier keys are libphonenumber's and search-keys.ts's work,
 * not SQL's. A PostgreSQL index would compute them in the writer instead.
 */
export function registerSubscriberFunctions(db: Database.Database): void {
  const list = (json: unknown): string[] => {
    if (typeof json !== "string") return [];
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  };
  const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
  // libphonenumber is most of a rebuild's extra cost, and an inventory rebuilds the join once per
  // source: the same phones come back, so their keys are kept (bounded) on the connection.
  const memo = new Map<string, string[]>();
  const keysOf = (phone: string): string[] => {
    let keys = memo.get(phone);
    if (keys === undefined) {
      if (memo.size >= PHONE_MEMO) memo.clear();
      keys = phoneKeys(phone);
      memo.set(phone, keys);
    }
    return keys;
  };
  const opts = { deterministic: true };
  db.function("search_phone_keys", opts, (phones: unknown) => JSON.stringify([...new Set(list(phones).flatMap(keysOf))]));
  db.function("search_phone_numbers", opts, (phones: unknown) => [...new Set(list(phones).map((p) => keysOf(p)[0]).filter(Boolean))].join(" ") || null);
  db.function("search_cuit_dni", opts, (doc: unknown) => (text(doc) ? (dniOfCuit(text(doc) as string) ?? null) : null));
  db.function("search_serial_tail", opts, (serial: unknown) => (text(serial) ? (serialTail(text(serial) as string) ?? null) : null));
  db.function("search_email_key", opts, (email: unknown) => emailKey(text(email) ?? ""));
}

/** SQLite: the link above, the join, the exact keys and the external-content FTS5 index (migrations 0002, 0005 and 0008) over its rowids. */
export function createSqliteSubscriberIndex(opts: { onuLink?: OnuLinkMode } = {}): SubscriberIndex {
  const mode = opts.onuLink ?? "auto";
  return {
    async rebuild(em) {
      await em.execute(LINK, Array.from({ length: 6 }, () => mode), "run");
      await em.execute("delete from subscriber_key", [], "run");
      await em.execute("delete from subscriber", [], "run");
      const { affectedRows } = (await em.execute(REBUILD, [], "run")) as { affectedRows: number };
      for (const sql of REBUILD_KEYS) await em.execute(sql, [], "run");
      await em.execute("insert into subscriber_fts(subscriber_fts) values ('rebuild')", [], "run");
      const links = (await em.execute("select link_via as via, count(*) as n from onu group by link_via", [], "all")) as { via: string | null; n: number }[];
      const n = (via: string | null): number => Number(links.find((l) => l.via === via)?.n ?? 0);
      return { subscribers: affectedRows, onusLinkedByUsername: n("username"), onusLinkedByName: n("name"), onusUnlinked: n(null) };
    },
  };
}
