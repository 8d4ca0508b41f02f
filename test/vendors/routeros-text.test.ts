import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeRouterRow, decodeRouterText } from "../../src/vendors/routeros/text.js";

/** A word as patches.ts hands it over: one char per byte. */
const bytes = (text: string, encoding: "utf8" | "win1252"): string =>
  encoding === "utf8" ? Buffer.from(text, "utf8").toString("latin1") : Buffer.from(WIN1252(text)).toString("latin1");

/** Windows-1252 for the characters used here (all in latin1's 0xA0–0xFF, or ASCII). */
function WIN1252(text: string): number[] {
  return [...text].map((c) => {
    const code = c.codePointAt(0) ?? 0;
    assert.ok(code < 0x80 || (code >= 0xa0 && code <= 0xff), `test text limited to latin1: ${c}`);
    return code;
  });
}

describe("RouterOS text: UTF-8 when the bytes are UTF-8, else windows-1252", () => {
  for (const text of ["PÉREZ MARÍA JOSÉ", "NÚÑEZ", "IBÁÑEZ CÁCERES", "Dto 3°B — ok".replace("—", "-"), "plain ascii"]) {
    it(`${text}: both encodings decode to the text`, () => {
      assert.equal(decodeRouterText(bytes(text, "utf8")), text);
      assert.equal(decodeRouterText(bytes(text, "win1252")), text);
    });
  }

  it("keeps the bytes win1252 leaves undefined (Í is C3 8D in UTF-8)", () => {
    assert.equal(decodeRouterText("MAR\u00c3\u008dA"), "MARÍA");
  });

  it("windows-1252's 0x80–0x9F are its own characters, not latin1's controls", () => {
    assert.equal(decodeRouterText("\u0080 \u0093ok\u0094"), "€ “ok”");
  });

  it("a row is decoded value by value; an ASCII row is returned as is", () => {
    const ascii = { name: "alice", comment: "moroso" };
    assert.equal(decodeRouterRow(ascii), ascii);
    assert.deepEqual(decodeRouterRow({ name: "bob", comment: bytes("NÚÑEZ", "utf8"), other: undefined }), { name: "bob", comment: "NÚÑEZ", other: undefined });
  });
});
