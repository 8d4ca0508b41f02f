import { createLabClock } from "./clock.js";
import type { LabClock } from "./clock.js";
import { applyFaultHooks, CallCounters } from "./context.js";
import type { SimContext } from "./context.js";
import { isLoopback, startControlApi } from "./control.js";
import { startIspCubeSim } from "./ispcube/server.js";
import { startRouterOsSim } from "./routeros/server.js";
import type { RouterVersion, Scenario } from "./scenario/types.js";
import { startSmartOltSim } from "./smartolt/server.js";

export interface LabPorts {
  smartolt?: number;
  ispcube?: number;
  control?: number;
  /** Router i listens on routerBase + i; 0 or absent: any free port each. */
  routerBase?: number;
}

export interface LabOptions {
  scenario: Scenario;
  /** Loopback unless told otherwise. */
  host?: string;
  ports?: LabPorts;
  /** Defaults to a clock starting at `scenario.now`. */
  clock?: LabClock;
}

export interface LabRouter {
  name: string;
  host: string;
  port: number;
  user: string;
  password: string;
  version: RouterVersion;
}

export interface Lab {
  /** The live world: the control API and the simulators share this very object. */
  scenario: Scenario;
  clock: LabClock;
  counters: CallCounters;
  smartolt: { url: string; token: string };
  ispcube: { url: string; apiKey: string; clientId: string; username: string; password: string };
  routers: LabRouter[];
  control: { url: string };
  /** After editing `scenario.faults` by hand: applies what requests cannot read live (a router's closed port). */
  applyFaults(): Promise<void>;
  close(): Promise<void>;
}

interface Closable {
  close(): Promise<void>;
}

/**
 * Starts the three vendor simulators (one RouterOS simulator per router) and the control API over one
 * shared world. The scenario is copied first, so the caller's object is never mutated. ISPCube nodes
 * that name a simulated router get that router's real address, so Beholder discovers routers through
 * ISPCube exactly as in production.
 */
export async function startLab(options: LabOptions): Promise<Lab> {
  const host = options.host ?? "127.0.0.1";
  const ports = options.ports ?? {};
  const scenario = structuredClone(options.scenario);
  const ctx: SimContext = {
    scenario,
    clock: options.clock ?? createLabClock(new Date(scenario.now)),
    counters: new CallCounters(),
    faultHooks: [],
  };
  const started: Closable[] = [];
  const close = async (): Promise<void> => {
    const all = started.splice(0).reverse();
    await Promise.allSettled(all.map((s) => s.close()));
  };
  try {
    const smartolt = await startSmartOltSim(ctx, { host, port: ports.smartolt ?? 0 });
    started.push(smartolt);
    const ispcube = await startIspCubeSim(ctx, { host, port: ports.ispcube ?? 0 });
    started.push(ispcube);
    const routers: LabRouter[] = [];
    for (const [i, world] of scenario.routers.entries()) {
      const port = ports.routerBase ? ports.routerBase + i : 0;
      const sim = await startRouterOsSim(ctx, world.name, { host, port });
      started.push(sim);
      ctx.faultHooks?.push(() => sim.applyFaults());
      routers.push({ name: world.name, host: sim.host, port: sim.port, user: world.user, password: world.password, version: world.version });
    }
    for (const node of scenario.ispcube.nodes) {
      const router = routers.find((r) => r.name === node.router);
      if (!router) continue;
      node.ip = router.host;
      node.port = router.port;
    }
    // The control API can rewrite the world, so it never leaves loopback even when the simulators do.
    const control = await startControlApi(ctx, { host: isLoopback(host) ? host : "127.0.0.1", port: ports.control ?? 0 });
    started.push(control);
    const isp = scenario.ispcube;
    return {
      scenario,
      clock: ctx.clock,
      counters: ctx.counters,
      smartolt: { url: smartolt.url, token: scenario.smartolt.token },
      ispcube: { url: ispcube.url, apiKey: isp.apiKey, clientId: isp.clientId, username: isp.username, password: isp.password },
      routers,
      control: { url: control.url },
      applyFaults: () => applyFaultHooks(ctx),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
