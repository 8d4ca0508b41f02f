/**
 * Builds the agent console (console/) into static files with hashed names: app-[hash].js,
 * app-[hash].css (with source maps) and an index.html that links them. Used by `npm run build`,
 * `npm run demo` and the console's tests.
 *   node --import tsx scripts/build-console.ts [--out DIR]     (default dist/console)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { isEntryPoint } from "../src/cli/args.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_CONSOLE_OUT = join(ROOT, "dist", "console");

export interface BuiltConsole {
  dir: string;
  /** File names written (index.html first). */
  files: string[];
  bytes: number;
  ms: number;
}

/** Builds into `outDir` (emptied first). Fails on any TypeScript or CSS that esbuild cannot bundle. */
export async function buildConsole(opts: { outDir?: string; minify?: boolean } = {}): Promise<BuiltConsole> {
  const started = performance.now();
  const dir = resolve(opts.outDir ?? DEFAULT_CONSOLE_OUT);
  if (ROOT.startsWith(dir)) throw new Error(`build-console: refusing to empty ${dir}, which holds the repository`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { app: "console/main.tsx" },
    tsconfig: "console/tsconfig.json",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    outdir: dir,
    entryNames: "[name]-[hash]",
    assetNames: "[name]-[hash]",
    minify: opts.minify ?? true,
    sourcemap: "linked",
    jsx: "automatic",
    jsxImportSource: "preact",
    charset: "utf8",
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint === "console/main.tsx");
  if (!entry) throw new Error("build-console: esbuild produced no bundle for console/main.tsx");
  const js = basename(entry[0]);
  const css = entry[1].cssBundle ? basename(entry[1].cssBundle) : undefined;
  if (!css) throw new Error("build-console: no stylesheet (console/main.tsx must import styles.css)");

  const template = readFileSync(join(ROOT, "console", "index.html"), "utf8");
  if (!template.includes('href="./app.css"') || !template.includes('src="./app.js"')) {
    throw new Error("build-console: console/index.html must link ./app.css and ./app.js");
  }
  // Absolute paths: /console and /console/ both load them.
  const html = template.replace('href="./app.css"', `href="/console/${css}"`).replace('src="./app.js"', `src="/console/${js}"`);
  writeFileSync(join(dir, "index.html"), html);

  const files = ["index.html", ...outputs.map(([p]) => relative(dir, resolve(ROOT, p)))];
  const bytes = Buffer.byteLength(html) + outputs.reduce((n, [, o]) => n + o.bytes, 0);
  return { dir, files, bytes, ms: Math.round(performance.now() - started) };
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  buildConsole(values.out ? { outDir: values.out } : {}).then(
    (b) => process.stdout.write(`console built in ${b.ms} ms: ${b.dir} (${b.files.join(", ")}; ${(b.bytes / 1024).toFixed(0)} KiB)\n`),
    (err: unknown) => {
      process.stderr.write(`build-console: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
