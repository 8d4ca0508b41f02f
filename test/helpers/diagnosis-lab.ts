import { readFile } from "node:fs/promises";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { validateScenario } from "../../lab/scenario/validate.js";
import type { Scenario } from "../../lab/scenario/types.js";
import type { Env } from "../../src/config.js";
import { startLabAndServer, type LabAndServer } from "./lab-server.js";

export interface DiagnosisLab extends LabAndServer {
  client: Client<typeof DiagnosisService>;
  headers: Record<string, string>;
  /** Runs a sync job to its end through the server's own runner. */
  sync(job: "inventory" | "status"): Promise<void>;
}

/**
 * A scenario file with its relative instants resolved against the real clock: Beholder's ages
 * ("LOS for 25 min") are then the scenario's.
 */
export async function scenarioNow(file: string, mutate?: (s: Scenario) => void): Promise<Scenario> {
  const raw = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  delete raw.$schema;
  const scenario = validateScenario({ ...raw, now: new Date().toISOString() }, { source: file });
  mutate?.(scenario);
  return scenario;
}

/** The lab on a scenario, Beholder in front of it, the cache filled by one inventory and one status sync. */
export async function startDiagnosisLab(file: string, env: Env = {}, mutate?: (s: Scenario) => void): Promise<DiagnosisLab> {
  const world = await scenarioNow(file, mutate);
  const base = await startLabAndServer(world, env);
  const sync = async (job: "inventory" | "status"): Promise<void> => {
    await base.srv.app.sync.runner.start(job).handle.done;
  };
  try {
    await sync("inventory");
    await sync("status");
  } catch (err) {
    await base.close();
    throw err;
  }
  return {
    ...base,
    client: createClient(DiagnosisService, createConnectTransport({ baseUrl: base.srv.url, httpVersion: "1.1" })),
    headers: { "x-api-key": base.srv.readKey },
    sync,
  };
}
