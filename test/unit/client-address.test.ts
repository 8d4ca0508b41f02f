import { test } from "node:test";
import assert from "node:assert/strict";
import { createClientAddresses, normalizeAddress } from "../../src/server/client-address.js";
import { createConnectionGate } from "../../src/server/connection-gate.js";
import { ConfigError, loadConfig } from "../../src/config.js";

test("the client address: X-Forwarded-For believed only from trusted proxies, walked from the right", () => {
  const cases: [string, string[], string | undefined, string | undefined, string][] = [
    // name, trusted, peer, x-forwarded-for, expected
    ["no proxies configured: the header is ignored", [], "10.0.0.5", "203.0.113.1", "10.0.0.5"],
    ["an untrusted peer: the header is ignored", ["10.0.0.1"], "10.0.0.5", "203.0.113.1", "10.0.0.5"],
    ["a trusted peer: its client", ["10.0.0.1"], "10.0.0.1", "203.0.113.1", "203.0.113.1"],
    ["a dual-stack peer address is its IPv4 form", ["10.0.0.1"], "::ffff:10.0.0.1", "203.0.113.1", "203.0.113.1"],
    ["a spoofed hop left of the real client is not reached", ["10.0.0.1"], "10.0.0.1", "198.51.100.9, 203.0.113.1", "203.0.113.1"],
    ["chained trusted proxies are skipped", ["10.0.0.0/8"], "10.0.0.1", "203.0.113.1, 10.2.3.4", "203.0.113.1"],
    ["only proxies in the header: the left-most", ["10.0.0.0/8"], "10.0.0.1", "10.9.9.9, 10.2.3.4", "10.9.9.9"],
    ["garbage in the header: the last good hop", ["10.0.0.1"], "10.0.0.1", "nonsense", "10.0.0.1"],
    ["a trusted peer without the header: the peer", ["10.0.0.1"], "10.0.0.1", undefined, "10.0.0.1"],
    ["IPv6 proxies", ["::1"], "::1", "2001:db8::7", "2001:db8::7"],
    ["no peer address", [], undefined, undefined, "unknown"],
  ];
  for (const [name, trusted, peer, xff, expected] of cases) {
    assert.equal(createClientAddresses(trusted).resolve(peer, xff), expected, name);
  }
  assert.equal(normalizeAddress("::FFFF:127.0.0.1"), "127.0.0.1");
});

test("the connection gate: per-address and total caps, exemption for proxies, penalties that expire", () => {
  let now = 0;
  const gate = createConnectionGate({ maxConnections: 4, maxConnectionsPerIp: 2 }, () => now);
  const a1 = gate.admit("a");
  assert.ok(a1 && gate.admit("a"));
  assert.equal(gate.admit("a"), undefined, "per-address cap");
  assert.ok(gate.admit("proxy", true) && gate.admit("proxy", true), "a proxy is not capped per address");
  assert.equal(gate.admit("b"), undefined, "total cap");
  a1();
  a1();
  assert.equal(gate.open, 3, "a double release frees one slot");
  gate.penalize("b", 1000);
  assert.equal(gate.admit("b"), undefined, "penalized");
  now = 1001;
  assert.ok(gate.admit("b"), "the penalty expired");
});

test("TRUSTED_PROXIES accepts addresses and CIDR blocks, and names a bad entry", () => {
  for (const good of ["", "127.0.0.1, ::1", "10.0.0.0/8", "2001:db8::/32"]) {
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: good }).server.trustedProxies, good.split(",").map((x) => x.trim()).filter(Boolean));
  }
  for (const bad of ["300.1.1.1", "proxy.local", "10.0.0.0/33", "10.0.0.1/8/1"]) {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: bad }), (err: unknown) => err instanceof ConfigError && /TRUSTED_PROXIES/.test(err.message), bad);
  }
});
