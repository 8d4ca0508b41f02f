import { test } from "node:test";
import assert from "node:assert/strict";
import { JsonArrayError, streamJsonArray } from "../../src/vendors/json-array.js";

async function* chunks(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const BODY = ` [ {"a": 1, "s": "x}]{[\\"\\\\"}, {"n": {"deep": [1, {"b": "ñandú"}]}, "e": []},
  {"name": "PÉREZ, JUAN"} ] `;

test("elements come out whole and in order, however the bytes are split", async () => {
  const expected = JSON.parse(BODY) as unknown[];
  for (let size = 1; size <= 13; size++) {
    const got: unknown[] = [];
    const result = await streamJsonArray(chunks(BODY, size), (t) => got.push(JSON.parse(t)));
    assert.deepEqual(result, { streamed: true, count: 3 });
    assert.deepEqual(got, expected, `chunks of ${size}`);
  }
});

test("an empty array streams nothing", async () => {
  assert.deepEqual(await streamJsonArray(chunks("[]", 1), () => assert.fail()), { streamed: true, count: 0 });
});

test("a body that is not an array comes back whole, for the caller to classify", async () => {
  const text = '{"status": false, "message": "Error interno"}';
  assert.deepEqual(await streamJsonArray(chunks(text, 5), () => assert.fail()), { streamed: false, text });
});

test("a cut-short array, a stray value or trailing data is an error", async () => {
  for (const bad of ['[{"a": 1}, {"b"', '[{"a": 1}, 2]', '[{"a": 1}] x', ""]) {
    await assert.rejects(streamJsonArray(chunks(bad, 4), () => undefined), JsonArrayError, bad);
  }
});
