/** RouterOS parsers on sentences captured from real routers (shared/vendors/routeros.md §1.9, §3). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isVendorError } from "../../src/vendors/errors.js";
import type { ParseContext } from "../../src/vendors/routeros/parse.js";
import { mentionsUser, parseLogEntry, parseQueue, parseSecret, parseSession, parseTraffic, parseVersion, trapKind } from "../../src/vendors/routeros/parse.js";
import { parseBoolean, parseDuration, parseMac, parseRatePair, parseRouterDate } from "../../src/vendors/routeros/values.js";
import type { WireRow } from "../../src/vendors/routeros/wire.js";

/** A `!re` sentence's attribute words as node-routeros turns them into an object (split on the second `=`). */
function row(...words: string[]): WireRow {
  const out: Record<string, string> = {};
  for (const w of words) {
    const i = w.indexOf("=", 1);
    out[w.slice(1, i)] = w.slice(i + 1);
  }
  return out;
}

const NOW = new Date("2025-06-10T12:00:00Z");
const ctx = (timeZone = "UTC"): ParseContext => ({ op: "core-1 /test", timeZone, now: NOW });

describe("routeros values", () => {
  const durations: [string, number | null | undefined][] = [
    ["3w4d12h23m12s", 3 * 604800 + 4 * 86400 + 12 * 3600 + 23 * 60 + 12],
    ["1w4d1h16m55s", 604800 + 4 * 86400 + 3600 + 16 * 60 + 55],
    ["1d5h36m1s", 86400 + 5 * 3600 + 36 * 60 + 1],
    ["44m55s", 2695],
    ["0s", 0],
    ["12ms", 0.012],
    ["9ms562us", 0.009562],
    ["1ms164us", 0.001164],
    ["164us", 0.000164],
    // The v6 CLI form, read defensively.
    ["1w2d03:04:05", 9 * 86400 + 3 * 3600 + 4 * 60 + 5],
    ["00:00:01", 1],
    ["", null],
    ["3 weeks", undefined],
    ["5x", undefined],
  ];
  for (const [text, seconds] of durations) {
    it(`duration ${JSON.stringify(text)} → ${seconds}`, () => assert.equal(parseDuration(text), seconds));
  }

  const dates: [string, string, string | null | undefined][] = [
    ["feb/05/2024 13:47:44", "UTC", "2024-02-05T13:47:44Z"],
    ["jan/03/2019 16:48:28", "UTC", "2019-01-03T16:48:28Z"],
    ["2023-06-26 00:32:53", "UTC", "2023-06-26T00:32:53Z"],
    ["feb/05/2024 13:47:44", "America/Argentina/Buenos_Aires", "2024-02-05T16:47:44Z"],
    ["2025-03-01 10:00:00", "America/Argentina/Buenos_Aires", "2025-03-01T13:00:00Z"],
    // A zone with DST: Madrid is UTC+2 in June, UTC+1 in February.
    ["2025-06-01 10:00:00", "Europe/Madrid", "2025-06-01T08:00:00Z"],
    ["2025-02-01 10:00:00", "Europe/Madrid", "2025-02-01T09:00:00Z"],
    // "never logged out", both eras.
    ["jan/01/1970 00:00:00", "UTC", null],
    ["1970-01-01 00:00:00", "America/Argentina/Buenos_Aires", null],
    // Log times: today, and this year without the year (now is 2025-06-10 12:00 UTC).
    ["09:30:15", "UTC", "2025-06-10T09:30:15Z"],
    ["09:30:15", "America/Argentina/Buenos_Aires", "2025-06-10T12:30:15Z"],
    // 23:59 can only be yesterday's when it is noon now.
    ["23:59:58", "UTC", "2025-06-09T23:59:58Z"],
    ["jun/09 11:00:00", "UTC", "2025-06-09T11:00:00Z"],
    ["06-09 11:00:00", "UTC", "2025-06-09T11:00:00Z"],
    ["dec/31 23:00:00", "UTC", "2024-12-31T23:00:00Z"],
    ["", "UTC", null],
    ["yesterday", "UTC", undefined],
    ["feb/30x/2024 13:47:44", "UTC", undefined],
    ["2024-13-05 13:47:44", "UTC", undefined],
  ];
  for (const [text, zone, iso] of dates) {
    it(`date ${JSON.stringify(text)} in ${zone} → ${iso}`, () => {
      const got = parseRouterDate(text, zone, NOW);
      assert.deepEqual(got, iso ? new Date(iso) : iso);
    });
  }

  it("booleans in both spellings, empty as null", () => {
    assert.deepEqual(["true", "false", "yes", "no", "", undefined, "maybe"].map(parseBoolean), [true, false, true, false, null, null, undefined]);
  });

  it("MACs upper-cased, empty as null", () => {
    assert.deepEqual(["b0:a7:b9:9e:e2:e3", "B0:A7:B9:9E:E2:E3", "", "10.0.0.1"].map(parseMac), ["B0:A7:B9:9E:E2:E3", "B0:A7:B9:9E:E2:E3", null, "10.0.0.1"]);
  });

  it("upload/download composites", () => {
    assert.deepEqual(parseRatePair("10000000/20000000"), { upload: 10_000_000, download: 20_000_000 });
    assert.deepEqual(parseRatePair("0/320"), { upload: 0, download: 320 });
    assert.deepEqual(parseRatePair("2M/10M"), { upload: 2_000_000, download: 10_000_000 });
    assert.equal(parseRatePair(""), null);
    assert.equal(parseRatePair("25000000"), undefined);
    assert.equal(parseRatePair("a/b"), undefined);
  });
});

