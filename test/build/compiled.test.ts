/**
 * The compiled build (npm run build → node dist/src/main.js) runs without a TypeScript loader: it
 * starts, migrates, serves a keyed search through a search worker thread, and stops on SIGTERM.
 * Built into .tmp/ (inside the repository, so node_modules resolves), not into dist/.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { once } from "node:events";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(".");
mkdirSync(join(root, ".tmp"), { recursive: true });
const out = mkdtempSync(join(root, ".tmp", "build-"));
after(() => rmSync(out, { recursive: true, force: true }));

test("node dist/src/main.js serves without tsx, and stops cleanly", async () => {
  await run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", out], { cwd: root });
  copyFileSync("src/cache/search-worker-boot.mjs", join(out, "src/cache/search-worker-boot.mjs"));
  const env = { ...process.env, DB_PATH: join(out, "t.db"), PORT: "0", SYNC_SCHEDULE: "off", LOG_FORMAT: "json", SEARCH_WORKERS: "1", NODE_OPTIONS: "" };

  const created = await run(process.execPath, [join(out, "src/cli/keys.js"), "create", "build-test", "--json"], { env });
  const key = (JSON.parse(created.stdout) as { key: string }).key;

  // No --import tsx: a .ts import anywhere would fail here.
  const child = spawn(process.execPath, [join(out, "src/main.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let logs = "";
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout.on("data", (b: Buffer) => {
      logs += b.toString();
      const m = /"url":"(http:\/\/[^"]+)".*"msg":"listening"/.exec(logs);
      if (m) resolveUrl(m[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${logs}`)));
  });
  try {
    const res = await fetch(`${url}/beholder.v1.SearchService/Search`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify({ query: "nobody-here" }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), {});
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 0, logs);
});
