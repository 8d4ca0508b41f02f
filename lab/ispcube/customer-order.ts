import type { IspCustomer } from "../scenario/types.js";

/** `customers_list` order: newest first (shared/vendors/ispcube.md §3.3, [OBS S7]). */
export interface CustomerOrder {
  /** The customers sorted by `createdAt` desc, then `id` desc. Do not mutate the result. */
  newestFirst(customers: readonly IspCustomer[]): readonly IspCustomer[];
}

/**
 * Sorting 100,000 customers on every page request costs tens of milliseconds, and a client paging
 * with limit=500 asks 200 times. The world is mutated in place by the control API, so the sorted
 * copy is revalidated on each call with an O(n) identity check (same array, same objects, same
 * `id`/`createdAt`), well under a millisecond for 100k rows, and rebuilt only when something moved.
 */
export function createCustomerOrder(): CustomerOrder {
  let source: readonly IspCustomer[] | undefined;
  let seen: IspCustomer[] = [];
  let seenIds: number[] = [];
  let seenCreated: string[] = [];
  let sorted: IspCustomer[] = [];

  function stillValid(customers: readonly IspCustomer[]): boolean {
    if (customers !== source || customers.length !== seen.length) return false;
    for (let i = 0; i < customers.length; i++) {
      const c = customers[i]!;
      if (c !== seen[i] || c.id !== seenIds[i] || c.createdAt !== seenCreated[i]) return false;
    }
    return true;
  }

  return {
    newestFirst(customers) {
      if (stillValid(customers)) return sorted;
      source = customers;
      seen = customers.slice();
      seenIds = seen.map((c) => c.id);
      seenCreated = seen.map((c) => c.createdAt);
      const times = seen.map((c) => Date.parse(c.createdAt) || 0);
      const index = seen.map((_, i) => i);
      index.sort((a, b) => times[b]! - times[a]! || seenIds[b]! - seenIds[a]!);
      sorted = index.map((i) => seen[i]!);
      return sorted;
    },
  };
}
