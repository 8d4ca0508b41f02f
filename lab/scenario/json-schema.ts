/**
 * scenario.schema.json, for editors (a scenario file may name it in `$schema`), generated from the zod
 * schemas of types.ts: `node --import tsx lab/scenario/json-schema.ts` rewrites it, and a test fails
 * while the file is stale.
 */
import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { formatScenarioJson } from "./format-scenario.js";
import * as types from "./types.js";

const INSTANT = 'Instants are ISO-8601 UTC or relative to `now`, such as "-2h" or "-1d30m".';

export const SCENARIO_SCHEMA_FILE = new URL("./scenario.schema.json", import.meta.url);

/** The JSON Schema (draft-07) of a scenario file, with one named definition per part of the model. */
export function scenarioJsonSchema(): Record<string, unknown> {
  // A registry of our own names the definitions (Onu, HttpFault…) without touching zod's global one.
  const names = z.registry<{ id: string; description?: string }>();
  for (const [name, schema] of Object.entries(types)) {
    if (name === "scenarioSchema" || !name.endsWith("Schema")) continue;
    names.add(schema as z.ZodType, { id: definitionName(name), ...(schema === types.instantSchema ? { description: INSTANT } : {}) });
  }
  const generated = z.toJSONSchema(types.scenarioSchema, { target: "draft-7", metadata: names, unrepresentable: "throw" });
  return {
    $schema: generated.$schema,
    $id: "https://beholder.lab/scenario.schema.json",
    title: "Beholder lab scenario",
    description: `One ISP as the lab simulates it, generated from lab/scenario/types.ts. ${INSTANT}`,
    ...generated,
  };
}

/** The file's text, laid out like the scenario files (one line per leaf definition). */
export function scenarioJsonSchemaText(): string {
  return formatScenarioJson(scenarioJsonSchema());
}

/** `onuSchema` → `Onu`, `ispCubeWorldSchema` → `IspCubeWorld`. */
function definitionName(exportName: string): string {
  const base = exportName.slice(0, -"Schema".length);
  return base.charAt(0).toUpperCase() + base.slice(1);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(SCENARIO_SCHEMA_FILE, scenarioJsonSchemaText());
}
