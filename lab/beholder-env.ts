import type { ConfigEnv } from "../src/config.js";
import type { Lab } from "./lab.js";
import { DEFAULT_ROUTER_TIMEZONE } from "./scenario/types.js";

/**
 * The environment that points Beholder at a running lab, in the variables production uses (typed by
 * the product's config, so a renamed variable breaks this file rather than the demo). The lab's
 * routers share one API login (generate-routers.ts), as MK_USER/MK_PASS expect. Their clocks run in
 * local time (DEFAULT_ROUTER_TIMEZONE), as real routers do; one whose scenario names another zone is
 * listed in MK_ROUTER_TIMEZONES by its address, as an operator would list it.
 */
export function beholderEnvForLab(lab: Lab): ConfigEnv {
  const router = lab.routers[0];
  const routerLogin: ConfigEnv = router ? { MK_USER: router.user, MK_PASS: router.password } : {};
  const zoneOf = new Map(lab.scenario.routers.map((r) => [r.name, r.timezone ?? DEFAULT_ROUTER_TIMEZONE]));
  const others = lab.routers
    .map((r) => ({ r, zone: zoneOf.get(r.name) ?? DEFAULT_ROUTER_TIMEZONE }))
    .filter(({ zone }) => zone !== DEFAULT_ROUTER_TIMEZONE)
    .map(({ r, zone }) => `${r.host}:${r.port}=${zone}`);
  return {
    SMARTOLT_BASEURL: lab.smartolt.url,
    SMARTOLT_TOKEN: lab.smartolt.token,
    SMARTOLT_TIMEZONE: lab.scenario.smartolt.timezone,
    // As the old system's .env has it: the old client appended paths to a base URL ending in /api.
    ISPCUBE_BASEURL: `${lab.ispcube.url}/api`,
    ISPCUBE_APIKEY: lab.ispcube.apiKey,
    ISPCUBE_CLIENTID: lab.ispcube.clientId,
    ISPCUBE_USER: lab.ispcube.username,
    ISPCUBE_PASSWORD: lab.ispcube.password,
    ...routerLogin,
    MK_TIMEZONE: DEFAULT_ROUTER_TIMEZONE,
    ...(others.length > 0 ? { MK_ROUTER_TIMEZONES: others.join(",") } : {}),
  };
}
