/**
 * RouterOS stores text as bytes and never says in which encoding: Winbox writes the Windows code
 * page (1252 on Spanish-language Windows), the API and WebFig write UTF-8, and one router holds both.
 * node-routeros would decode everything as win1252, turning UTF-8 into mojibake (`PÃ‰REZ`) and losing
 * the bytes win1252 leaves undefined (`MARÃ�A`), so patches.ts has it hand words over byte for byte
 * (latin1) and this decides, per value: bytes that form valid UTF-8 are UTF-8, anything else win1252.
 */
const utf8 = new TextDecoder("utf-8", { fatal: true });
/**
 * Windows-1252's 0x80–0x9F, where it differs from latin1 (0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned
 * and kept as they are). Node 20's TextDecoder("windows-1252") decodes latin1, so the table is here.
 */
const WIN1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
// Only values with a byte ≥ 0x80 need a decision; the rest is ASCII either way.
const HIGH = /[\u0080-\u00ff]/;

/** One word's text from its bytes, given as a latin1 string (one char per byte). */
export function decodeRouterText(bytes: string): string {
  if (!HIGH.test(bytes)) return bytes;
  try {
    return utf8.decode(Buffer.from(bytes, "latin1"));
  } catch {
    // A latin1 char is its byte: only 0x80–0x9F read differently in windows-1252.
    return bytes.replace(/[\u0080-\u009f]/g, (c) => WIN1252_HIGH.charAt(c.charCodeAt(0) - 0x80));
  }
}

/** Every value (and name) of a reply row, decoded; the row itself when it is all ASCII. */
export function decodeRouterRow<T extends Readonly<Record<string, string | undefined>>>(row: T): T {
  const entries = Object.entries(row);
  if (!entries.some(([k, v]) => HIGH.test(k) || (v !== undefined && HIGH.test(v)))) return row;
  return Object.fromEntries(entries.map(([k, v]) => [decodeRouterText(k), v === undefined ? v : decodeRouterText(v)])) as T;
}
