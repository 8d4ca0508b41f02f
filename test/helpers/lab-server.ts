import { loadScenario } from "../../lab/scenario/load.js";
import { startLab, type Lab } from "../../lab/lab.js";
import { beholderEnvForLab } from "../../lab/beholder-env.js";
import type { Scenario } from "../../lab/scenario/types.js";
import type { Env } from "../../src/config.js";
import { startTestServer, type TestServer } from "./server.js";

export interface LabAndServer {
  lab: Lab;
  srv: TestServer;
  close(): Promise<void>;
}

/** A lab on a scenario (a file under scenarios/ or an object) and a Beholder server pointed at it. */
export async function startLabAndServer(scenario: string | Scenario, env: Env = {}): Promise<LabAndServer> {
  const world = typeof scenario === "string" ? await loadScenario(scenario) : scenario;
  const lab = await startLab({ scenario: world });
  const srv = await startTestServer({
    ...beholderEnvForLab(lab),
    MK_TIMEOUT_MS: "2000",
    BREAKER_RESET_MS: "500",
    VENDOR_RETRIES: "1",
    ...env,
  });
  return {
    lab,
    srv,
    async close() {
      await srv.close();
      await lab.close();
    },
  };
}