describe("routeros rows", () => {
  it("a 2024 /ppp/secret row (pre-7.10 dates), password never copied", () => {
    const r = row(
      "=.id=*C2A", "=name=2005747@alfa", "=service=pppoe", "=caller-id=", "=password=hunter2", "=profile=default",
      "=local-address=10.205.74.1", "=remote-address=10.205.74.160", "=routes=", "=ipv6-routes=", "=limit-bytes-in=0",
      "=limit-bytes-out=0", "=last-logged-out=feb/05/2024 13:47:44", "=last-caller-id=B0:A7:B9:9E:E2:E3",
      "=last-disconnect-reason=hung-up", "=disabled=false",
    );
    assert.deepEqual(parseSecret(r, ctx()), {
      name: "2005747@alfa",
      profile: "default",
      service: "pppoe",
      disabled: false,
      remoteAddress: "10.205.74.160",
      callerId: null,
      lastLoggedOut: new Date("2024-02-05T13:47:44Z"),
      lastCallerId: "B0:A7:B9:9E:E2:E3",
      lastDisconnectReason: "hung-up",
      comment: null,
    });
  });

  it("a 7.10+ /ppp/secret row (§3.9), name normalised", () => {
    const r = row("=.id=*1A", "=name=Alice ", "=profile=10M", "=disabled=false", "=last-logged-out=2025-03-01 10:00:00", "=last-caller-id=AA:BB:CC:00:11:22", "=last-disconnect-reason=peer-request");
    const s = parseSecret(r, ctx("America/Argentina/Buenos_Aires"));
    assert.equal(s.name, "alice");
    assert.deepEqual(s.lastLoggedOut, new Date("2025-03-01T13:00:00Z"));
    assert.equal(s.service, "any");
  });

  it("wrong shapes are bad_response naming the field", () => {
    const bad = (fn: () => unknown, field: string): void =>
      assert.throws(fn, (err) => isVendorError(err, "bad_response") && err.message.includes(field) && err.op === "core-1 /test");
    bad(() => parseSecret(row("=profile=default"), ctx()), "name");
    bad(() => parseSecret(row("=name=a", "=disabled=perhaps"), ctx()), "disabled");
    bad(() => parseSecret(row("=name=a", "=last-logged-out=last tuesday"), ctx()), "last-logged-out");
    bad(() => parseSession(row("=name=a", "=uptime=forever"), ctx()), "uptime");
    bad(() => parseQueue(row("=name=q", "=max-limit=fast"), ctx()), "max-limit");
    bad(() => parseTraffic([], ctx()), "no row");
    bad(() => parseTraffic([row("=name=<pppoe-a>", "=rx-bits-per-second=8.5kbps", "=tx-bits-per-second=1")], ctx()), "rx-bits-per-second");
  });

  it("a real v6 /ppp/active row", () => {
    const r = row(
      "=.id=*80000001", "=name=eb0S0_18933833A", "=service=pppoe", "=caller-id=44:D9:E7:A0:9B:E1", "=address=194.179.48.253",
      "=uptime=3w4d12h23m12s", "=encoding=", "=session-id=0x81C00002", "=limit-bytes-in=0", "=limit-bytes-out=0", "=radius=false",
    );
    assert.deepEqual(parseSession(r, ctx()), {
      name: "eb0s0_18933833a",
      address: "194.179.48.253",
      callerId: "44:D9:E7:A0:9B:E1",
      uptimeS: 2_204_592,
      service: "pppoe",
      sessionId: "0x81C00002",
    });
  });

  it("a v7 /ppp/active row (no encoding, no radius)", () => {
    const r = row("=.id=*8", "=name=alice", "=address=10.20.0.10", "=uptime=44m55s", "=caller-id=D0:D0:4B:36:7C:C1", "=service=pppoe", "=session-id=0x81100000", "=limit-bytes-in=0", "=limit-bytes-out=0");
    assert.deepEqual(parseSession(r, ctx()), { name: "alice", address: "10.20.0.10", callerId: "D0:D0:4B:36:7C:C1", uptimeS: 2695, service: "pppoe", sessionId: "0x81100000" });
  });

  it("monitor-traffic: rx is the subscriber's upload, tx the download (§3.6, §3.9)", () => {
    const r = row("=name=<pppoe-alice>", "=rx-bits-per-second=123456", "=tx-bits-per-second=2345678", "=rx-packets-per-second=20");
    assert.deepEqual(parseTraffic([r], ctx()), { downloadBps: 2_345_678, uploadBps: 123_456, at: NOW });
  });

  it("a real /queue/simple row (§3.4)", () => {
    const r = row(
      "=name=25869", "=target=10.16.97.102/32", "=parent=none", "=priority=8/8", "=max-limit=25000000/25000000",
      "=burst-time=0s/0s", "=bytes=38105527/466624487", "=rate=0/320", "=invalid=false", "=dynamic=false", "=disabled=false",
    );
    assert.deepEqual(parseQueue(r, ctx()), { name: "25869", maxDownloadBps: 25_000_000, maxUploadBps: 25_000_000, downloadBps: 320, uploadBps: 0 });
  });

  it("log entries, today's with a bare time", () => {
    assert.deepEqual(parseLogEntry(row("=.id=*1", "=time=09:30:15", "=topics=pppoe,ppp,info", "=message=<pppoe-bob>: disconnected"), ctx()), {
      time: new Date("2025-06-10T09:30:15Z"),
      topics: "pppoe,ppp,info",
      message: "<pppoe-bob>: disconnected",
    });
    assert.equal(parseLogEntry(row("=topics=system,info", "=message=x=y"), ctx()).message, "x=y");
  });

  const mentions: [string, string, boolean][] = [
    ["<pppoe-alice>: authenticated", "alice", true],
    ["<pppoe-alice>: terminating... - peer is not responding", "ALICE", true],
    ["alice logged in, 10.20.0.10", "alice", true],
    ["2005747@alfa logged in, 10.205.74.160", "2005747@alfa", true],
    ["<pppoe-malice>: connected", "alice", false],
    ["<pppoe-alice2>: connected", "alice", false],
    ["login failure for user alice.b from 10.0.0.1", "alice", false],
    ["anything", "", false],
  ];
  for (const [message, user, expected] of mentions) {
    it(`${JSON.stringify(message)} ${expected ? "names" : "does not name"} ${JSON.stringify(user)}`, () => assert.equal(mentionsUser(message, user), expected));
  }

  it("versions keep the number only", () => {
    assert.deepEqual(["7.15 (stable)", "6.49.10 (long-term)", "", undefined].map(parseVersion), ["7.15", "6.49.10", null, null]);
  });

  const traps: [string, string][] = [
    ["input does not match any value of interface", "not_found"],
    ["no such item (4)", "not_found"],
    ["no such command prefix", "bad_response"],
    ["no such command or directory (adress)", "bad_response"],
    ["not enough permissions (9)", "auth"],
    ["action timed out - try again, if error continues contact MikroTik support and send a supout file (13)", "unavailable"],
  ];
  for (const [message, kind] of traps) {
    it(`trap ${JSON.stringify(message)} → ${kind}`, () => assert.equal(trapKind(message), kind));
  }
});
