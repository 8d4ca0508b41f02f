import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** One import of a source file: the specifier as written and, for a relative one, the repo path it names. */
export interface ImportEdge {
  file: string;
  specifier: string;
  /** Repo-relative path (`src/cache/db.ts`) for relative specifiers; undefined for packages and `node:`. */
  target: string | undefined;
}

/** Every `.ts` and `.tsx` file under the repo-relative folder (none when it does not exist yet), with forward slashes. */
export function sourceFiles(folder: string): string[] {
  if (!existsSync(join(REPO, folder))) return [];
  return readdirSync(join(REPO, folder), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") || f.endsWith(".tsx"))
    .map((f) => posix.join(folder, f.split("\\").join("/")))
    .sort();
}

/** A file's source with comments blanked, so an import named in prose is not an import. */
export function codeOf(file: string): string {
  return withoutComments(readFileSync(join(REPO, file), "utf8"));
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

const SPECIFIERS = [
  /\b(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
];

/** Static imports, re-exports, side-effect imports and dynamic imports with a literal specifier. */
export function importsOf(file: string, source?: string): ImportEdge[] {
  const code = source === undefined ? codeOf(file) : withoutComments(source);
  const edges: ImportEdge[] = [];
  for (const pattern of SPECIFIERS) {
    for (const [, specifier = ""] of code.matchAll(pattern)) {
      const target = specifier.startsWith(".")
        ? posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, ".ts")
        : undefined;
      edges.push({ file, specifier, target });
    }
  }
  return edges;
}

/** `node:http` and `http` are the same module. */
export function packageOf(specifier: string): string {
  const bare = specifier.replace(/^node:/, "");
  const parts = bare.split("/");
  return bare.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? bare);
}

export function isUnder(path: string | undefined, folder: string): boolean {
  return path !== undefined && (path === folder || path.startsWith(`${folder.replace(/\/$/, "")}/`));
}
