import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

/** `npm run X` and the npm built-ins that run a script of the same name (`npm start`, `npm test`). */
export function npmScriptsNamed(markdown: string): string[] {
  const names = new Set<string>();
  for (const m of markdown.matchAll(/\bnpm run ([A-Za-z0-9:_-]+)/g)) names.add(m[1] as string);
  for (const m of markdown.matchAll(/\bnpm (start|test|stop|restart)\b/g)) names.add(m[1] as string);
  return [...names].sort();
}

test("npmScriptsNamed finds run scripts and the built-ins that need a script", () => {
  const cases: [string, string[]][] = [
    ["`npm ci && npm run demo`", ["demo"]],
    ["npm run keys -- create x\nnpm run lab:generate", ["keys", "lab:generate"]],
    ["npm test and npm start, not npm ci or npm install", ["start", "test"]],
    ["no commands here", []],
  ];
  for (const [text, want] of cases) assert.deepEqual(npmScriptsNamed(text), want, text);
});

test("every npm script README.md names exists in package.json", () => {
  const readme = readFileSync("README.md", "utf8");
  const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  const named = npmScriptsNamed(readme);
  assert.ok(named.includes("demo"), "the quick start is there");
  const missing = named.filter((n) => !(n in scripts));
  assert.deepEqual(missing, [], `README.md names npm scripts package.json lacks: ${missing.join(", ")}`);
});
