import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { arPhoneNumber, dniOfCuit, emailKey, phoneKeys, queryPhoneKeys, serialTail } from "../../src/cache/search-keys.js";

describe("Argentine phone numbers", () => {
  const same: [string, string][] = [
    ["+54 9 353 4765432", "3534765432"],
    ["+5493534765432", "3534765432"],
    ["5493534765432", "3534765432"],
    ["3534765432", "3534765432"],
    ["353 4765432", "3534765432"],
    ["353-4765432", "3534765432"],
    ["0353 154765432", "3534765432"],
    ["0353 15 476-5432", "3534765432"],
    ["(0353) 15-476-5432", "3534765432"],
    ["353 15 4765432", "3534765432"],
    ["+54 11 4555-1234", "1145551234"],
    ["011 15 5555 1234", "1155551234"],
    ["(0221) 15-555-1234", "2215551234"],
    ["02202 45-1234", "2202451234"],
    ["03571 15404272", "3571404272"],
  ];
  for (const [typed, national] of same) it(`${JSON.stringify(typed)} is ${national}`, () => assert.equal(arPhoneNumber(typed), national));

  it("a bare subscriber number, a foreign number or a DNI is not a whole Argentine number", () => {
    for (const text of ["4765432", "+598 99 123 456", "29334501", "hola"]) assert.equal(arPhoneNumber(text), undefined, text);
  });

  it("a stored phone is indexed by its national digits and every subscriber-number length (area codes of 2 to 4 digits)", () => {
    assert.deepEqual(phoneKeys("+54 9 353 4765432"), ["3534765432", "34765432", "4765432", "765432"]);
    assert.deepEqual(phoneKeys("4765432"), ["4765432", "765432"], "an unparseable number keeps its digits");
    assert.deepEqual(phoneKeys("sin teléfono"), []);
  });

  it("a query is a whole number, a subscriber number, or not a phone", () => {
    assert.deepEqual(queryPhoneKeys("0353 15 476-5432"), ["3534765432"]);
    assert.deepEqual(queryPhoneKeys("4765432"), ["4765432"]);
    assert.deepEqual(queryPhoneKeys("15 4765432"), ["4765432"], "the old 15 before a bare subscriber number");
    assert.deepEqual(queryPhoneKeys("27-29334501-4"), [], "a CUIT is not a phone");
    assert.deepEqual(queryPhoneKeys("perez 353"), []);
    assert.deepEqual(queryPhoneKeys("12345"), [], "too short to be a subscriber number");
  });
});

describe("other identifier keys", () => {
  it("the DNI inside a CUIT/CUIL", () => {
    assert.equal(dniOfCuit("27293345014"), "29334501");
    assert.equal(dniOfCuit("20162209877"), "16220987");
    assert.equal(dniOfCuit("30712345678"), "71234567");
    assert.equal(dniOfCuit("29334501"), undefined);
    assert.equal(dniOfCuit("99293345014"), undefined, "no such prefix");
  });

  it("a serial's hex tail, an e-mail as one token", () => {
    assert.equal(serialTail("HWTC2B3C4D03"), "2b3c4d03");
    assert.equal(serialTail("2B3C4D03"), undefined, "a tail alone has no vendor id to drop");
    assert.equal(emailKey("MariaJosé.Perez@Gmail.com"), "mariajoseperezgmailcom");
  });
});
