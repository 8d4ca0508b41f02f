import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, readEnv, redactConfig, routerTimeZone } from "../../src/config.js";

describe("config", () => {
  test("defaults match the old system: port 8500, data/diag.db, router API port 8728, every vendor disabled", () => {
    const c = loadConfig({});
    assert.equal(c.server.port, 8500);
    assert.equal(c.db.path, "data/diag.db");
    assert.deepEqual(c.vendors, { smartolt: undefined, ispcube: undefined, routeros: undefined });
    assert.equal(c.log.format, "json");
    assert.deepEqual(c.server.corsOrigins, ["*"]);
  });

  test("the old variable names configure the vendors", () => {
    const c = loadConfig({
      PORT: "9000",
      SMARTOLT_BASEURL: "https://isp.smartolt.com/api",
      SMARTOLT_TOKEN: "tok",
      MK_HOST: "10.0.0.1",
      MK_USER: "api",
      MK_PASS: "secret",
      MK_PORT: "8729",
      ISPCUBE_BASEURL: "https://online.ispcube.com",
      ISPCUBE_APIKEY: "k",
      ISPCUBE_USER: "api",
      ISPCUBE_PASSWORD: "p",
      ISPCUBE_CLIENTID: "302",
    });
    assert.equal(c.server.port, 9000);
    assert.deepEqual(c.vendors.routeros, { defaultHost: "10.0.0.1", port: 8729, user: "api", password: "secret", timezone: "America/Argentina/Buenos_Aires" });
    assert.equal(c.vendors.smartolt?.timezone, "America/Argentina/Buenos_Aires");
    assert.equal(c.vendors.ispcube?.clientId, "302");
  });

  test("a router's clock zone: its host:port entry, then its host's, then MK_TIMEZONE", () => {
    const c = loadConfig({
      MK_USER: "api",
      MK_PASS: "secret",
      MK_ROUTER_TIMEZONES: "10.0.0.1:8729=UTC, 10.0.0.1=America/Argentina/Cordoba,[fd00::1]:8728=Europe/Madrid",
    });
    const ros = c.vendors.routeros;
    assert.ok(ros);
    assert.equal(routerTimeZone(ros, { host: "10.0.0.1", port: 8729 }), "UTC");
    assert.equal(routerTimeZone(ros, { host: "10.0.0.1", port: 8728 }), "America/Argentina/Cordoba");
    assert.equal(routerTimeZone(ros, { host: "fd00::1", port: 8728 }), "Europe/Madrid");
    assert.equal(routerTimeZone(ros, { host: "10.0.0.2", port: 8729 }), "America/Argentina/Buenos_Aires");
    for (const bad of ["10.0.0.1=Mars/Base", "10.0.0.1:99999=UTC", "=UTC", "10.0.0.1"]) {
      assert.throws(
        () => loadConfig({ MK_USER: "api", MK_PASS: "secret", MK_ROUTER_TIMEZONES: bad }),
        (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith("MK_ROUTER_TIMEZONES: must be a comma-separated list")),
        bad,
      );
    }
  });

  test("MK_HOST may carry its port (host:port, [v6]:port), which then wins over MK_PORT", () => {
    const login = { MK_USER: "api", MK_PASS: "secret" };
    const at = (env: Record<string, string>): [string | undefined, number | undefined] => {
      const r = loadConfig({ ...login, ...env }).vendors.routeros;
      return [r?.defaultHost, r?.port];
    };
    assert.deepEqual(at({ MK_HOST: "200.1.2.3:8729" }), ["200.1.2.3", 8729]);
    assert.deepEqual(at({ MK_HOST: "200.1.2.3:8730", MK_PORT: "8728" }), ["200.1.2.3", 8730]);
    assert.deepEqual(at({ MK_HOST: "200.1.2.3", MK_PORT: "8731" }), ["200.1.2.3", 8731]);
    assert.deepEqual(at({ MK_HOST: "[2001:db8::1]:8729" }), ["2001:db8::1", 8729]);
    assert.deepEqual(at({ MK_HOST: "2001:db8::1" }), ["2001:db8::1", 8728]);
    assert.throws(() => loadConfig({ ...login, MK_HOST: "200.1.2.3:99999" }), /MK_HOST: port 99999 is not a TCP port/);
  });

  test("SMARTOLT_ONU_LINK: auto by default, username or name when set, anything else refused", () => {
    assert.equal(loadConfig({}).sync.onuLink, "auto");
    assert.equal(loadConfig({ SMARTOLT_ONU_LINK: "name" }).sync.onuLink, "name");
    assert.equal(loadConfig({ SMARTOLT_ONU_LINK: "username" }).sync.onuLink, "username");
    assert.throws(() => loadConfig({ SMARTOLT_ONU_LINK: "serial" }), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith("SMARTOLT_ONU_LINK: ")));
  });

  test("an invalid config lists every problem in one error", () => {
    const err = (() => {
      try {
        loadConfig({ PORT: "99999", SMARTOLT_TOKEN: "tok", ISPCUBE_APIKEY: "k", LOG_LEVEL: "loud", API_KEY: "short" });
      } catch (e) {
        return e;
      }
      assert.fail("expected a ConfigError");
    })();
    assert.ok(err instanceof ConfigError);
    const text = err.problems.join("\n");
    assert.match(text, /^PORT: /m);
    assert.match(text, /^LOG_LEVEL: /m);
    assert.match(text, /^API_KEY: must be at least 16 characters/m);
    const vendors = (() => {
      try {
        loadConfig({ SMARTOLT_TOKEN: "tok", ISPCUBE_APIKEY: "k", MK_HOST: "10.0.0.1" });
      } catch (e) {
        return e as ConfigError;
      }
      assert.fail("expected a ConfigError");
    })();
    assert.deepEqual(vendors.problems, [
      "SmartOLT: SMARTOLT_BASEURL must be set too (set all of SMARTOLT_BASEURL, SMARTOLT_TOKEN or none)",
      "ISPCube: ISPCUBE_BASEURL, ISPCUBE_USER, ISPCUBE_PASSWORD, ISPCUBE_CLIENTID must be set too (set all of ISPCUBE_BASEURL, ISPCUBE_APIKEY, ISPCUBE_USER, ISPCUBE_PASSWORD, ISPCUBE_CLIENTID or none)",
      "RouterOS: MK_HOST is set but MK_USER and MK_PASS are missing",
    ]);
  });

  test("secrets are redacted wherever config is printed", () => {
    const c = loadConfig({
      API_KEY: "legacy-key-0123456789",
      SMARTOLT_BASEURL: "https://isp.smartolt.com/api",
      SMARTOLT_TOKEN: "so-token-value",
      MK_USER: "api",
      MK_PASS: "router-pass",
    });
    const printed = JSON.stringify(redactConfig(c));
    for (const secret of ["legacy-key-0123456789", "so-token-value", "router-pass"]) assert.equal(printed.includes(secret), false);
    assert.match(printed, /\[redacted\]/);
  });

  test("config/.env is read, and the process environment wins", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "beholder-env-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, ".env");
    writeFileSync(file, "PORT=8600\nDB_PATH=data/other.db\n# comment\nMK_USER=api\n");
    const env = readEnv(file, { PORT: "8700" });
    assert.equal(env.PORT, "8700");
    assert.equal(env.DB_PATH, "data/other.db");
    assert.deepEqual(readEnv(join(dir, "missing.env"), { A: "1" }), { A: "1" });
  });
});
