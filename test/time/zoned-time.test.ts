/**
 * The one wall-clock-in-a-zone module (src/time/zoned-time.ts), which both the product's vendor parsers
 * and the lab's renderers use: Intl itself is the oracle here, so the two sides cannot share a mistake
 * that these tests would not see.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatLocal, instantAt, isTimeZone, parseLocal, sameLocalDay, wallClockAt } from "../../src/time/zoned-time.js";

describe("zoned time", () => {
  const intl = (ms: number, timeZone: string): string =>
    new Intl.DateTimeFormat("sv-SE", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    }).format(ms);

  test("formats wall time without offset, across DST changes", () => {
    const cases: Array<[string, string, string]> = [
      ["2026-07-08T14:36:33Z", "America/Argentina/Buenos_Aires", "2026-07-08 11:36:33"],
      ["2026-07-08T14:36:33Z", "America/Lima", "2026-07-08 09:36:33"],
      ["2026-03-29T00:59:59Z", "Europe/Madrid", "2026-03-29 01:59:59"],
      ["2026-03-29T01:00:00Z", "Europe/Madrid", "2026-03-29 03:00:00"],
      ["2026-10-25T00:30:00Z", "Europe/Madrid", "2026-10-25 02:30:00"],
      ["2026-10-25T01:30:00Z", "Europe/Madrid", "2026-10-25 02:30:00"],
      ["2026-01-01T00:00:00Z", "Asia/Kathmandu", "2026-01-01 05:45:00"],
      ["2026-01-01T03:00:00Z", "UTC", "2026-01-01 03:00:00"],
    ];
    for (const [iso, tz, wire] of cases) assert.equal(formatLocal(Date.parse(iso), tz), wire, `${iso} ${tz}`);
  });

  test("agrees with Intl over a year of instants in a DST zone", () => {
    const start = Date.UTC(2026, 0, 1);
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 3_917_000) {
      assert.equal(formatLocal(ms, "America/Santiago"), intl(ms, "America/Santiago"));
    }
  });

  test("parses account-local wall time back to the instant", () => {
    assert.equal(parseLocal("2026-07-09 12:30:00", "America/Argentina/Buenos_Aires")?.getTime(), Date.parse("2026-07-09T15:30:00Z"));
    assert.equal(parseLocal("2026-07-09 12:30:00", "Europe/Madrid")?.getTime(), Date.parse("2026-07-09T10:30:00Z"));
    assert.equal(parseLocal("2026-01-09 12:30:00", "Europe/Madrid")?.getTime(), Date.parse("2026-01-09T11:30:00Z"));
    for (const bad of ["2026-02-30 10:00:00", "2026-07-09T12:30:00", "2026-07-09", "2026-07-09 24:00:00", ""]) {
      assert.equal(parseLocal(bad, "UTC"), undefined, bad);
    }
  });
});


describe("wall clock fields", () => {
  test("wallClockAt and instantAt are inverses outside DST gaps, in zones with and without DST", () => {
    const start = Date.UTC(2026, 0, 1);
    for (const zone of ["America/Argentina/Buenos_Aires", "Europe/Madrid", "America/Santiago", "Asia/Kathmandu", "UTC"]) {
      for (let ms = start; ms < start + 366 * 86_400_000; ms += 7_919_000) {
        const whole = Math.floor(ms / 1000) * 1000;
        const wall = wallClockAt(whole, zone);
        const back = instantAt(wall, zone).getTime();
        // In an ambiguous hour (clocks going back) both instants have this wall time: either is right.
        assert.deepEqual(wallClockAt(back, zone), wall, `${new Date(whole).toISOString()} ${zone}`);
      }
    }
  });

  test("Buenos Aires is UTC−3 all year, the day changing at 03:00 UTC", () => {
    assert.deepEqual(wallClockAt(new Date("2026-12-03T02:59:59Z"), "America/Argentina/Buenos_Aires"), { year: 2026, month: 12, day: 2, hour: 23, minute: 59, second: 59 });
    assert.equal(instantAt({ year: 2026, month: 12, day: 3, hour: 0, minute: 0, second: 0 }, "America/Argentina/Buenos_Aires").toISOString(), "2026-12-03T03:00:00.000Z");
    assert.equal(sameLocalDay(new Date("2026-12-03T02:59:59Z"), new Date("2026-12-03T03:00:00Z"), "America/Argentina/Buenos_Aires"), false);
    assert.equal(sameLocalDay(new Date("2026-12-03T02:59:59Z"), new Date("2026-12-03T03:00:00Z"), "UTC"), true);
  });

  test("unknown zones are told apart", () => {
    assert.equal(isTimeZone("America/Argentina/Cordoba"), true);
    assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
    assert.throws(() => formatLocal(0, "Mars/Olympus_Mons"), RangeError);
  });
});
