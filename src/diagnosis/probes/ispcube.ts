import type { Customer } from "../../domain/types.js";
import type { IspCubeClient } from "../../vendors/ispcube/client.js";
import { probe, type ProbeOutcome } from "../probe.js";

/** The customer's live billing state: status, debt, overdue debt. */
export function probeCustomer(client: IspCubeClient, customerId: number, budgetMs: number, signal?: AbortSignal): Promise<ProbeOutcome<Customer>> {
  return probe(budgetMs, signal, (s) => client.customerById(customerId, { signal: s }));
}
