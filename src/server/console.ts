/**
 * The agent console's static files (built by scripts/build-console.ts into dist/console/) on
 * `/console/`, with `/` redirecting there. Only files inside the built folder are served: no `..`, no
 * dotfiles, no symlink out of it. Hashed assets are cached for a year, index.html is revalidated (ETag).
 * Every answer carries a Content-Security-Policy that allows only this origin.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import type http from "node:http";
import type http2 from "node:http2";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/** No inline script or style anywhere in the console: its HTML links one script and one stylesheet. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".map", ".json", ".svg", ".txt"]);
/** esbuild's `[name]-[hash]` names: content-addressed, so a year of caching is safe. */
const HASHED = /-[A-Z0-9]{8,}\.(?:js|css|map)$/;
const IMMUTABLE = "public, max-age=31536000, immutable";
const PREFIX = "/console/";

export interface ConsoleHandler {
  /** `/`, `/console` and everything under `/console/`. */
  matches(path: string): boolean;
  handle(req: Req, res: Res, path: string): Promise<void>;
}

interface Entry {
  mtimeMs: number;
  size: number;
  etag: string;
  body: Buffer;
  gzip: Buffer | undefined;
}

/**
 * The installation's `dist/console`: the folder holding package.json above this file, so that
 * `tsx src/main.ts` and the compiled `node dist/src/main.js` find the same build.
 */
export function defaultConsoleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "dist", "console");
    const up = dirname(dir);
    if (up === dir) return resolve("dist", "console");
    dir = up;
  }
}

export function createConsoleHandler(dir: string, onError: (err: unknown) => void): ConsoleHandler {
  const root = resolve(dir);
  const files = new Map<string, Entry>();

  async function load(file: string): Promise<Entry | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const known = files.get(file);
    if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known;
    const body = await readFile(file);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    const gzip = COMPRESSIBLE.has(extname(file)) && body.length > 1024 ? gzipSync(body) : undefined;
    const entry = { mtimeMs: info.mtimeMs, size: info.size, etag, body, gzip };
    files.set(file, entry);
    return entry;
  }

  /** The file a request path names inside the root, or undefined for anything else. */
  async function locate(rest: string): Promise<string | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(rest === "" ? "index.html" : rest);
    } catch {
      return undefined;
    }
    if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
    const segments = decoded.split("/");
    if (segments.some((s) => s === "" || s.startsWith("."))) return undefined;
    const file = join(root, ...segments);
    if (!file.startsWith(root + sep)) return undefined;
    try {
      // A symlink inside the build must not lead out of it.
      const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
      return real.startsWith(realRoot + sep) ? real : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    matches: (path) => path === "/" || path === "/console" || path.startsWith(PREFIX),
    async handle(req, res, path) {
      try {
        if (req.method !== "GET" && req.method !== "HEAD") {
          return send(res, req, 405, { allow: "GET, HEAD" }, "method not allowed: the console serves GET and HEAD only\n");
        }
        if (path === "/" || path === "/console") return send(res, req, 302, { location: PREFIX }, "");
        if (!existsSync(join(root, "index.html"))) {
          return send(res, req, 503, { "retry-after": "60" },
            `the agent console is not built: run \`npm run build\` (\`npm run demo\` builds it too); looked in ${root}\n`);
        }
        const file = await locate(path.slice(PREFIX.length));
        const entry = file ? await load(file) : undefined;
        if (!file || !entry) return send(res, req, 404, {}, "not found\n");
        const ext = extname(file);
        const gz = entry.gzip !== undefined && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
        const etag = gz ? `${entry.etag.slice(0, -1)}-gz"` : entry.etag;
        const headers: Record<string, string> = {
          "content-type": TYPES[ext] ?? "application/octet-stream",
          etag,
          "cache-control": HASHED.test(file) ? IMMUTABLE : "no-cache",
          ...(entry.gzip !== undefined ? { vary: "accept-encoding" } : {}),
        };
        if (matchesEtag(req.headers["if-none-match"], etag)) return send(res, req, 304, headers, undefined);
        const body = gz ? (entry.gzip as Buffer) : entry.body;
        if (gz) headers["content-encoding"] = "gzip";
        return send(res, req, 200, { ...headers, "content-length": String(body.length) }, body);
      } catch (err) {
        onError(err);
        if (!res.headersSent) send(res, req, 500, {}, "the console could not be served\n");
        else res.end();
      }
    },
  };
}

function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const list = (Array.isArray(header) ? header.join(",") : header).split(",").map((t) => t.trim().replace(/^W\//, ""));
  return list.includes("*") || list.includes(etag);
}

function send(res: Res, req: Req, status: number, headers: Record<string, string>, body: string | Buffer | undefined): void {
  const all: Record<string, string> = { ...SECURITY_HEADERS, ...headers };
  if (typeof body === "string") {
    all["content-type"] ??= "text/plain; charset=utf-8";
    all["cache-control"] ??= "no-store";
    all["content-length"] = String(Buffer.byteLength(body));
  }
  res.writeHead(status, all);
  if (req.method === "HEAD" || body === undefined) res.end();
  else res.end(body);
}
