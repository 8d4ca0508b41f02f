/** Hash routes: #/buscar, #/cliente/<pppoe>, #/incidentes. The PPPoE user may be in the URL; the key never. */
export type Route = { view: "search" } | { view: "customer"; user: string } | { view: "incidents" };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const customer = /^\/cliente\/(.+)$/.exec(path);
  if (customer?.[1]) {
    try {
      return { view: "customer", user: decodeURIComponent(customer[1]) };
    } catch {
      return { view: "search" };
    }
  }
  if (path === "/incidentes") return { view: "incidents" };
  return { view: "search" };
}

export function hrefOf(route: Route): string {
  if (route.view === "customer") return `#/cliente/${encodeURIComponent(route.user)}`;
  return route.view === "incidents" ? "#/incidentes" : "#/buscar";
}
