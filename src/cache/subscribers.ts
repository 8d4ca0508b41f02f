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
from temp.rebuild_user u
left join connection co on co.id = (select min(c2.id) from connection c2 where c2.pppoe_user = u.pppoe_user and c2.deleted = 0)
left join customer cu on cu.id = co.customer_id
left join onu o on o.external_id = (select min(o2.external_id) from onu o2 where o2.pppoe_user = u.pppoe_user)
left join ppp_secret s on s.rowid = (
  select s2.rowid from ppp_secret s2 where s2.name = u.pppoe_user order by s2.router_node_id limit 1)
where u.id between ? and ?
order by u.id`;

/**
 * The PPPoE users ISPCube or a router knows, which an ONU's name may link to (\`auto\`): a set filled
 * range by range (one statement over 200,000 rows held the event loop for 250 ms). After the link,
 * the ONUs' users join it and it becomes every PPPoE user any system knows (USERS).
 */
const KNOWN = {
  create: ["drop table if exists temp.rebuild_known", "create temp table rebuild_known (u text primary key) without rowid"],
  connections: "insert or ignore into temp.rebuild_known (u) select pppoe_user from connection where pppoe_user is not null and deleted = 0 and rowid between ? and ?",
  secrets: "insert or ignore into temp.rebuild_known (u) select name from ppp_secret where rowid between ? and ?",
  onus: "insert or ignore into temp.rebuild_known (u) select pppoe_user from onu where pppoe_user is not null and rowid between ? and ?",
};

/**
 * Every PPPoE user any system knows, in order (the set is keyed by it: no sort): the rows of
 * `subscriber`, numbered for chunking.
 */
const USERS = [
  "drop table if exists temp.rebuild_user",
  "create temp table rebuild_user (id integer primary key, pppoe_user text not null)",
  "insert into temp.rebuild_user (pppoe_user) select u from temp.rebuild_known order by u",
];

/**
 * Which PPPoE user each ONU serves (SMARTOLT_ONU_LINK). `username`: the user configured on the ONU.
 * `name`: the ONU's name, the old system's convention (ONUs named after the PPPoE user; bridged ONUs
 * carry no username). `auto`: the username when set, else the name when it is a PPPoE user that
 * ISPCube or a router knows, so a name that holds the customer's name links nothing. Names compare
 * trimmed and case-insensitively, as every PPPoE user does.
 */
const LINK = `
update onu set
  pppoe_user = case
    when ? <> 'name' and username is not null then username
    when ? = 'name' then nullif(lower(trim(name)), '')
    when ? = 'auto' and lower(trim(name)) in temp.rebuild_known then lower(trim(name))
  end,
  link_via = case
    when ? <> 'name' and username is not null then 'username'
    when ? = 'name' and nullif(trim(name), '') is not null then 'name'
    when ? = 'auto' and lower(trim(name)) in temp.rebuild_known then 'name'
  end
