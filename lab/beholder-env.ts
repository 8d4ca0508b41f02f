import type { ConfigEnv } from "../src/config.js";
import type { Lab } from "./lab.js";

/**
 * The environment that points Beholder at a running lab, in the variables production uses (typed by
 * the product's config, so a renamed variable breaks this file rather than the demo). The lab's
 * routers share one API login (generate-routers.ts), as MK_USER/MK_PASS expect; their clocks run in
 * UTC unless a scenario says otherwise.
 */
export function beholderEnvForLab(lab: Lab): ConfigEnv {
  const router = lab.routers[0];
  const routerLogin: ConfigEnv = router ? { MK_USER: router.user, MK_PASS: router.password } : {};
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
    MK_TIMEZONE: lab.scenario.routers[0]?.timezone ?? "UTC",
  };
}
