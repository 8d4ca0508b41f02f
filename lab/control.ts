import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyFaultHooks, type SimContext } from "./context.js";
import { listenTracked, urlHost } from "./listen.js";
import {
  ControlError, endSession, findOnu, moveClock, setTraffic, startSession, updateCustomer, updateOnu,
} from "./control-actions.js";
import type { Body } from "./control-actions.js";
import { createScenarioValidator } from "./scenario/validate.js";
import type { Faults, HttpFault, RouterFault } from "./scenario/types.js";

export interface ControlApi {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

type Handler = (params: string[], body: Body, query: URLSearchParams) => unknown;
interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const MAX_BODY = 1 << 20;

/**
 * The lab's control API (JSON over HTTP, loopback only): moves the world the simulators serve while
 * they run. Routes are listed in docs/scenarios.md. Bad input → 400, unknown ids → 404.
 */
export async function startControlApi(ctx: SimContext, opts: { host?: string; port?: number } = {}): Promise<ControlApi> {
  const host = opts.host ?? "127.0.0.1";
  if (!isLoopback(host)) throw new Error(`the control API binds to loopback only, not ${host}`);
  const routes = createRoutes(ctx);
  const server = createServer((req, res) => {
    handle(routes, req, res).catch((err: unknown) => reply(res, 500, { error: String(err) }));
  });
  const { port, close } = await listenTracked(server, host, opts.port ?? 0);
  return { url: `http://${urlHost(host)}:${port}`, host, port, close };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function createRoutes(ctx: SimContext): Route[] {
  const validator = createScenarioValidator();
  const route = (method: string, path: string, handler: Handler): Route => ({
    method,
    pattern: new RegExp(`^${path.replace(/:[a-z]+/g, "([^/]+)")}$`),
    handler,
  });
  const arg = (params: string[], i = 0): string => params[i] ?? "";
  return [
    route("GET", "/health", () => ({ ok: true, scenario: ctx.scenario.name, now: ctx.clock.now().toISOString() })),
    route("GET", "/scenario", () => ctx.scenario),
    route("GET", "/counters", () => ctx.counters.snapshot()),
    route("POST", "/counters/reset", () => {
      ctx.counters.reset();
      return ctx.counters.snapshot();
    }),
    route("DELETE", "/counters", () => {
      ctx.counters.reset();
      return ctx.counters.snapshot();
    }),
    route("GET", "/clock", () => ({ now: ctx.clock.now().toISOString() })),
    route("POST", "/clock/advance", (_, body) => moveClock(ctx, body, "advance")),
    route("POST", "/clock/set", (_, body) => moveClock(ctx, body, "set")),
    route("GET", "/onus/:key", (p) => findOnu(ctx, arg(p))),
    route("POST", "/onus/:key", (p, body) => updateOnu(ctx, arg(p), body)),
    route("PATCH", "/onus/:key", (p, body) => updateOnu(ctx, arg(p), body)),
    route("POST", "/sessions/:user/start", (p, body) => startSession(ctx, arg(p), body)),
    route("POST", "/sessions/:user/end", (p, body) => endSession(ctx, arg(p), body)),
    route("POST", "/traffic/:user", (p, body) => setTraffic(ctx, arg(p), body)),
    route("POST", "/customers/:key", (p, body) => updateCustomer(ctx, arg(p), body)),
    route("PATCH", "/customers/:key", (p, body) => updateCustomer(ctx, arg(p), body)),
    route("GET", "/faults", () => ctx.scenario.faults ?? {}),
    // A closed router port is applied before the answer, so the fault is in force once the caller hears back.
    route("POST", "/faults", async (_, body) => {
      const faults = setFault(ctx, body, validator);
      await applyFaultHooks(ctx);
      return faults;
    }),
    route("DELETE", "/faults", async (_, __, query) => {
      const faults = clearFaults(ctx, query);
      await applyFaultHooks(ctx);
      return faults;
    }),
  ];
}

async function handle(routes: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://control.invalid");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const matching = routes.filter((r) => r.pattern.test(path));
  const route = matching.find((r) => r.method === req.method);
  if (!route) {
    if (matching.length > 0) return reply(res, 405, { error: `${req.method} not allowed on ${path}; use ${matching.map((r) => r.method).join(", ")}` });
    return reply(res, 404, { error: `no route ${req.method} ${path}` });
  }
  try {
    const body = await readJson(req);
    const params = (route.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
    reply(res, 200, await route.handler(params, body, url.searchParams));
  } catch (err) {
    if (err instanceof ControlError) return reply(res, err.status, { error: err.message });
    throw err;
  }
}

async function readJson(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ControlError(400, "body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlError(400, "body must be a JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ControlError(400, "body must be a JSON object");
  return value as Body;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": payload.length });
  res.end(payload);
}

type Validator = ReturnType<typeof createScenarioValidator>;

/** `{sim, endpoint?, fault}` for smartolt/ispcube; `{sim: "routeros", router, command?, fault}`. */
function setFault(ctx: SimContext, body: Body, validator: Validator): Faults {
  const { sim, fault } = body;
  const faults = (ctx.scenario.faults ??= {});
  if (sim === "smartolt" || sim === "ispcube") {
    const endpoint = key("endpoint", body.endpoint);
    const problems = validator.httpFaultProblems(fault);
    if (problems.length > 0) throw new ControlError(400, `invalid fault: ${problems.join("; ")}`);
    faults[sim] = { ...faults[sim], [endpoint]: fault as HttpFault };
  } else if (sim === "routeros") {
    const router = body.router;
    if (typeof router !== "string") throw new ControlError(400, "router is required for routeros faults");
    if (!ctx.scenario.routers.some((r) => r.name === router)) throw new ControlError(404, `no router named "${router}"`);
    const command = key("command", body.command);
    const problems = validator.routerFaultProblems(fault);
    if (problems.length > 0) throw new ControlError(400, `invalid fault: ${problems.join("; ")}`);
    const routeros = (faults.routeros ??= {});
    routeros[router] = { ...routeros[router], [command]: fault as RouterFault };
  } else {
    throw new ControlError(400, "sim must be smartolt, ispcube or routeros");
  }
  return faults;
}

/** No query: every fault. `sim`, then `endpoint` (HTTP) or `router` and `command` narrow it down. */
function clearFaults(ctx: SimContext, query: URLSearchParams): Faults {
  const faults = (ctx.scenario.faults ??= {});
  const sim = query.get("sim");
  if (sim === null) {
    delete faults.smartolt;
    delete faults.ispcube;
    delete faults.routeros;
  } else if (sim === "smartolt" || sim === "ispcube") {
    const endpoint = query.get("endpoint");
    if (endpoint === null) delete faults[sim];
    else if (faults[sim]) delete faults[sim][endpoint];
  } else if (sim === "routeros") {
    const router = query.get("router");
    const command = query.get("command");
    if (router === null) delete faults.routeros;
    else if (command === null) delete faults.routeros?.[router];
    else if (faults.routeros?.[router]) delete faults.routeros[router][command];
  } else {
    throw new ControlError(400, "sim must be smartolt, ispcube or routeros");
  }
  return faults;
}

function key(name: string, value: unknown): string {
  if (value === undefined) return "*";
  if (typeof value !== "string" || value === "") throw new ControlError(400, `${name} must be a non-empty string (default "*")`);
  return value;
}
