import { onuRoutes } from "./onu-routes.js";
import type { Route } from "./route.js";
import { systemRoutes } from "./system-routes.js";

export interface ResolvedRoute {
  path: string;
  route: Route;
  arg: string | undefined;
}

export function createRouteTable(): ReadonlyMap<string, Route> {
  return new Map(Object.entries({ ...onuRoutes(), ...systemRoutes() }));
}

/**
 * `/api/{family}/{endpoint}[/{arg}]` → the route for that path, or undefined (SmartOLT's 405 "Unknown
 * method"). The verb is checked by the caller, which answers a wrong one with the same 405.
 */
export function resolveRoute(table: ReadonlyMap<string, Route>, pathname: string): ResolvedRoute | undefined {
  if (!pathname.startsWith("/api/")) return undefined;
  const segments = pathname.slice("/api/".length).split("/");
  if (segments.length > 3) return undefined;
  const path = `${segments[0] ?? ""}/${segments[1] ?? ""}`;
  const route = table.get(path);
  if (!route) return undefined;
  let arg: string | undefined;
  if (segments[2] !== undefined && segments[2] !== "") {
    try {
      arg = decodeURIComponent(segments[2]);
    } catch {
      return undefined;
    }
  }
  if (route.arg === "none" && arg !== undefined) return undefined;
  if (route.arg === "required" && arg === undefined) return undefined;
  return { path, route, arg };
}
