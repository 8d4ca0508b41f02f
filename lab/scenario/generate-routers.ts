import type { Prng } from "./prng.js";
import type { IspNode, IspPlan, RouterVersion, RouterWorld } from "./types.js";

export interface PlanOffer {
  plan: IspPlan;
  /** RouterOS PPP profile carrying the plan's rate-limit. */
  profile: string;
  wireless: boolean;
  /** Relative popularity. */
  weight: number;
}

const mbps = (m: number): number => m * 1000;

/** A regional ISP's catalogue; prices in pesos, speeds in kbps as ISPCube stores them. */
export const PLAN_OFFERS: readonly PlanOffer[] = [
  offer(1, "F30", "FIBRA 30 MEGAS", 12900, 30, 10, false, 2),
  offer(2, "F50", "FIBRA 50 MEGAS", 14900, 50, 10, false, 4),
  offer(3, "F100", "FIBRA 100 MEGAS", 18500, 100, 20, false, 6),
  offer(4, "F300", "FIBRA 300 MEGAS", 25900, 300, 50, false, 3),
  offer(5, "F600", "FIBRA 600 MEGAS", 34900, 600, 100, false, 1),
  offer(6, "W6", "INALÁMBRICO 6 MEGAS", 9900, 6, 1, true, 2),
  offer(7, "W10", "INALÁMBRICO 10 MEGAS", 11200, 10, 2, true, 3),
  offer(8, "W20", "INALÁMBRICO 20 MEGAS", 13900, 20, 4, true, 1),
];

function offer(id: number, code: string, name: string, price: number, down: number, up: number, wireless: boolean, weight: number): PlanOffer {
  return { plan: { id, code, name, price, speedDown: mbps(down), speedUp: mbps(up) }, profile: `plan-${down}M`, wireless, weight };
}

export function pickOffer(prng: Prng, wireless: boolean): PlanOffer {
  const offers = PLAN_OFFERS.filter((o) => o.wireless === wireless);
  let roll = prng.next() * offers.reduce((sum, o) => sum + o.weight, 0);
  for (const o of offers) {
    roll -= o.weight;
    if (roll < 0) return o;
  }
  return offers[offers.length - 1] as PlanOffer;
}

const VERSIONS: readonly RouterVersion[] = ["7.18", "6.49", "7.15", "7.8"];

/**
 * Every lab router takes the same API login, as an ISP's routers usually do: Beholder has one
 * MK_USER/MK_PASS for all of them (the demo and the integration tests rely on it).
 */
export const LAB_ROUTER_USER = "beholder";
export const LAB_ROUTER_PASSWORD = "lab-router-password";

/** Core PPPoE concentrators, mixed RouterOS versions. */
export function createRouters(count: number): RouterWorld[] {
  return Array.from({ length: count }, (_, i) => {
    const nn = String(i + 1).padStart(2, "0");
    // Alternately Winbox-typed (windows-1252) and API-provisioned (UTF-8) text, as routers come.
    const textEncoding = i % 2 === 0 ? "windows-1252" : "utf-8";
    return { ...createRouter(`core-${nn}`, `CCR-CORE-${nn}`, VERSIONS[i % VERSIONS.length] as RouterVersion, LAB_ROUTER_PASSWORD), textEncoding };
  });
}

/** An empty PPPoE concentrator with one PPP profile per plan of the catalogue. */
export function createRouter(name: string, identity: string, version: RouterVersion, password: string): RouterWorld {
  return {
    name,
    identity,
    version,
    user: LAB_ROUTER_USER,
    password,
    secrets: [],
    profiles: [
      { name: "default" },
      ...PLAN_OFFERS.map((o) => ({
        name: o.profile,
        rateLimit: `${o.plan.speedUp / 1000}M/${o.plan.speedDown / 1000}M`,
        localAddress: "100.127.255.254",
      })),
    ],
    active: [],
    queues: [],
    traffic: [],
    logs: [],
  };
}

/** One ISPCube node per router: Beholder finds routers through these (the lab rewrites ip/port). */
export function nodesFor(routers: readonly RouterWorld[]): IspNode[] {
  return routers.map((r, i) => ({
    id: i + 1,
    code: `NODO-${String(i + 1).padStart(2, "0")}`,
    comment: `Concentrador PPPoE ${r.identity}`,
    type: "Mikrotik",
    ip: `10.255.${i}.1`,
    port: 8728,
    router: r.name,
  }));
}

const CPE_OUIS = ["50:C7:BF", "F4:F2:6D", "98:DA:C4", "E8:48:B8", "3C:84:6A", "00:E0:4C", "D8:07:B6", "48:8F:5A"];

/** A customer router's MAC, upper-case as RouterOS writes caller-ids. */
export function cpeMac(prng: Prng): string {
  const tail = prng.hex(6);
  return `${prng.pick(CPE_OUIS)}:${tail.slice(0, 2)}:${tail.slice(2, 4)}:${tail.slice(4, 6)}`;
}

/** Carrier-grade NAT address for subscriber `i`, unique up to four million. */
export function cgnatAddress(i: number): string {
  const n = i + 256;
  return `100.${64 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}
