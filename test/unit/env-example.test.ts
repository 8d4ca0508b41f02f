import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CONFIG_VARIABLES, loadConfig } from "../../src/config.js";

test("config/.env.example documents exactly the variables Beholder reads, and its values load", () => {
  const text = readFileSync("config/.env.example", "utf8");
  const documented = [...text.matchAll(/^#?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(documented)].sort(), [...CONFIG_VARIABLES].sort());
  const active = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  assert.doesNotThrow(() => loadConfig(active));
});

test("the README's configuration table names every variable", () => {
  const readme = readFileSync("README.md", "utf8");
  const missing = CONFIG_VARIABLES.filter((v) => !readme.includes(`\`${v}\``));
  assert.deepEqual(missing, []);
});
