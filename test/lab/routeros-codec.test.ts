import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createSentenceDecoder,
  decodeLength,
  encodeLength,
  encodeSentence,
  encodeSentences,
  legacyLoginResponse,
  parseAttribute,
  routerOsLengthVectors,
  RouterOsProtocolError,
} from "../../lab/routeros/codec.js";

describe("routeros codec: word lengths (§1.2)", () => {
  for (const { length, hex } of routerOsLengthVectors) {
    it(`encodes and decodes ${length} as ${hex}`, () => {
      assert.equal(encodeLength(length).toString("hex"), hex);
      assert.deepEqual(decodeLength(Buffer.from(hex, "hex")), { length, size: hex.length / 2 });
    });
  }

  it("covers every prefix size on both sides of each boundary", () => {
    const sizes = new Map(routerOsLengthVectors.map((v) => [v.length, v.hex.length / 2]));
    for (const [below, above, size] of [
      [0x7f, 0x80, 1],
      [0x3fff, 0x4000, 2],
      [0x1fffff, 0x200000, 3],
      [0xfffffff, 0x10000000, 4],
    ] as const) {
      assert.equal(sizes.get(below), size);
      assert.equal(sizes.get(above), size + 1);
    }
  });

  it("reports an incomplete prefix as not ready", () => {
    assert.equal(decodeLength(Buffer.from("c040", "hex")), undefined);
    assert.equal(decodeLength(Buffer.from("f0100000", "hex")), undefined);
    assert.equal(decodeLength(Buffer.alloc(0)), undefined);
  });

  it("rejects control bytes (>= 0xF8) and the unused 0xF1-0xF7 prefixes", () => {
    for (const b of [0xf8, 0xfc, 0xff, 0xf1, 0xf7]) {
      assert.throws(() => decodeLength(Buffer.from([b, 0, 0, 0, 0])), RouterOsProtocolError);
    }
    const decoder = createSentenceDecoder();
    assert.throws(() => decoder.push(Buffer.from([0x05, 0x21, 0x64, 0x6f, 0x6e, 0x65, 0xf8])), RouterOsProtocolError);
  });

  it("rejects out-of-range lengths when encoding", () => {
    assert.throws(() => encodeLength(-1), RangeError);
    assert.throws(() => encodeLength(0x100000000), RangeError);
  });
});

describe("routeros codec: sentences (§1.3)", () => {
  it("encodes the manual's /login example byte for byte", () => {
    const hex = encodeSentence(["/login", "=name=admin", "=password=secret", ".tag=1"]).toString("hex");
    assert.equal(hex, "062f6c6f67696e0b3d6e616d653d61646d696e103d70617373776f72643d736563726574062e7461673d3100");
    assert.equal(encodeSentence(["!done", ".tag=1"]).toString("hex"), "0521646f6e65062e7461673d3100");
  });

  it("counts lengths in bytes, not characters", () => {
    const buf = encodeSentence(["=comment=Pérez"]);
    assert.equal(buf[0], 14);
    assert.deepEqual(createSentenceDecoder().push(buf), [["=comment=Pérez"]]);
  });

  it("decodes identically when split at every byte boundary", () => {
    const big = "x".repeat(0x4001);
    const sentences = [
      ["!re", "=.id=*1", "=name=alice", `=comment=${"y".repeat(200)}`, ".tag=7"],
      ["!re", `=blob=${big}`, ".tag=7"],
      ["!done", ".tag=7"],
    ];
    const wire = encodeSentences(sentences);
    for (let cut = 0; cut <= wire.length; cut++) {
      const d = createSentenceDecoder();
      const got = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
      assert.deepEqual(got, sentences, `split at byte ${cut}`);
      assert.equal(d.buffered, 0);
    }
  });

  it("decodes a stream delivered one byte at a time, including a 5-byte prefix", () => {
    const five = Buffer.concat([Buffer.from("f010000000", "hex")]);
    const d = createSentenceDecoder({ maxWordLength: 100 });
    assert.throws(() => d.push(five), RouterOsProtocolError);
    const wire = encodeSentences([["/ppp/active/print", "?name=alice"], [], ["/quit"]]);
    const d2 = createSentenceDecoder();
    const got = [];
    for (const b of wire) got.push(...d2.push(Buffer.from([b])));
    assert.deepEqual(got, [["/ppp/active/print", "?name=alice"], [], ["/quit"]]);
  });

  it("splits attribute words on the second = only", () => {
    assert.deepEqual(parseAttribute("=name=iu=c3Eeg"), ["name", "iu=c3Eeg"]);
    assert.deepEqual(parseAttribute("=comment="), ["comment", ""]);
    assert.deepEqual(parseAttribute("=once"), ["once", ""]);
    assert.equal(parseAttribute("?name=x"), undefined);
  });
});

describe("routeros codec: legacy challenge login (§1.6)", () => {
  it("matches the node-routeros vector", () => {
    assert.equal(legacyLoginResponse("passTest", "ebddd18303a54111e2dea05a92ab46b4"), "00f0a08bf40926bc843e7e19ac45b567a3");
  });

  it("matches the go-routeros vector", () => {
    assert.equal(legacyLoginResponse("passTest", "abc123"), "0021277bff9ac7caf06aa608e46616d47f");
  });
});
