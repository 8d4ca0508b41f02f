import Database from "better-sqlite3";
import type { CustomerStatus, OnuStatus } from "../domain/types.js";
import type { MatchedField, SearchHit } from "../domain/search.js";
import { dniOfCuit, emailKey, looksLikeEmail, queryPhoneKeys, querySerialTail, serialTail as serialTailOf } from "./search-keys.js";

export type { MatchedField, SearchHit } from "../domain/search.js";

/** Subscriber search: exact identifiers first, then words by prefix. */
export interface Searcher {
  search(query: string, limit: number, offset: number): SearchHit[];
}

/** A searcher on its own read-only connection, which can be checked and closed. */
export interface SearchConnection extends Searcher {
  /** Throws when the connection does not answer. */
  ping(): void;
  close(): void;
}

interface Row {
  pppoe_user: string;
  in_ispcube: number;
  in_smartolt: number;
  in_routeros: number;
  customer_name: string | null;
  customer_code: string | null;
  doc_number: string | null;
  doc_digits: string | null;
  address: string | null;
  phone_keys: string | null;
  customer_status: CustomerStatus | null;
  onu_serial: string | null;
  onu_status: OnuStatus | null;
  mac: string | null;
  mac_key: string | null;
  phones: string | null;
  emails: string | null;
  city: string | null;
  plan: string | null;
  router: string | null;
  session_up: number;
  sessions_read_at: number | null;
}

const COLUMNS = `s.pppoe_user, s.in_ispcube, s.in_smartolt, s.in_routeros, s.customer_name, s.customer_code, s.doc_number,
  s.doc_digits, s.address, s.phones as phone_keys, cu.status as customer_status, s.onu_serial,
  o.status as onu_status, s.mac, s.mac_key, cu.phones, cu.emails, cu.city, pl.name as plan, r.name as router,
  ps.name is not null as session_up, ss.last_success_at as sessions_read_at`;
const JOINS = `left join customer cu on cu.id = s.customer_id left join onu o on o.external_id = s.onu_external_id
  left join connection co on co.id = s.connection_id left join plan pl on pl.id = co.plan_id
  left join router r on r.node_id = coalesce(s.router_node_id, co.node_id)
  left join ppp_session ps on ps.router_node_id = r.node_id and ps.name = s.pppoe_user
  left join source_state ss on ss.source = 'sessions:router:' || lower(trim(r.host)) || ':' || r.port`;

const MAC = /^[0-9a-f]{2}([:.-]?[0-9a-f]{2}){5}$/i;
/**
 * Queries matching more subscribers than this (a surname, a three-letter prefix, a common street)
 * are not ranked: bm25 over thousands of prefix matches cost 2-9 ms at 100,000 subscribers and tells
 * an agent little, who refines the query instead. They come in index order (by PPPoE user), stable
 * across pages.
 */
const RANKED_MATCHES = 100;
const SEPARATED_NUMBER = /^\d[\d.\-]*\d$/;
/** bm25 weights in the FTS index's column order (migration 0005): identifiers and name 10, address 1. */
const BM25_WEIGHTS = "10, 10, 1, 10, 10, 10, 10";
/** Word matches by field: identifiers, then the name, then e-mails, then the address. */
const TIER: Record<MatchedField, number> = {
  pppoe_user: 0, onu_serial: 0, customer_code: 0, doc_number: 0, mac: 0, phones: 0, customer_name: 1, emails: 2, address: 3,
};
/** The FTS column whose words are names; the others are identifiers and the address. */
const NAME_COLUMNS = "{customer_name}";
/** GPON serials: a 4-letter vendor id, then hex; a prefix of one starts with a letter. */
const SERIAL_PREFIX = /^[A-Z]{3,4}[0-9A-F]*$/;

/**
 * Opens a read-only connection for search (with WAL it never waits for a sync's write transaction
 * and sees the previous snapshot until that commits) and a searcher on it.
 */
