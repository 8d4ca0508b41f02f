import { createHash } from "node:crypto";
import { foldAscii } from "../scenario/names.js";

/**
 * The RouterOS API wire format (shared/vendors/routeros.md §1.2–§1.3): a word is a length prefix
 * plus that many bytes, a sentence is words ended by a zero-length word. Pure, no sockets, so the
 * simulator and the Beholder client tests share it.
 */

/** One sentence: its words, reply or command word first. */
export type Sentence = string[];

/**
 * Length prefixes for every prefix size and at each boundary (§1.2); the ones marked † in the doc
 * also appear in librouteros' unit tests.
 */
export const routerOsLengthVectors: ReadonlyArray<{ readonly length: number; readonly hex: string }> = Object.freeze([
  { length: 0, hex: "00" },
  { length: 127, hex: "7f" },
  { length: 128, hex: "8080" },
  { length: 130, hex: "8082" },
  { length: 16383, hex: "bfff" },
  { length: 16384, hex: "c04000" },
  { length: 2097140, hex: "dffff4" },
  { length: 2097151, hex: "dfffff" },
  { length: 2097152, hex: "e0200000" },
  { length: 268435440, hex: "effffff0" },
  { length: 268435455, hex: "efffffff" },
  { length: 268435456, hex: "f010000000" },
]);

export class RouterOsProtocolError extends Error {
  override readonly name = "RouterOsProtocolError";
}

/** Largest length a 5-byte prefix can carry. */
const MAX_LENGTH = 0xffffffff;

export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new RangeError(`word length out of range: ${length}`);
  }
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff]);
  if (length < 0x200000) return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff]);
  if (length < 0x10000000) {
    return Buffer.from([(length >>> 24) | 0xe0, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);
  }
  const out = Buffer.alloc(5);
  out[0] = 0xf0;
  out.writeUInt32BE(length, 1);
  return out;
}

/**
 * Reads the length prefix at `offset`. Returns undefined when the prefix is not complete yet.
 * Throws on a control byte (first byte ≥ 0xF8, §1.2) or the unused 0xF1–0xF7 prefixes.
 */
export function decodeLength(buf: Uint8Array, offset = 0): { length: number; size: number } | undefined {
  const b = buf[offset];
  if (b === undefined) return undefined;
  let size: number;
  if (b < 0x80) size = 1;
  else if (b < 0xc0) size = 2;
  else if (b < 0xe0) size = 3;
  else if (b < 0xf0) size = 4;
  else if (b === 0xf0) size = 5;
  else if (b >= 0xf8) throw new RouterOsProtocolError(`control byte 0x${b.toString(16)} in length prefix`);
  else throw new RouterOsProtocolError(`invalid length prefix 0x${b.toString(16)}`);
  if (offset + size > buf.length) return undefined;
  if (size === 5) {
    const v = Buffer.from(buf.buffer, buf.byteOffset + offset + 1, 4).readUInt32BE(0);
    return { length: v, size };
  }
  const masks = [0x7f, 0x3f, 0x1f, 0x0f];
  let length = b & (masks[size - 1] ?? 0);
  for (let i = 1; i < size; i++) length = length * 256 + (buf[offset + i] ?? 0);
  return { length, size };
}

/**
 * How a router's text goes on the wire. RouterOS stores bytes: text typed in Winbox is in the Windows
 * code page, text written through the API or WebFig is UTF-8 (§1.9). `ascii` folds accents away.
 */
export type TextEncoding = "utf-8" | "windows-1252" | "ascii";

/** Windows-1252's 0x80–0x9F, where it differs from latin1 (0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned). */
const WIN1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const WIN1252_BYTE = new Map([...WIN1252_HIGH].map((c, i) => [c, 0x80 + i]));

