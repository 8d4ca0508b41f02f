import { EXAMPLE_NOW, exampleScenarios } from "./examples.js";
import { generateScenario } from "./generate.js";
import { spliceScenario } from "./splice.js";
import type { Scenario } from "./types.js";
import { validateScenario } from "./validate.js";

export const DEMO_SUBSCRIBERS = 3000;
/** Share of the demo's generated ONUs that carry no PPPoE user in SmartOLT. */
export const DEMO_BRIDGED_SHARE = 0.85;

/**
 * The demo ISP: a generated mid-size ISP (3,000 subscribers, two routers; ONUs named after the PPPoE
 * user, 85% of them without a username, as the migrated ISP has them) with every triage case of
 * scenarios/triage-cases.json spliced in (their routers rb-centro, rb-sur and the refusing rb-norte
 * come along). About 5 MB as JSON, so it is built at start-up rather than stored.
 *
 * `now` is the lab clock's start: `npm run demo` passes the real time, so the ages Beholder computes
 * ("LOS for 25 minutes") read as they would against a live network. The examples are written relative
 * to their `now`, so they move with it.
 */
export function demoScenario(now: string = EXAMPLE_NOW): Scenario {
  // The migrated ISP's convention: ONUs named after the PPPoE user, most with no username in SmartOLT
  // (the old system's sync read the name), so Beholder links them by name (SMARTOLT_ONU_LINK=auto).
  const base = generateScenario({ subscribers: DEMO_SUBSCRIBERS, seed: "demo", now, name: "demo", onuNaming: "pppoe-user", bridgedShare: DEMO_BRIDGED_SHARE });
  const cases = validateScenario({ ...exampleScenarios()["triage-cases.json"], now } as Scenario, { source: "triage-cases" });
  const demo = spliceScenario(base, cases);
  demo.description = `Mid-size ISP: ${DEMO_SUBSCRIBERS} generated subscribers plus one subscriber per triage case (scenarios/README.md).`;
  return validateScenario(demo, { source: "demo", skipSchema: true });
}
