import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { layoutNetwork } from "./generate-network.js";
import { createRouters, nodesFor, PLAN_OFFERS } from "./generate-routers.js";
import { addSubscriber, ONU_NAMINGS } from "./generate-subscriber.js";
import type { GenerationState, Linkage, OnuNaming } from "./generate-subscriber.js";
import { createPrng, seedFrom } from "./prng.js";
import type { Scenario } from "./types.js";

export interface GenerateOptions {
  subscribers: number;
  seed: number | string;
  /** The scenario's `now`; fixed by default so a seed always means the same world. */
  now?: string;
  name?: string;
  /** Share of fixed-wireless subscribers (no ONU). */
  wirelessShare?: number;
  /** Subscribers per PPPoE concentrator; at least two routers are always made. */
  subscribersPerRouter?: number;
  /**
   * IANA zones of the routers' clocks, given to the routers in turn (`["UTC"]`: all in UTC; two zones:
   * every other router). Default: none named, so every router keeps local time (DEFAULT_ROUTER_TIMEZONE).
   */
  routerTimezones?: string[];
  /**
   * What SmartOLT's ONU `name` holds: the customer's name (default), the PPPoE user (the migrated
   * ISP's convention, which the old system's sync relied on), or a mix: ONUs authorised in the last
   * year carry the PPPoE user, older ones the customer's name.
   */
  onuNaming?: OnuNaming;
  /**
   * Share of ONUs with no PPPoE user configured on them (`username: null`: bridged, or set up through
   * the ONU's web page or TR-069 rather than SmartOLT). Default 0.01.
   */
  bridgedShare?: number;
}

export const DEFAULT_NOW = "2026-03-10T18:00:00Z";

/**
 * The unlinked records ("No vinculado") sit at fixed positions, 0.5% each, so that every scenario of a
 * couple of hundred subscribers or more has all three shapes.
 */
const LINKAGE_EVERY = 200;
const LINKAGE_AT: Record<number, Linkage> = { 37: "no-ispcube", 113: "secret-only", 171: "no-secret" };

/**
 * A deterministic mid-to-large ISP: same options, same world. Fibre ONUs fill PON ports of 32–64 and
 * ODBs of 8–16; about 10% of subscribers are fixed wireless; a few percent are in LOS, power fail,
 * blocked or low signal; exactly one PON port has its feeder cut and one ODB is in an area power cut.
 */
export function generateScenario(options: GenerateOptions): Scenario {
  const n = options.subscribers;
  if (!Number.isInteger(n) || n < 1) throw new Error(`subscribers must be a positive integer, got ${n}`);
  const prng = createPrng(seedFrom(options.seed));
  const now = Date.parse(options.now ?? DEFAULT_NOW);
  if (Number.isNaN(now)) throw new Error(`now must be an ISO-8601 instant, got ${options.now}`);
  const wirelessShare = options.wirelessShare ?? 0.1;
  const bridgedShare = options.bridgedShare ?? 0.01;
  if (!(bridgedShare >= 0 && bridgedShare <= 1)) throw new Error(`bridgedShare must be between 0 and 1, got ${bridgedShare}`);

  const linkages: Linkage[] = [];
  const fibre: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const linkage = LINKAGE_AT[i % LINKAGE_EVERY] ?? "full";
    linkages.push(linkage);
    fibre.push(linkage !== "secret-only" && !prng.chance(wirelessShare));
  }
  const net = layoutNetwork(fibre.filter(Boolean).length, prng);
  const routers = createRouters(Math.max(2, Math.ceil(n / (options.subscribersPerRouter ?? 3500))));
  const zones = options.routerTimezones ?? [];
  if (zones.length > 0) routers.forEach((r, i) => (r.timezone = zones[i % zones.length]));
  const nodes = nodesFor(routers);
  const feederPort = net.ports[prng.int(0, net.ports.length - 1)] ?? "";
  const powerCandidates = [...new Set(net.slots.filter((s) => `${s.oltId}/${s.board}/${s.port}` !== feederPort).map((s) => s.odbId))];
  const state: GenerationState = {
    prng,
    now,
    subscribers: n,
    world: { onus: [], customers: [], connections: [], tickets: [] },
    routers,
    nodes,
    serials: new Set(),
    feederPort,
    feederAt: now - prng.int(20, 90) * 60_000,
    powerOdb: powerCandidates.length > 0 ? (powerCandidates[prng.int(0, powerCandidates.length - 1)] as number) : -1,
    powerAt: now - prng.int(5, 40) * 60_000,
    onuNaming: options.onuNaming ?? "customer",
    bridgedShare,
  };
  let slot = 0;
  for (let i = 0; i < n; i++) addSubscriber(state, i, linkages[i] as Linkage, fibre[i] ? net.slots[slot++] : undefined);
  for (const router of routers) router.logs.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));

  const seedText = String(options.seed);
  return {
    name: options.name ?? `generated-${n}-seed-${seedText}`,
    description: `Generated ISP: ${n} subscribers, seed ${seedText}; feeder cut on PON ${feederPort}, area power cut on ODB ${state.powerOdb}.`,
    now: new Date(now).toISOString(),
    smartolt: {
      token: "lab-smartolt-token",
      timezone: "America/Argentina/Cordoba",
      olts: net.olts,
      zones: net.zones,
      odbs: net.odbs,
      onus: state.world.onus,
    },
    ispcube: {
      apiKey: `${prng.hex(8)}-${prng.hex(4)}-4${prng.hex(3)}-a${prng.hex(3)}-${prng.hex(12)}`.toLowerCase(),
      clientId: "302",
      username: "api",
      password: "lab-ispcube-password",
      customers: state.world.customers,
      plans: PLAN_OFFERS.map((o) => ({ ...o.plan })),
      nodes,
      connections: state.world.connections,
      tickets: state.world.tickets,
    },
    routers,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscribers: { type: "string", default: "3000" },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
      now: { type: "string" },
      name: { type: "string" },
      "router-timezones": { type: "string" },
      "onu-naming": { type: "string" },
      "bridged-share": { type: "string" },
    },
  });
  const naming = values["onu-naming"];
  if (naming !== undefined && !ONU_NAMINGS.includes(naming as OnuNaming)) throw new Error(`--onu-naming must be one of ${ONU_NAMINGS.join(", ")}`);
  const started = performance.now();
  const scenario = generateScenario({
    subscribers: Number(values.subscribers),
    seed: values.seed ?? "1",
    ...(values.now !== undefined && { now: values.now }),
    ...(values.name !== undefined && { name: values.name }),
    ...(values["router-timezones"] !== undefined && { routerTimezones: values["router-timezones"].split(",").map((z) => z.trim()) }),
    ...(naming !== undefined && { onuNaming: naming as OnuNaming }),
    ...(values["bridged-share"] !== undefined && { bridgedShare: Number(values["bridged-share"]) }),
  });
  const json = JSON.stringify(scenario);
  if (values.out) await writeFile(values.out, json);
  else process.stdout.write(`${json}\n`);
  const ms = Math.round(performance.now() - started);
  process.stderr.write(`${scenario.name}: ${scenario.smartolt.onus.length} ONUs, ${scenario.ispcube.customers.length} customers, ${scenario.routers.length} routers in ${ms} ms\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
