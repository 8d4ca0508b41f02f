import { Code, ConnectError } from "@connectrpc/connect";
import type { SearchHit } from "../cache/search.js";
import { searchTokens } from "../cache/search.js";
import { SubscriberNotFoundError, type Target } from "../diagnosis/index.js";

export type SearchFn = (query: string, limit: number, offset: number) => Promise<SearchHit[]>;

const SUGGESTIONS = 3;

/**
 * NotFound for a subscriber no system knows, offering up to three close matches from search: the
 * whole query first, then its words one at a time (a typo in one word sinks an AND of all of them).
 */
export async function notFound(target: Target, search: SearchFn): Promise<ConnectError> {
  const found: string[] = [];
  const tries = [target.value, ...searchTokens(target.value).filter((t) => t.length >= 3).sort((a, b) => b.length - a.length)];
  for (const q of [...new Set(tries)]) {
    if (found.length >= SUGGESTIONS || q.trim().length < 3) continue;
    const hits = await search(q.slice(0, 100), SUGGESTIONS, 0).catch(() => []);
    for (const h of hits) if (!found.includes(h.pppoeUser) && found.length < SUGGESTIONS) found.push(h.pppoeUser);
  }
  const base = `no subscriber with ${target.kind} "${target.value}" in ispcube, smartolt or the routers`;
  const message = found.length > 0 ? `${base}; did you mean ${found.map((u) => `"${u}"`).join(", ")}?` : base;
  return new ConnectError(message, Code.NotFound);
}

/** Runs `fn`; a subscriber nobody knows becomes NotFound with suggestions. */
export async function orNotFound<T>(search: SearchFn, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SubscriberNotFoundError) throw await notFound(err.target, search);
    throw err;
  }
}
