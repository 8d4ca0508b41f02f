import type { BeholderClient } from "../../client/node.js";
import type { CliIo } from "../args.js";
import type { Style } from "./style.js";

/** What every beholder command gets: the client, where to write, and how. */
export interface CommandContext {
  client: BeholderClient;
  io: CliIo;
  style: Style;
  /** stdout is a terminal: redraw in place, progress bars. */
  tty: boolean;
  json: boolean;
  url: string;
  /** Aborted on Ctrl-C: watches end quietly with exit 0. */
  signal: AbortSignal;
  now: () => Date;
  /** Per-call deadline for unary calls. */
  timeoutMs: number;
  args: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

export type Command = (ctx: CommandContext) => Promise<number>;

/** The string value of an option, or undefined. */
export function opt(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === "string" ? v : undefined;
}

export function flag(ctx: CommandContext, name: string): boolean {
  return ctx.options[name] === true;
}

export function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.options[name];
  return Array.isArray(v) ? v : [];
}

/** Writes a JSON value as one line (jq-friendly). */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value)}\n`);
}
