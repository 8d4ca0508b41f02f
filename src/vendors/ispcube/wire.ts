/**
 * ISPCube's JSON as it arrives (shared/vendors/ispcube.md §4, §7). Only the fields Beholder reads are
 * listed, and every one is `unknown`-tolerant: the docs' own examples mix strings, numbers, `null`
 * and `""` for the same field (§3.4), so parse.ts checks each value rather than trusting these types.
 */

/** A money field: `"14400.00"` mostly, sometimes `0`, `"1"`, `""` or null (§3.4). */
export type WireMoney = string | number | null | undefined;
/** A 0/1 flag; tolerated as a boolean or a numeric string too. */
export type WireFlag = 0 | 1 | boolean | string | null | undefined;
/** An id: an int in entity payloads, sometimes a numeric string in `*_list` rows (§3.4). */
export type WireId = number | string | null | undefined;

export interface WireCustomer {
  id: WireId;
  code: string | number;
  name?: string | null;
  doc_number?: string | number | null;
  address?: string | null;
  tax_residence?: string | null;
  city?: { id?: WireId; name?: string | null } | null;
  status?: string | null;
  debt?: WireMoney;
  duedebt?: WireMoney;
  phones?: { number?: string | number | null }[] | null;
  contact_emails?: { email?: string | null }[] | null;
  /** Argentine local time, `YYYY-MM-DD HH:MM:SS` (§3.5). */
  block_date?: string | null;
  /** UTC, `YYYY-MM-DDTHH:MM:SS.000000Z` (§3.5). */
  created_at?: string | null;
  deleted_at?: string | null;
  [key: string]: unknown;
}

export interface WireConnection {
  id: WireId;
  customer_id: WireId;
  plan_id?: WireId;
  node_id?: WireId;
  conntype?: string | null;
  user?: string | null;
  /** Never read: the subscriber's PPPoE password. */
  password?: unknown;
  address?: string | null;
  ip?: string | null;
  delete_date?: string | null;
  deleted_in_provider?: WireFlag;
  deleted_at?: string | null;
  [key: string]: unknown;
}

export interface WirePlan {
  id: WireId;
  name?: string | null;
  price?: WireMoney;
  /** kbps [INF] (§4.4). */
  speeddown?: number | string | null;
  speedup?: number | string | null;
  [key: string]: unknown;
}

export interface WireNode {
  id: WireId;
  code?: string | null;
  comment?: string | null;
  type?: string | null;
  ip?: string | null;
  /** A numeric string: `"8728"` (§3.4). */
  port?: string | number | null;
  /** The router's API credentials (§4.5): never read, kept or logged. */
  user?: unknown;
  pass?: unknown;
  [key: string]: unknown;
}

/** ISPCube's "error with HTTP 200" and its 400s (§3.2). */
export interface WireStatusError {
  status: false;
  message?: string;
}
