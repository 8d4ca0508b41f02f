import type { SmartOltWorld } from "../scenario/types.js";
import type { RebootTracker } from "./reboots.js";
import type { RenderContext } from "./render.js";

/** What every SmartOLT endpoint handler sees and returns. */
export interface RouteRequest {
  world: SmartOltWorld;
  nowMs: number;
  /** The path segment after the endpoint (`{ext}`, `{sn}`, `{olt_id}`), URL-decoded. */
  arg: string | undefined;
  query: URLSearchParams;
  rc: RenderContext;
  reboots: RebootTracker;
}

export interface RouteReply {
  status: number;
  body: unknown;
}

export interface Route {
  method: "GET" | "POST";
  arg: "none" | "required" | "optional";
  /** Counter, fault and rate-limit key when it is not the path itself. */
  key?(query: URLSearchParams): string;
  handle(req: RouteRequest): RouteReply;
}

/** §1.4: the body of every failure. */
export function failure(status: number, error: string): RouteReply {
  return { status, body: { status: false, error } };
}

/** §1.3: the envelope of the list endpoints. */
export function list(rows: unknown[]): RouteReply {
  return { status: 200, body: { status: true, response_code: "success", response: rows } };
}