export function openSearchConnection(path: string): SearchConnection {
  const db = new Database(path, { readonly: true });
  db.pragma("busy_timeout = 5000");
  const searcher = createSearcher(db);
  const ping = db.prepare("select 1");
  return {
    search: (query, limit, offset) => searcher.search(query, limit, offset),
    ping: () => void ping.get(),
    close: () => db.close(),
  };
}

/** What one query means, worked out once: the forms each tier looks for. */
interface Parsed {
  q: string;
  lower: string;
  digits: string | null;
  /** The DNI inside a CUIT/CUIL. */
  dni: string | null;
  macKey: string | null;
  /** Exact tokens of the phone and identifier keys (search-keys.ts). */
  keys: string[];
  /** The whole query is a phone, a document number or an e-mail, not words. */
  identifier: boolean;
  tokens: string[];
}

function parse(query: string): Parsed {
  const q = query.trim();
  const stripped = q.replace(/[\s.\-]/g, "");
  const digits = /^\d+$/.test(stripped) ? stripped : null;
  const dni = digits ? (dniOfCuit(digits) ?? null) : null;
  const keys = new Set(queryPhoneKeys(q));
  if (dni) keys.add(dni);
  if (digits && digits.length >= 7 && digits.length <= 8) keys.add(digits);
  const tail = querySerialTail(q);
  if (tail) keys.add(tail);
  const email = looksLikeEmail(q);
  if (email) keys.add(emailKey(q));
  const macKey = MAC.test(q) ? q.replace(/[:.-]/g, "").toLowerCase() : null;
  const identifier = email || macKey !== null || (keys.size > 0 && /^[\d\s()+.\-/]+$/.test(q));
  return { q, lower: q.toLowerCase(), digits, dni, macKey, keys: [...keys], identifier, tokens: searchTokens(q) };
}

/**
 * Subscriber search over SQLite's FTS5 index (this file is where search speaks SQLite; another
 * database gets a Searcher of its own), in tiers, each a page built by one statement:
 *   0. exact identifiers: PPPoE user, DNI/CUIT (a CUIT finds its DNI), customer code, ONU serial, MAC;
 *      then the keys of subscriber_key (any Argentine way of writing a phone, a bare subscriber
 *      number, the DNI inside a stored CUIT, a serial's hex tail, an e-mail);
 *   1. identifier prefixes: PPPoE user, ONU serial (`perez.ma` → `perez.maria`);
 *   2. words by prefix: identifiers and name words above address words.
 * Words match accent- and case-insensitively (`perez` finds `PÉREZ`), by relevance inside a tier
 * unless the query is broad (RANKED_MATCHES). The query is always treated as text: every token is
 * quoted, so FTS syntax in it is inert.
 */
