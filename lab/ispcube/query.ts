/** Query-string reading the way ISPCube's Laravel controllers appear to (shared/vendors/ispcube.md §4). */

/** A search key counts only when it has a value; `?code=` is no key at all. */
export function param(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === "" ? undefined : value;
}

/** Laravel's `$request->boolean()`: "1", "true", "on" and "yes" are true, anything else false. */
export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  if (value === null) return fallback;
  return ["1", "true", "on", "yes"].includes(value.toLowerCase());
}

/** A non-negative integer, or undefined when absent or not a number (PHP drops it silently). */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** `customer_id=02` matches id 2: MySQL casts the string when comparing with an integer column. */
export function idMatches(wanted: string | undefined, id: number | null): boolean {
  return wanted === undefined || (id !== null && /^\s*\d+\s*$/.test(wanted) && Number(wanted) === id);
}
