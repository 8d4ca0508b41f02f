import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, loadConfig, type ConfigEnv } from "../../src/config.js";
import { DEFAULT_THRESHOLDS, DEFAULT_TIME_ZONE, THRESHOLD_DEFS } from "../../src/diagnosis/thresholds.js";

test("config: triage thresholds default to THRESHOLD_DEFS and read TRIAGE_* variables", () => {
  assert.deepEqual(loadConfig({}).triage, { thresholds: DEFAULT_THRESHOLDS, timeZone: DEFAULT_TIME_ZONE });
  const env: ConfigEnv = { TRIAGE_ONU_RX_WARNING_DBM: "-24.5", TRIAGE_PON_DOWN_PERCENT: "95", TRIAGE_TIMEZONE: "UTC" };
  const c = loadConfig(env);
  assert.equal(c.triage.thresholds.onuRxWarningDbm, -24.5);
  assert.equal(c.triage.thresholds.ponDownPercent, 95);
  assert.equal(c.triage.thresholds.onuRxCriticalDbm, -27);
  assert.equal(c.triage.timeZone, "UTC");
});

test("config: a bad triage value is named in the one configuration error", () => {
  assert.throws(
    () => loadConfig({ TRIAGE_PON_DOWN_PERCENT: "120", TRIAGE_FLAP_PER_HOUR: "many", TRIAGE_TIMEZONE: "Mars/Olympus" }),
    (e: unknown) =>
      e instanceof ConfigError &&
      ["TRIAGE_PON_DOWN_PERCENT", "TRIAGE_FLAP_PER_HOUR", "TRIAGE_TIMEZONE"].every((v) => e.problems.some((p) => p.startsWith(`${v}:`))),
  );
});

test("config/.env.example shows every threshold with its real default", () => {
  const text = readFileSync("config/.env.example", "utf8");
  for (const d of Object.values(THRESHOLD_DEFS)) {
    assert.match(text, new RegExp(`^#${d.env}=${d.default.toString().replace(".", "\\.")}$`, "m"), d.env);
  }
});

test("threshold names are unique and their env names follow them", () => {
  const names = Object.values(THRESHOLD_DEFS).map((d) => d.name);
  assert.equal(new Set(names).size, names.length);
  for (const d of Object.values(THRESHOLD_DEFS)) assert.equal(d.env, `TRIAGE_${d.name.toUpperCase()}`);
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

test("invariant: triage/ and outage/ import nothing from vendors/, cache/, server/ or api/, and never read the clock", () => {
  const sources = [...files("src/diagnosis/triage"), ...files("src/diagnosis/outage"), "src/diagnosis/thresholds.ts", "src/diagnosis/format.ts"];
  assert.ok(sources.length > 30);
  for (const f of sources) {
    const text = readFileSync(f, "utf8");
    assert.doesNotMatch(text, /from "(\.\.\/)+(vendors|cache|server|api|sync|lab)\//, f);
    assert.doesNotMatch(text, /Date\.now\(\)|new Date\(\)/, f);
    assert.doesNotMatch(text, /from "node:/, `${f} does no I/O`);
  }
});
