import type { CustomerStatus, OnuStatus } from "./types.js";

/**
 * Which field of a subscriber a search query matched, for the agent's benefit: the name of the
 * SearchResult field (proto, snake_case) that shows the matched value.
 */
export type MatchedField =
  | "pppoe_user"
  | "customer_name"
  | "customer_code"
  | "doc_number"
  | "address"
  | "phones"
  | "emails"
  | "onu_serial"
  | "mac";

/** One subscriber a search found, as the cache knows it. */
export interface SearchHit {
  pppoeUser: string;
  inIspcube: boolean;
  inSmartolt: boolean;
  inRouteros: boolean;
  customerName: string | null;
  customerCode: string | null;
  docNumber: string | null;
  address: string | null;
  customerStatus: CustomerStatus | null;
  onuSerial: string | null;
  onuStatus: OnuStatus | null;
  mac: string | null;
  /** As the CRM stores them. */
  phones: string[];
  emails: string[];
  city: string | null;
  /** The connection's plan name. */
  plan: string | null;
  /** The router holding the PPPoE secret, else the connection's ISPCube node. */
  router: string | null;
  /** Whether the PPPoE session was up when the status job last read the router; null before any read. */
  session: "up" | "down" | null;
  sessionAsOf: Date | null;
  matchedField: MatchedField;
}
