import Database from "better-sqlite3";
import type { CustomerStatus, OnuStatus } from "../domain/types.js";
import type { MatchedField, SearchHit } from "../domain/search.js";

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
  phones: string | null;
  customer_status: CustomerStatus | null;
  onu_serial: string | null;
  onu_status: OnuStatus | null;
  mac: string | null;
  mac_key: string | null;
}

const COLUMNS = `s.pppoe_user, s.in_ispcube, s.in_smartolt, s.in_routeros, s.customer_name, s.customer_code, s.doc_number,
  s.doc_digits, s.address, s.phones, cu.status as customer_status, s.onu_serial, o.status as onu_status, s.mac, s.mac_key`;
const JOINS = "left join customer cu on cu.id = s.customer_id left join onu o on o.external_id = s.onu_external_id";

const MAC = /^[0-9a-f]{2}([:.-]?[0-9a-f]{2}){5}$/i;
/**
 * Queries matching more subscribers than this (a surname, a three-letter prefix, a common street)
 * are not ranked: bm25 over thousands of prefix matches cost 2-9 ms at 100,000 subscribers and tells
 * an agent little, who refines the query instead. They come in index order (by PPPoE user), stable
 * across pages.
 */
const RANKED_MATCHES = 100;
const SEPARATED_NUMBER = /^\d[\d.\-]*\d$/;

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

/**
 * Subscriber search over SQLite's FTS5 index (this file is where search speaks SQLite; another
 * database gets a Searcher of its own): exact identifiers first (PPPoE user, DNI/CUIT, customer code,
 * ONU serial, MAC), then words by prefix, accent- and case-insensitive (`perez` finds `PÉREZ`), by
 * relevance unless the query is broad (RANKED_MATCHES).
 * The query is always treated as text: every token is quoted, so FTS syntax in it is inert.
 */
export function createSearcher(db: Database.Database): Searcher {
  const exact = db.prepare(`select ${COLUMNS} from subscriber s ${JOINS}
    where s.pppoe_user = @user or s.doc_digits = @digits or s.customer_code = @code or s.onu_serial = @serial or s.mac_key = @mac
    order by s.pppoe_user limit 20`);
  // Rank inside the FTS table, then join only the page's rows: joining every match before sorting
  // cost 40 ms on a 12,000-match prefix (docs/BENCHMARKS.md).
  // FTS5 yields matches in rowid order unless asked to rank: that first read doubles as the broad test.
  const inIndexOrder = db.prepare("select rowid from subscriber_fts where subscriber_fts match ? limit ?").pluck();
  const ranked = db.prepare("select rowid from subscriber_fts where subscriber_fts match ? order by bm25(subscriber_fts), rowid limit ?").pluck();
  const byRowid = db.prepare(`select ${COLUMNS} from subscriber s ${JOINS} where s.rowid = ?`);

  /** Matching rowids, best first: by relevance when the query is narrow, else in index order. */
  const ftsRowids = (expr: string, count: number): number[] => {
    const first = inIndexOrder.all(expr, Math.max(count, RANKED_MATCHES + 1)) as number[];
    if (first.length > RANKED_MATCHES) return first.slice(0, count);
    return ranked.all(expr, count) as number[];
  };

  return {
    search(query: string, limit: number, offset: number): SearchHit[] {
      const q = query.trim();
      const digits = q.replace(/[\s.\-]/g, "");
      const isNumber = /^\d+$/.test(digits);
      const macKey = MAC.test(q) ? q.replace(/[:.-]/g, "").toLowerCase() : null;
      const exactRows = exact.all({
        user: q.toLowerCase(),
        digits: isNumber ? digits : null,
        code: isNumber && digits.length <= 6 ? digits.padStart(6, "0") : null,
        serial: q.toUpperCase(),
        mac: macKey,
      }) as Row[];
      const tokens = searchTokens(q);
      const seen = new Set(exactRows.map((r) => r.pppoe_user));
      const hits = exactRows.map((r) => hit(r, exactField(r, q, digits, macKey), tokens));
      const wanted = offset + limit;
      if (tokens.length > 0 && hits.length < wanted) {
        const expr = tokens.map((t) => `"${t.replace(/"/g, '""')}"*`).join(" ");
        for (const rowid of ftsRowids(expr, wanted + seen.size)) {
          const r = byRowid.get(rowid) as Row | undefined;
          if (!r || seen.has(r.pppoe_user)) continue;
          seen.add(r.pppoe_user);
          hits.push(hit(r, undefined, tokens));
          if (hits.length >= wanted) break;
        }
      }
      return hits.slice(offset, offset + limit);
    },
  };
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

function exactField(r: Row, q: string, digits: string, macKey: string | null): MatchedField {
  if (r.pppoe_user === q.toLowerCase()) return "pppoe_user";
  if (macKey !== null && r.mac_key === macKey) return "mac";
  if (r.onu_serial === q.toUpperCase()) return "onu_serial";
  if (r.doc_digits === digits) return "doc_number";
  return "customer_code";
}

/** Which field the tokens matched, for the agent's benefit; the first that matches every token wins. */
function ftsField(r: Row, tokens: string[]): MatchedField {
  // The customer's name first: a PPPoE user is usually built from it, and the name is what the agent typed.
  const candidates: [MatchedField, string | null][] = [
    ["customer_name", r.customer_name],
    ["doc_number", r.doc_digits],
    ["onu_serial", r.onu_serial],
    ["mac", r.mac_key],
    ["phone", r.phones],
    ["address", r.address],
    ["pppoe_user", r.pppoe_user],
  ];
  for (const [field, value] of candidates) {
    if (value === null) continue;
    const words = fold(value).split(/[^\p{L}\p{N}]+/u);
    if (tokens.every((t) => words.some((w) => w.startsWith(t)))) return field;
  }
  return "customer_name";
}

function hit(r: Row, field: MatchedField | undefined, tokens: string[]): SearchHit {
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
    matchedField: field ?? ftsField(r, tokens),
  };
}
