/**
 * Reads a JSON array of objects from a byte stream one element at a time, so a list of 100,000
 * rows (ISPCube's unpaginated `connections_list` is over 100 MB) never sits in memory as one string
 * and one parsed tree. A body that is not an array (an error object sent with HTTP 200) is returned
 * whole, for the caller to classify.
 */
export type ArrayStreamResult = { streamed: true; count: number } | { streamed: false; text: string };

const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

export class JsonArrayError extends Error {
  override name = "JsonArrayError";
}

export async function streamJsonArray(body: AsyncIterable<Uint8Array>, onElement: (text: string) => void): Promise<ArrayStreamResult> {
  const decoder = new TextDecoder();
  // 0: before "[", 1: between elements, 2: inside an element, 3: after "]".
  let state = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pieces: string[] = [];
  let count = 0;
  let whole: string[] | undefined;

  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    if (whole) {
      whole.push(text);
      continue;
    }
    let start = state === 2 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (state === 2) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) inString = true;
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
        else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
          if (--depth === 0) {
            pieces.push(text.slice(start, i + 1));
            onElement(pieces.join(""));
            pieces = [];
            count++;
            state = 1;
          }
        }
      } else if (isSpace(c)) {
        continue;
      } else if (state === 0) {
        if (c !== OPEN_ARRAY) {
          // Not an array: hand the whole body back.
          whole = [text];
          break;
        }
        state = 1;
      } else if (state === 1) {
        if (c === COMMA) continue;
        if (c === CLOSE_ARRAY) state = 3;
        else if (c === OPEN_OBJECT) {
          state = 2;
          depth = 1;
          start = i;
        } else throw new JsonArrayError(`expected an object at element ${count}`);
      } else {
        throw new JsonArrayError("unexpected data after the end of the array");
      }
    }
    if (state === 2) pieces.push(text.slice(start));
  }
  if (whole) return { streamed: false, text: whole.join("") + decoder.decode() };
  if (state !== 3) throw new JsonArrayError(state === 0 ? "empty body" : "the array was cut short");
  return { streamed: true, count };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
