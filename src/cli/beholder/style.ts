/** ANSI colour, or none: only on a terminal, and never when NO_COLOR is set (no-color.org). */
export interface Style {
  enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function createStyle(enabled: boolean): Style {
  const id = (s: string): string => s;
  return {
    enabled,
    red: enabled ? wrap(31, 39) : id,
    green: enabled ? wrap(32, 39) : id,
    yellow: enabled ? wrap(33, 39) : id,
    blue: enabled ? wrap(34, 39) : id,
    magenta: enabled ? wrap(35, 39) : id,
    cyan: enabled ? wrap(36, 39) : id,
    bold: enabled ? wrap(1, 22) : id,
    dim: enabled ? wrap(2, 22) : id,
  };
}

/** Colour when stdout is a terminal and NO_COLOR is unset or empty. */
export function wantsColour(isTty: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return isTty === true && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}