export function createSearcher(db: Database.Database): Searcher {
  const exact = db.prepare(`select ${COLUMNS} from subscriber s ${JOINS}
    where s.pppoe_user = @user or s.doc_digits = @digits or s.doc_digits = @dni or s.customer_code = @code or s.onu_serial = @serial
      or s.mac_key = @mac
    order by s.pppoe_user limit 20`);
  // Each range walks its index in order and stops at the page: an OR of the two sorted 1,600 `gon…` users first.
  const userPrefix = db.prepare(`select ${COLUMNS} from subscriber s ${JOINS}
    where s.pppoe_user >= @from and s.pppoe_user < @to order by s.pppoe_user limit @limit`);
  const serialPrefix = db.prepare(`select ${COLUMNS} from subscriber s ${JOINS}
    where s.onu_serial >= @from and s.onu_serial < @to order by s.onu_serial limit @limit`);
  // Exact keys (subscriber_key): a handful of rows at most.
  const byKey = db.prepare(`select ${COLUMNS}, k.field as key_field from subscriber_key k join subscriber s on s.pppoe_user = k.pppoe_user ${JOINS}
    where k.key in (select value from json_each(?)) order by case k.field when 'doc_number' then 0 when 'onu_serial' then 1 when 'emails' then 2 else 3 end, s.pppoe_user limit ?`);
  const inIndexOrder = db.prepare(`select ${COLUMNS} from (select rowid as id from subscriber_fts where subscriber_fts match ? limit ?) f
    join subscriber s on s.rowid = f.id ${JOINS} order by f.id`);
  // Words. FTS5 yields matches in rowid order unless asked to rank: a first read of rowids alone
  // (the cheapest) tells a broad query from a narrow one. A narrow query is ranked by bm25 with column
  // weights (a word in an identifier or the name far above one in the address); a broad one is read
  // in index order, the name column first (an FTS5 column filter: 0.16 ms to scan 4,000 street
  // matches for a name), then every column. Either way only the page's rows are joined, in the same
  // statement: joining every match before sorting cost 40 ms on a 12,000-match prefix.
  const count = db.prepare("select count(*) from (select 1 from subscriber_fts where subscriber_fts match ? limit ?)").pluck();
  const ranked = db.prepare(`select ${COLUMNS} from (select rowid as id, bm25(subscriber_fts, ${BM25_WEIGHTS}) as score from subscriber_fts
    where subscriber_fts match @expr order by score, rowid limit @n) f join subscriber s on s.rowid = f.id ${JOINS} order by f.score, f.id`);

  return {
    search(query: string, limit: number, offset: number): SearchHit[] {
      const p = parse(query);
      const wanted = offset + limit;
      const hits: SearchHit[] = [];
      const seen = new Set<string>();
      const take = <R extends Row>(rows: R[], field: (r: R) => MatchedField): boolean => {
        for (const r of rows) {
          if (seen.has(r.pppoe_user)) continue;
          seen.add(r.pppoe_user);
          hits.push(hit(r, field(r)));
        }
        return hits.length >= wanted;
      };
      const exactRows = exact.all({
        user: p.lower,
        digits: p.digits,
        dni: p.dni,
        code: p.digits && p.digits.length <= 6 ? p.digits.padStart(6, "0") : null,
        serial: p.q.toUpperCase(),
        mac: p.macKey,
      }) as Row[];
      if (take(exactRows, (r) => exactField(r, p))) return hits.slice(offset, wanted);
      if (p.keys.length > 0) {
        const rows = byKey.all(JSON.stringify(p.keys), wanted + seen.size) as (Row & { key_field: MatchedField })[];
        if (take(rows, (r) => r.key_field)) return hits.slice(offset, wanted);
      }
      // A phone, CUIT or e-mail that found its owner is not also a handful of words: their short
      // pieces ("9", "54", "com") would each match thousands of index terms.
      if (p.identifier && hits.length > 0) return hits.slice(offset, wanted);
      if (p.q.length >= 3 && !/\s/.test(p.q)) {
        const n = wanted + seen.size;
        const user = fold(p.q);
        if (take(userPrefix.all({ from: user, to: successor(user), limit: n }) as Row[], () => "pppoe_user")) return hits.slice(offset, wanted);
        const serial = p.q.toUpperCase();
        if (SERIAL_PREFIX.test(serial) && take(serialPrefix.all({ from: serial, to: successor(serial), limit: n }) as Row[], () => "onu_serial")) {
          return hits.slice(offset, wanted);
        }
      }
      if (p.tokens.length > 0) {
        const n = wanted + seen.size;
        const expr = p.tokens.map((t) => `${quote(t)}*`).join(" ");
        const matches = count.get(expr, RANKED_MATCHES + 1) as number;
        if (matches > RANKED_MATCHES) {
          if (take(inIndexOrder.all(`${NAME_COLUMNS} : (${expr})`, n) as Row[], () => "customer_name")) return hits.slice(offset, wanted);
          take(inIndexOrder.all(expr, wanted + seen.size) as Row[], (r) => ftsField(r, p.tokens));
        } else if (matches > 0) {
          // Exact tiers: relevance already put them nearly in this order.
          const rows = (ranked.all({ expr, n }) as Row[]).map((r) => ({ r, field: ftsField(r, p.tokens) }));
          rows.sort((x, y) => TIER[x.field] - TIER[y.field]);
          for (const { r, field } of rows) take([r], () => field);
        }
      }
      return hits.slice(offset, wanted);
    },
  };
}

