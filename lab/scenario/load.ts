import { readFile } from "node:fs/promises";
import { validateScenario } from "./validate.js";
import type { Scenario } from "./types.js";

/** Reads a scenario file, validates it and resolves its relative instants; throws ScenarioError. */
export async function loadScenario(path: string): Promise<Scenario> {
  const text = await readFile(path, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`scenario ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return validateScenario(value, { source: path });
}
