import type { CustomerStatus, OnuStatus } from "./types.js";

/** Which field of a subscriber a search query matched, for the agent's benefit. */
export type MatchedField = "pppoe_user" | "customer_name" | "address" | "doc_number" | "phone" | "customer_code" | "onu_serial" | "mac";

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
  matchedField: MatchedField;
}
