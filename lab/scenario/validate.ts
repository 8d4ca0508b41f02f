import AjvModule from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import schema from "./scenario.schema.json" with { type: "json" };
import { crossCheckScenario } from "./cross-check.js";
import { resolveRelativeTimes } from "./relative-time.js";
import type { Scenario } from "./types.js";

// ajv is CommonJS; under nodenext its class sits on `.default`, while tsx's interop may unwrap it.
const Ajv = AjvModule.default ?? AjvModule;

const MAX_LISTED = 200;

/** A scenario that failed validation; `problems` lists every one, each led by its JSON pointer. */
export class ScenarioError extends Error {
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    const n = problems.length;
    // A generated world with a systematic mistake can have 100k problems; the message stays readable.
    const shown = n > MAX_LISTED ? [...problems.slice(0, MAX_LISTED), `… and ${n - MAX_LISTED} more (see .problems)`] : problems;
    super(`invalid scenario ${source}: ${n} problem${n === 1 ? "" : "s"}\n  ${shown.join("\n  ")}`);
    this.name = "ScenarioError";
    this.problems = problems;
  }
}

export interface ValidateOptions {
  /** Where the value came from, for the error message. */
  source?: string;
  /**
   * Skip the JSON Schema pass and keep only the cross-reference checks; for generated scenarios, whose
   * shape is guaranteed by construction.
   */
  skipSchema?: boolean;
}

export interface ScenarioValidator {
  /** Validates, resolves relative instants in place, and returns the value typed; throws ScenarioError. */
  scenario(value: unknown, options?: ValidateOptions): Scenario;
  /** Problems of an HTTP fault object (empty when valid), for the control API. */
  httpFaultProblems(value: unknown): string[];
  routerFaultProblems(value: unknown): string[];
}

/** Compiles the scenario schema once; keep the validator where it is reused (e.g. the control API). */
export function createScenarioValidator(): ScenarioValidator {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  ajv.addSchema(schema);
  const whole = mustGet(ajv.getSchema(schema.$id));
  const httpFault = mustGet(ajv.getSchema(`${schema.$id}#/definitions/HttpFault`));
  const routerFault = mustGet(ajv.getSchema(`${schema.$id}#/definitions/RouterFault`));
  return {
    scenario(value, options = {}) {
      const source = options.source ?? describe(value);
      if (!options.skipSchema && !whole(value)) throw new ScenarioError(source, formatErrors(whole.errors));
      if (options.skipSchema && !isObject(value)) throw new ScenarioError(source, ["/: must be object"]);
      const scenario = resolveRelativeTimes(value as Scenario);
      const problems = crossCheckScenario(scenario);
      if (problems.length > 0) throw new ScenarioError(source, problems);
      return scenario;
    },
    httpFaultProblems: (value) => (httpFault(value) ? [] : formatErrors(httpFault.errors)),
    routerFaultProblems: (value) => (routerFault(value) ? [] : formatErrors(routerFault.errors)),
  };
}

/** Validates a scenario (schema, then cross-references); see ScenarioValidator.scenario. */
export function validateScenario(value: unknown, options?: ValidateOptions): Scenario {
  return createScenarioValidator().scenario(value, options);
}

/** One line per ajv error, led by the JSON pointer ("/" for the root). */
export function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath === "" ? "/" : e.instancePath;
    switch (e.keyword) {
      case "additionalProperties":
        return `${at}: unknown property "${String(e.params.additionalProperty)}"`;
      case "enum":
        return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
      default:
        return `${at}: ${e.message ?? e.keyword}`;
    }
  });
}

function mustGet(fn: ValidateFunction | undefined): ValidateFunction {
  if (!fn) throw new Error("scenario schema failed to compile");
  return fn;
}

function describe(value: unknown): string {
  return isObject(value) && typeof value.name === "string" ? `"${value.name}"` : "(unnamed)";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