where rowid between ? and ?`;

/** Phones whose keys a connection keeps between rebuilds (about 100 bytes each). */
const PHONE_MEMO = 300_000;

/**
 * The exact keys of every subscriber (subscriber_key), each with the result field it stands for,
 * one range of subscribers at a time, in key order within it.
 */
const REBUILD_KEYS = [
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select j.value, s.pppoe_user, 'phones' from subscriber s join customer cu on cu.id = s.customer_id, json_each(search_phone_keys(cu.phones)) j
    where s.rowid between ? and ?
    order by 1`,
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select search_cuit_dni(s.doc_digits), s.pppoe_user, 'doc_number' from subscriber s where search_cuit_dni(s.doc_digits) is not null and s.rowid between ? and ?
    order by 1`,
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select search_serial_tail(s.onu_serial), s.pppoe_user, 'onu_serial' from subscriber s where search_serial_tail(s.onu_serial) is not null and s.rowid between ? and ?
    order by 1`,
  `insert or ignore into subscriber_key (key, pppoe_user, field)
    select search_email_key(j.value), s.pppoe_user, 'emails' from subscriber s join customer cu on cu.id = s.customer_id, json_each(cu.emails) j
    where search_email_key(j.value) <> '' and s.rowid between ? and ?
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

/**
 * Rows per statement of a rebuild. At 100,000 subscribers the join alone took 2.6–3.6 s in one
 * statement, and better-sqlite3 runs on the event loop: every request waited behind it. In ranges
 * of this size each statement takes at most about 170 ms there, and requests run between them; a
 * rebuild costs about 20% more CPU than in one piece (1,000-row ranges cost 35%: docs/RELIABILITY.md).
 */
export const REBUILD_CHUNK = 2500;

/** Lets requests waiting on the event loop run between two statements of a long rebuild. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** SQLite: the link above, the join, the exact keys and the external-content FTS5 index (migrations 0002, 0005 and 0008) over its rowids. */
export function createSqliteSubscriberIndex(opts: { onuLink?: OnuLinkMode; chunk?: number } = {}): SubscriberIndex {
  const mode = opts.onuLink ?? "auto";
  const chunk = opts.chunk ?? REBUILD_CHUNK;
  return {
    async rebuild(em) {
      const run = (sql: string, params: unknown[] = []): Promise<{ affectedRows: number }> => em.execute(sql, params, "run") as Promise<{ affectedRows: number }>;
      const span = async (table: string): Promise<[number, number]> => {
        const [row] = (await em.execute(`select min(rowid) as lo, max(rowid) as hi from ${table}`, [], "all")) as { lo: number | null; hi: number | null }[];
        return [Number(row?.lo ?? 1), Number(row?.hi ?? 0)];
      };
      /** Runs `sql` (ending in `between ? and ?`) over [lo, hi] in ranges, yielding between them; the rows changed. */
      const inRanges = async (sql: string, [lo, hi]: [number, number], params: unknown[] = []): Promise<number> => {
        let changed = 0;
        for (let a = lo; a <= hi; a += chunk) {
          changed += (await run(sql, [...params, a, a + chunk - 1])).affectedRows;
          await breathe();
        }
        return changed;
      };
      /**
       * Runs `sql` (ending in `rowid between ? and ?`) over `table` in ranges of at most `chunk` rows
       * by their rowids, which may be sparse (ISPCube's ids; secrets of routers that kept theirs).
       */
      const byRows = async (sql: string, table: string): Promise<void> => {
        const starts = (
          (await em.execute(
            `select r from (select rowid as r, row_number() over (order by rowid) - 1 as n from ${table}) where n % ? = 0 order by r`,
            [chunk],
            "all",
          )) as { r: number }[]
        ).map((x) => Number(x.r));
        for (let i = 0; i < starts.length; i++) {
          await run(sql, [starts[i], i + 1 < starts.length ? (starts[i + 1] as number) - 1 : Number.MAX_SAFE_INTEGER]);
          await breathe();
        }
      };
      for (const sql of KNOWN.create) await run(sql);
      await byRows(KNOWN.connections, "connection");
      await byRows(KNOWN.secrets, "ppp_secret");
      const onus = await span("onu");
      await inRanges(LINK, onus, Array.from({ length: 6 }, () => mode));
      await inRanges(KNOWN.onus, onus);
      for (const sql of USERS) await run(sql);
      await run("delete from subscriber_key");
      await run("delete from subscriber");
      await breathe();
      const users = await span("temp.rebuild_user");
      const subscribers = await inRanges(REBUILD, users);
      const rows = await span("subscriber");
      for (const sql of REBUILD_KEYS) await inRanges(sql, rows);
      // External content: the index is emptied and refilled from subscriber, as 'rebuild' would in one go.
      await run("insert into subscriber_fts(subscriber_fts) values ('delete-all')");
      await inRanges(`insert into subscriber_fts (rowid, ${FTS_COLUMNS}) select rowid, ${FTS_COLUMNS} from subscriber where rowid between ? and ?`, rows);
      for (const table of ["temp.rebuild_known", "temp.rebuild_user"]) await run(`drop table ${table}`);
      const links = (await em.execute("select link_via as via, count(*) as n from onu group by link_via", [], "all")) as { via: string | null; n: number }[];
      const n = (via: string | null): number => Number(links.find((l) => l.via === via)?.n ?? 0);
      return { subscribers, onusLinkedByUsername: n("username"), onusLinkedByName: n("name"), onusUnlinked: n(null) };
    },
  };
}

/** The columns of subscriber_fts (migration 0005), in its order. */
const FTS_COLUMNS = "pppoe_user, customer_name, address, doc_digits, phones, onu_serial, mac_key";