/** Text as a router would store it; what the encoding cannot hold becomes `?`, as Windows does. */
export function encodeText(text: string, encoding: TextEncoding = "windows-1252"): Buffer {
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  const source = encoding === "ascii" ? foldAscii(text) : text;
  const out: number[] = [];
  for (const c of source) {
    const code = c.codePointAt(0) ?? 0x3f;
    if (code < 0x80) out.push(code);
    else if (encoding === "ascii") out.push(0x3f);
    else if (code >= 0xa0 && code <= 0xff) out.push(code);
    else out.push(WIN1252_BYTE.get(c) ?? 0x3f);
  }
  return Buffer.from(out);
}

/** Words are counted in bytes, in the router's text encoding (windows-1252 unless told: ASCII is the same in all three). */
export function encodeWord(word: string, encoding?: TextEncoding): Buffer {
  const body = encodeText(word, encoding);
  return Buffer.concat([encodeLength(body.length), body]);
}

export function encodeSentence(words: readonly string[], encoding?: TextEncoding): Buffer {
  return Buffer.concat([...words.map((w) => encodeWord(w, encoding)), Buffer.from([0])]);
}

export function encodeSentences(sentences: readonly (readonly string[])[], encoding?: TextEncoding): Buffer {
  return Buffer.concat(sentences.map((s) => encodeSentence(s, encoding)));
}

export interface SentenceDecoder {
  /** Feed bytes as they arrive; returns the sentences completed by them (empty ones included as []). */
  push(chunk: Uint8Array): Sentence[];
  /** Bytes received but not yet part of a complete sentence. */
  readonly buffered: number;
}

/**
 * Incremental decoder: accepts a stream split at any byte boundary, including inside a length prefix.
 * Bytes are kept as a list of chunks and joined only when the next word is complete, so a large word
 * arriving in many pieces is copied once.
 */
export function createSentenceDecoder(opts: { maxWordLength?: number } = {}): SentenceDecoder {
  const maxWordLength = opts.maxWordLength ?? MAX_LENGTH;
  let chunks: Buffer[] = [];
  let size = 0;
  let needed = 1;
  let words: string[] = [];

  function take(): Buffer {
    const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    chunks = [all];
    return all;
  }

  return {
    get buffered() {
      return size;
    },
    push(chunk) {
      const out: Sentence[] = [];
      if (chunk.length === 0) return out;
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      size += chunk.length;
      if (size < needed) return out;
      const buf = take();
      let pos = 0;
      for (;;) {
        const prefix = decodeLength(buf, pos);
        if (!prefix) {
          needed = Math.max(1, size - pos + 1);
          break;
        }
        if (prefix.length > maxWordLength) {
          throw new RouterOsProtocolError(`word of ${prefix.length} bytes exceeds ${maxWordLength}`);
        }
        const end = pos + prefix.size + prefix.length;
        if (end > buf.length) {
          needed = end - pos;
          break;
        }
        if (prefix.length === 0) {
          out.push(words);
          words = [];
        } else {
          words.push(buf.toString("latin1", pos + prefix.size, end));
        }
        pos = end;
        needed = 1;
      }
      const rest = buf.subarray(pos);
      chunks = rest.length > 0 ? [rest] : [];
      size = rest.length;
      return out;
    },
  };
}

/**
 * Pre-6.43 challenge login (§1.6): "00" + hex(MD5(0x00 ‖ password ‖ unhex(challenge))).
 * The challenge must be 32 hex chars: node-routeros zero-pads any other size and gets a different MD5.
 */
export function legacyLoginResponse(password: string, challengeHex: string): string {
  const md5 = createHash("md5");
  md5.update(Buffer.from([0]));
  md5.update(Buffer.from(password, "latin1"));
  md5.update(Buffer.from(challengeHex, "hex"));
  return `00${md5.digest("hex")}`;
}

/** Splits an attribute word `=name=value` on the second `=` only (§1.3). */
export function parseAttribute(word: string): [name: string, value: string] | undefined {
  if (!word.startsWith("=")) return undefined;
  const i = word.indexOf("=", 1);
  return i < 0 ? [word.slice(1), ""] : [word.slice(1, i), word.slice(i + 1)];
}
