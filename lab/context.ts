import type { LabClock } from "./clock.js";
import type { Faults, HttpFault, RouterFault, Scenario } from "./scenario/types.js";

/**
 * What every simulator shares: the world it serves (mutated in place by the control API), the lab
 * clock, the faults in force and the call counters.
 */
export interface SimContext {
  scenario: Scenario;
  clock: LabClock;
  counters: CallCounters;
  /**
   * Run after faults change, for the faults a request cannot read live (a closed port has no request):
   * each brings its simulator in line with `scenario.faults`.
   */
  faultHooks?: (() => Promise<void>)[];
}

/** Brings every simulator in line with the faults in force (the control API calls it after each change). */
export async function applyFaultHooks(ctx: SimContext): Promise<void> {
  await Promise.all((ctx.faultHooks ?? []).map((hook) => hook()));
}

export type SimName = "smartolt" | "ispcube" | "routeros";

/** Counts every call per simulator and endpoint (RouterOS: `router:command`). */
export class CallCounters {
  readonly #counts = new Map<string, number>();

  count(sim: SimName, endpoint: string): void {
    const key = `${sim} ${endpoint}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  get(sim: SimName, endpoint?: string): number {
    let total = 0;
    for (const [key, n] of this.#counts) {
      const [s, e] = splitKey(key);
      if (s === sim && (endpoint === undefined || e === endpoint)) total += n;
    }
    return total;
  }

  snapshot(): Record<SimName, Record<string, number>> {
    const out: Record<SimName, Record<string, number>> = { smartolt: {}, ispcube: {}, routeros: {} };
    for (const [key, n] of this.#counts) {
      const [s, e] = splitKey(key);
      out[s][e] = n;
    }
    return out;
  }

  reset(): void {
    this.#counts.clear();
  }
}

function splitKey(key: string): [SimName, string] {
  const i = key.indexOf(" ");
  return [key.slice(0, i) as SimName, key.slice(i + 1)];
}

/** The fault in force for an HTTP simulator's endpoint: the endpoint's own, else the `*` one. */
export function httpFault(faults: Faults | undefined, sim: "smartolt" | "ispcube", endpoint: string): HttpFault | undefined {
  const table = faults?.[sim];
  return table?.[endpoint] ?? table?.["*"];
}

/** The fault in force for a router's command: the command's own, else the router's `*` one. */
export function routerFault(faults: Faults | undefined, router: string, command: string): RouterFault | undefined {
  const table = faults?.routeros?.[router];
  return table?.[command] ?? table?.["*"];
}

/** Latency to add for a fault, fixed plus uniform jitter. */
export function faultDelayMs(fault: { latencyMs?: number; jitterMs?: number } | undefined): number {
  if (!fault) return 0;
  return (fault.latencyMs ?? 0) + (fault.jitterMs ? Math.random() * fault.jitterMs : 0);
}
