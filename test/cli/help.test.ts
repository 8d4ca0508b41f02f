import { test } from "node:test";
import assert from "node:assert/strict";
import { main as bench } from "../../bench/run.js";
import { main as demo } from "../../lab/demo/demo.js";
import { main as keys } from "../../src/cli/keys.js";
import { main as sync } from "../../src/cli/sync.js";
import { main as lab } from "../../lab/cli.js";
import { main as beholder } from "../../src/cli/beholder.js";

type Main = (argv: readonly string[], io: { out(t: string): void; err(t: string): void }) => Promise<number | undefined>;

/** Every CLI the README names, in-process: none of these arguments gets as far as opening anything. */
const CLIS: [name: string, main: Main][] = [
  ["sync", sync],
  ["keys", (argv, io) => keys(argv, { io, env: {} })],
  ["lab", lab],
  ["bench", bench],
  ["demo", demo],
  ["beholder", (argv, io) => beholder(argv, io, { env: {} })],
];

async function run(main: Main, argv: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

for (const [name, main] of CLIS) {
  test(`${name}: --help and -h print the usage and exit 0`, async () => {
    for (const flag of ["--help", "-h"]) {
      const r = await run(main, [flag]);
      assert.equal(r.code, 0, flag);
      assert.match(r.out, new RegExp(`^usage:[\\s\\S]*npm run ${name}\\b`), flag);
      assert.equal(r.err, "");
    }
  });

  test(`${name}: an unknown option prints the problem and the usage, exits 2, no stack trace`, async () => {
    const r = await run(main, ["--no-such-option"]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`^${name}: Unknown option '--no-such-option'[\\s\\S]*\\nusage:`));
    assert.doesNotMatch(r.err, /\n\s+at /);
    assert.equal(r.out, "");
  });
}