const quote = (t: string): string => `"${t.replace(/"/g, '""')}"`;

/** The smallest string above every string that starts with `s`. */
function successor(s: string): string {
  return s.slice(0, -1) + String.fromCodePoint((s.codePointAt(s.length - 1) ?? 0) + 1);
}

/** What the user typed, as FTS tokens: MACs and dotted document numbers are kept whole. */
export function searchTokens(q: string): string[] {
  const out: string[] = [];
  for (const chunk of q.split(/\s+/)) {
    if (MAC.test(chunk)) out.push(chunk.replace(/[:.-]/g, "").toLowerCase());
    else if (SEPARATED_NUMBER.test(chunk)) out.push(chunk.replace(/[.\-]/g, ""));
    else out.push(...chunk.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(fold));
  }
  return out.filter(Boolean);
}

function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function exactField(r: Row, p: Parsed): MatchedField {
  if (r.pppoe_user === p.lower) return "pppoe_user";
  if (p.macKey !== null && r.mac_key === p.macKey) return "mac";
  if (r.onu_serial === p.q.toUpperCase()) return "onu_serial";
  if (r.doc_digits !== null && (r.doc_digits === p.digits || r.doc_digits === p.dni)) return "doc_number";
  return "customer_code";
}

/**
 * Which field the tokens matched: the first (in this order) that matches every token, else the one
 * matching the most (a query mixing a name and a street).
 */
function ftsField(r: Row, tokens: string[]): MatchedField {
  const candidates: [MatchedField, string | null][] = [
    ["pppoe_user", r.pppoe_user],
    ["onu_serial", r.onu_serial && `${r.onu_serial} ${serialTailOf(r.onu_serial) ?? ""}`],
    ["customer_name", r.customer_name],
    ["doc_number", r.doc_digits && `${r.doc_digits} ${dniOfCuit(r.doc_digits) ?? ""}`],
    ["mac", r.mac_key],
    ["phones", r.phone_keys],
    ["address", r.address],
  ];
  let best: [MatchedField, number] = ["address", 0];
  for (const [field, value] of candidates) {
    if (value === null) continue;
    const words = fold(value).split(/[^\p{L}\p{N}]+/u);
    const matched = tokens.filter((t) => words.some((w) => w.startsWith(t))).length;
    if (matched === tokens.length) return field;
    if (matched > best[1]) best = [field, matched];
  }
  return best[0];
}

function list(json: string | null): string[] {
  if (!json) return [];
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function hit(r: Row, field: MatchedField): SearchHit {
  return {
    pppoeUser: r.pppoe_user,
    inIspcube: r.in_ispcube === 1,
    inSmartolt: r.in_smartolt === 1,
    inRouteros: r.in_routeros === 1,
    customerName: r.customer_name,
    customerCode: r.customer_code,
    docNumber: r.doc_number,
    address: r.address,
    customerStatus: r.customer_status,
    onuSerial: r.onu_serial,
    onuStatus: r.onu_status,
    mac: r.mac,
    phones: list(r.phones),
    emails: list(r.emails),
    city: r.city,
    plan: r.plan,
    router: r.router,
    // Up or down as of the status job's last read of the subscriber's router; unknown before one.
    session: r.sessions_read_at === null ? null : r.session_up === 1 ? "up" : "down",
    sessionAsOf: r.sessions_read_at === null ? null : new Date(r.sessions_read_at),
    matchedField: field,
  };
}
