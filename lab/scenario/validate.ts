import type { z } from "zod";
import { crossCheckScenario } from "./cross-check.js";
import { resolveRelativeTimes } from "./relative-time.js";
import { httpFaultSchema, routerFaultSchema, scenarioSchema, type Scenario } from "./types.js";
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
   * Skip the schema pass (types.ts) and keep only the cross-reference checks; for generated scenarios, whose
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

/** The validator of scenarios and faults (the schemas are types.ts's zod schemas). */
export function createScenarioValidator(): ScenarioValidator {
  return {
    scenario(value, options = {}) {
      const source = options.source ?? describe(value);
      if (!options.skipSchema) {
        const problems = schemaProblems(scenarioSchema, value);
        if (problems.length > 0) throw new ScenarioError(source, problems);
      }
      if (options.skipSchema && !isObject(value)) throw new ScenarioError(source, ["/: must be object"]);
      // The checked value itself, not zod's copy: relative instants are resolved in place.
      const scenario = resolveRelativeTimes(value as Scenario);
      const problems = crossCheckScenario(scenario);
      if (problems.length > 0) throw new ScenarioError(source, problems);
      return scenario;
    },
    httpFaultProblems: (value) => schemaProblems(httpFaultSchema, value),
    routerFaultProblems: (value) => schemaProblems(routerFaultSchema, value),
  };
}

/** Validates a scenario (schema, then cross-references); see ScenarioValidator.scenario. */
export function validateScenario(value: unknown, options?: ValidateOptions): Scenario {
  return createScenarioValidator().scenario(value, options);
}

function schemaProblems(schema: z.ZodType, value: unknown): string[] {
  if (schema.safeParse(value).success) return [];
  // Again with the inputs in the issues, which tell a missing property from a wrong one; only on
  // failure, since carrying them costs the valid 100k-subscriber world a good share of its time.
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? [] : formatIssues(result.error.issues);
}

/** Lines per zod issue, each led by the JSON pointer ("/" for the root). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const at = pointer(issue.path);
    // A missing property is reported at the object that lacks it, in JSON Schema's words.
    if (issue.input === undefined && issue.path.length > 0 && MISSING_CODES.has(issue.code)) {
      return [`${pointer(issue.path.slice(0, -1))}: must have required property '${String(issue.path.at(-1))}'`];
    }
    switch (issue.code) {
      case "invalid_type":
        return [`${at}: must be ${typeName(issue.expected)}`];
      case "invalid_union": {
        // orNull(x) in types.ts: when no branch came close, name what each branch expected.
        const expected = issue.errors.map((branch) => (branch.length === 1 && branch[0] ? expectation(branch[0]) : undefined));
        if (expected.every((e) => e !== undefined)) return [`${at}: must be ${expected.join(" or ")}`];
        return [`${at}: matches none of the allowed forms`];
      }
      case "invalid_value":
        return [`${at}: must be ${expectation(issue)}`];
      case "unrecognized_keys":
        return issue.keys.map((key) => `${at}: unknown property "${key}"`);
      case "invalid_format":
        return [`${at}: must match pattern ${issue.format === "regex" && "pattern" in issue ? String(issue.pattern) : issue.format}`];
      case "too_small":
        if (issue.origin === "string") return [`${at}: must be at least ${String(issue.minimum)} characters long`];
        return [`${at}: must be ${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}`];
      case "too_big":
        if (issue.origin === "string") return [`${at}: must be at most ${String(issue.maximum)} characters long`];
        return [`${at}: must be ${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}`];
      default:
        return [`${at}: ${issue.message}`];
    }
  });
}

/** The codes zod reports for an absent required property (the type check, an enum, a union). */
const MISSING_CODES: ReadonlySet<string> = new Set(["invalid_type", "invalid_value", "invalid_union"]);

function pointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "/" : `/${path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
}

/** What a failed type or value check wanted ("number", 'one of "a", "b"'); undefined for other checks. */
function expectation(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === "invalid_type") return typeName(issue.expected);
  if (issue.code === "invalid_value") return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return undefined;
}

function typeName(expected: string): string {
  return expected === "int" ? "integer" : expected;
}

function describe(value: unknown): string {
  return isObject(value) && typeof value.name === "string" ? `"${value.name}"` : "(unnamed)";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
