/**
 * `print` queries and `.proplist` (shared/vendors/routeros.md §1.8). Each item is tested on its own
 * against a stack of booleans that starts as an endless supply of `true`; it fails if any `false`
 * remains, so plain successive words are ANDed.
 */

export type Row = Record<string, string>;

/** True when the row passes every query word (each starting with `?`), evaluated in order. */
export function matchesQuery(row: Row, queryWords: readonly string[]): boolean {
  const stack: boolean[] = [];
  const pop = (): boolean => stack.pop() ?? true;
  const at = (index: number): boolean => stack[stack.length - 1 - index] ?? true;
  for (const word of queryWords) {
    const q = word.slice(1);
    if (q.startsWith("#")) {
      applyOps(q.slice(1), stack, pop, at);
      continue;
    }
    stack.push(test(row, q));
  }
  return !stack.includes(false);
}

/**
 * The names a query lets through, when it is a plain AND (no `?#` operation) holding a `?name=X` or
 * `?=name=X` word: then every matching row's `name` is X (or its yes/no alias). Undefined when the
 * query could let any name through. Only a shortcut for tables: the query is still applied in full.
 */
export function namesWanted(queryWords: readonly string[]): ReadonlySet<string> | undefined {
  if (queryWords.some((w) => w.startsWith("?#"))) return undefined;
  for (const word of queryWords) {
    const q = word.startsWith("?=") ? word.slice(2) : word.slice(1);
    if (!q.startsWith("name=")) continue;
    const value = q.slice("name=".length);
    const alias = BOOL_ALIASES[value];
    return new Set(alias === undefined ? [value] : [value, alias]);
  }
  return undefined;
}

function test(row: Row, q: string): boolean {
  const op = q[0];
  if (op === "-") return !(q.slice(1) in row);
  if (op === "<" || op === ">" || op === "=") {
    const [name, value] = splitPair(q.slice(1));
    const actual = row[name];
    if (value === undefined) return op === "=" ? actual !== undefined : false;
    if (op === "=") return actual !== undefined && same(actual, value);
    if (actual === undefined) return false;
    const c = compare(actual, value);
    return op === "<" ? c < 0 : c > 0;
  }
  const [name, value] = splitPair(q);
  if (value === undefined) return name in row;
  const actual = row[name];
  return actual !== undefined && same(actual, value);
}

function splitPair(s: string): [string, string | undefined] {
  const i = s.indexOf("=");
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

// Replies say true/false but clients still query with yes/no (§1.9, [I] both accepted).
const BOOL_ALIASES: Record<string, string> = { yes: "true", no: "false" };

function same(actual: string, wanted: string): boolean {
  return actual === wanted || actual === BOOL_ALIASES[wanted];
}

/** Numeric when both sides are numbers, string order otherwise ([I] §1.8). */
function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== "" && b.trim() !== "" && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function applyOps(ops: string, stack: boolean[], pop: () => boolean, at: (i: number) => boolean): void {
  let i = 0;
  let afterIndex = false;
  while (i < ops.length) {
    const ch = ops[i] as string;
    if (ch >= "0" && ch <= "9") {
      let j = i;
      while (j < ops.length && (ops[j] as string) >= "0" && (ops[j] as string) <= "9") j++;
      const entry = at(Number(ops.slice(i, j)));
      if (j === ops.length) {
        // An index at the end of the word replaces the whole stack with that entry.
        stack.length = 0;
        stack.push(entry);
        return;
      }
      stack.push(entry);
      i = j;
      afterIndex = true;
      continue;
    }
    if (ch === "!") stack.push(!pop());
    else if (ch === "&") {
      const a = pop();
      const b = pop();
      stack.push(a && b);
    } else if (ch === "|") {
      const a = pop();
      const b = pop();
      stack.push(a || b);
    } else if (ch === "." && !afterIndex) stack.push(at(0));
    i++;
    afterIndex = false;
  }
}

/** Parses `.proplist` (`a,b,c`); undefined means "all properties". */
export function parseProplist(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** Keeps only the listed properties, in list order; a listed property the row lacks stays absent. */
export function applyProplist(row: Row, proplist: readonly string[] | undefined): Row {
  if (!proplist) return row;
  const out: Row = {};
  for (const p of proplist) {
    const v = row[p];
    if (v !== undefined) out[p] = v;
  }
  return out;
}
