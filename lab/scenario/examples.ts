import { writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EXAMPLE_CITY, EXAMPLE_SUBSCRIBERS } from "./examples-data.js";
import type { ExampleSubscriber } from "./examples-data.js";
import { EXAMPLE_SUBSCRIBERS_NORTE } from "./examples-data-norte.js";
import { exampleReadme } from "./examples-readme.js";
import { formatScenarioJson } from "./format-scenario.js";
import { createRouter, LAB_ROUTER_PASSWORD, PLAN_OFFERS } from "./generate-routers.js";
import { sessionDownLines, sessionUpLines } from "./pppoe-log.js";
import { parseDuration } from "./relative-time.js";
import type { Faults, IspNode, Onu, RouterLogLine, RouterTextEncoding, RouterVersion, RouterWorld, Scenario } from "./types.js";

export const EXAMPLE_NOW = "2026-03-10T18:00:00Z";
export const ALL_EXAMPLE_SUBSCRIBERS: readonly ExampleSubscriber[] = [...EXAMPLE_SUBSCRIBERS, ...EXAMPLE_SUBSCRIBERS_NORTE];

interface ExampleFile {
  name: string;
  description: string;
  pick: (s: ExampleSubscriber) => boolean;
  faults?: Faults;
}

const HEALTHY = new Set(["gomez.lucia", "sosa.ramon"]);
const REFUSING: Faults = { routeros: { "rb-norte": { "*": { refuse: true } } } };

/** Every example file, keyed by file name; triage-cases.json holds every case at once. */
const FILES: Record<string, ExampleFile> = {
  "triage-cases.json": {
    name: "triage-cases",
    description: "One subscriber per triage case of shared/triage.md (see scenarios/README.md), on two OLTs and three routers; rb-norte refuses API connections.",
    pick: () => true,
    faults: REFUSING,
  },
  "healthy.json": { name: "healthy", description: "A healthy fibre subscriber and a healthy fixed-wireless one.", pick: (s) => HEALTHY.has(s.user) },
  "single-los.json": {
    name: "single-los",
    description: "One ONU in LOS for 25 minutes while its NAP-C02 neighbours stay online: dispatch.",
    pick: (s) => ["perez.maria", "bustos.noelia", "olivera.facundo"].includes(s.user),
  },
  "feeder-cut.json": {
    name: "feeder-cut",
    description: "Every ONU of PON 2/0/2 went LOS within 20 s (feeder cut) while another port stays healthy: one incident, no trucks.",
    pick: (s) => s.case === "feeder-cut" || s.user === "gomez.lucia",
  },
  "area-power-cut.json": {
    name: "area-power-cut",
    description: "5 of the 7 ONUs of NAP-N01 in Power fail within a minute: area power cut, tell the customer.",
    pick: (s) => s.case === "odb-power-cut",
  },
  "smartolt-down.json": {
    name: "smartolt-down",
    description: "Healthy subscribers while SmartOLT refuses connections: the ONU source is unavailable.",
    pick: (s) => HEALTHY.has(s.user),
    faults: { smartolt: { "*": { down: true } } },
  },
  "ispcube-down.json": {
    name: "ispcube-down",
    description: "Healthy subscribers while ISPCube refuses connections: the billing source is unavailable.",
    pick: (s) => HEALTHY.has(s.user),
    faults: { ispcube: { "*": { down: true } } },
  },
  "router-refusing.json": {
    name: "router-refusing",
    description: "paz.gabriel's router (rb-norte) refuses API connections; gomez.lucia's router answers.",
    pick: (s) => s.user === "paz.gabriel" || s.user === "gomez.lucia",
    faults: REFUSING,
  },
};

// rb-centro's secrets were typed in Winbox (windows-1252), rb-sur's provisioned through the API (UTF-8).
const ROUTERS: readonly [string, string, RouterVersion, number, RouterTextEncoding][] = [
  ["rb-centro", "RB-CENTRO-CCR1036", "6.49", 1, "windows-1252"],
  ["rb-sur", "RB-SUR-CCR2116", "7.18", 2, "utf-8"],
  ["rb-norte", "RB-NORTE-RB5009", "7.8", 3, "windows-1252"],
];

const ODBS = [
  { id: 1, name: "NAP-C01", zoneId: 1, ports: 8 },
  { id: 2, name: "NAP-C02", zoneId: 1, ports: 16 },
  { id: 3, name: "NAP-N01", zoneId: 2, ports: 8 },
  { id: 4, name: "NAP-N02", zoneId: 3, ports: 8 },
  { id: 5, name: "NAP-N03", zoneId: 3, ports: 8 },
  { id: 6, name: "NAP-N04", zoneId: 2, ports: 8 },
];

const ONU_TYPES: Record<string, string> = { HWTC: "HG8145V5", ZTEG: "F670L", TPLG: "XC220-G3v" };

/** The raw example scenarios (instants still relative), keyed by file name. */
export function exampleScenarios(): Record<string, Scenario> {
  return Object.fromEntries(Object.entries(FILES).map(([file, f]) => [file, buildExample(f)]));
}

function buildExample(file: ExampleFile): Scenario {
  const subs = ALL_EXAMPLE_SUBSCRIBERS.filter(file.pick);
  const routers = ROUTERS.filter(([name]) => subs.some((s) => s.router === name && s.secret !== false) || file.faults?.routeros?.[name]);
  const worlds = routers.map(([name, identity, version, , textEncoding]) => ({ ...createRouter(name, identity, version, LAB_ROUTER_PASSWORD), textEncoding }));
  const nodes: IspNode[] = routers.map(([name, identity, , n]) => ({
    id: n, code: `NODO-${name.slice(3).toUpperCase()}`, comment: `Concentrador ${identity}`, type: "Mikrotik", ip: `10.255.${n}.1`, port: 8728, router: name,
  }));
  const scenario: Scenario = {
    name: file.name,
    description: file.description,
    now: EXAMPLE_NOW,
    smartolt: {
      token: "lab-smartolt-token",
      timezone: "America/Argentina/Cordoba",
      olts: [
        { id: 1, name: "OLT-CENTRO", hardwareVersion: "Huawei-MA5608T", ip: "10.20.1.2" },
        { id: 2, name: "OLT-NORTE", hardwareVersion: "ZTE-C320", ip: "10.20.2.2" },
      ],
      zones: [{ id: 1, name: "Centro" }, { id: 2, name: "Barrio Norte" }, { id: 3, name: "Villa Albertina" }],
      odbs: ODBS.map((o) => ({ ...o })),
      onus: [],
    },
    ispcube: {
      apiKey: "5b7c1f0e-3d2a-4c8e-9f61-2a7d9e4b8c10",
      clientId: "302",
      username: "api",
      password: "lab-ispcube-password",
      customers: [],
      plans: PLAN_OFFERS.map((o) => ({ ...o.plan })),
      nodes,
      connections: [],
      tickets: [],
    },
    routers: worlds,
    ...(file.faults && { faults: file.faults }),
  };
  for (const sub of subs) addExample(scenario, sub);
  for (const r of worlds) r.logs = r.logs.sort((a, b) => rank(a.time) - rank(b.time));
  return scenario;
}

function addExample(scenario: Scenario, sub: ExampleSubscriber): void {
  const index = ALL_EXAMPLE_SUBSCRIBERS.indexOf(sub);
  const ip = `100.64.10.${index + 10}`;
  const c = sub.customer;
  const code = c ? String(c.id).padStart(6, "0") : "";
  const offer = PLAN_OFFERS.find((o) => o.plan.id === sub.plan);
  if (!offer) throw new Error(`example ${sub.user}: no plan ${sub.plan}`);
  if (sub.onu) scenario.smartolt.onus.push(exampleOnu(sub, index));
  if (c) {
    scenario.ispcube.customers.push({
      id: c.id, code, name: c.name, docNumber: c.doc, address: c.address, city: EXAMPLE_CITY, status: c.status ?? "enabled",
      debt: c.debt ?? 0, dueDebt: c.dueDebt ?? 0, phones: [c.phone], emails: c.email ? [c.email] : [], createdAt: `-${400 + index * 13}d`,
      blockDate: c.blockDate ?? null,
    });
    const node = ROUTERS.find(([name]) => name === sub.router)?.[3] ?? null;
    scenario.ispcube.connections.push({
      id: 5000 + c.id, customerId: c.id, planId: sub.plan, nodeId: node, conntype: "pppoe", user: sub.user,
      password: `pw-${c.doc.slice(-4)}`, address: c.address, ip, createdAt: `-${399 + index * 13}d`,
    });
    if (sub.ticket) {
      const tickets = (scenario.ispcube.tickets ??= []);
      tickets.push({ id: 9000 + tickets.length + 1, customerId: c.id, connectionId: 5000 + c.id, status: "Abierto", ...sub.ticket });
    }
  }
  if (sub.secret === false) return;
  const router = scenario.routers.find((r) => r.name === sub.router) as RouterWorld;
  const s = sub.secret ?? {};
  const lastLoggedOut = s.lastLoggedOut ?? (sub.session ? shift(sub.session.since, -(3600 + index * 97) * 1000) : null);
  router.secrets.push({
    name: sub.user, password: `pw-${index + 1000}`, profile: offer.profile, service: "pppoe", disabled: s.disabled ?? false, remoteAddress: ip,
    comment: c ? `${code} ${c.name}` : "SIN CLIENTE", lastLoggedOut,
    lastCallerId: s.lastCallerId ?? sub.session?.callerId ?? null, lastDisconnectReason: s.reason ?? (lastLoggedOut ? "peer-request" : null),
  });
  if (sub.session) {
    router.active.push({ name: sub.user, address: ip, callerId: sub.session.callerId, since: sub.session.since, sessionId: `0x81A0${String(index).padStart(4, "0")}` });
    if (rank(sub.session.since) > -86_400_000) router.logs.push(...relative(sessionUpLines(sub.user, ip, at(sub.session.since))));
  }
  if (sub.traffic) router.traffic.push({ name: sub.user, downloadBps: sub.traffic[0] * 1e6, uploadBps: sub.traffic[1] * 1e6 });
  for (const [up, down] of sub.flaps ?? []) {
    router.logs.push(...relative([...sessionUpLines(sub.user, ip, at(up)), ...sessionDownLines(sub.user, at(down), "peer-request", (rank(down) - rank(up)) / 1000)]));
  }
  if (!sub.flaps && lastLoggedOut && s.lastLoggedOut && rank(lastLoggedOut) > -86_400_000) {
    router.logs.push(...relative(sessionDownLines(sub.user, at(lastLoggedOut), s.reason ?? "peer-request", 3 * 86_400)));
  }
}

function exampleOnu(sub: ExampleSubscriber, index: number): Onu {
  const o = sub.onu as NonNullable<ExampleSubscriber["onu"]>;
  const [oltId, board, port, onu] = o.at.split("/").map(Number) as [number, number, number, number];
  const odb = ODBS.find((d) => d.id === o.odb);
  return {
    externalId: o.sn, sn: o.sn, oltId, board, port, onu, zoneId: odb?.zoneId ?? 1, odbId: o.odb, odbPort: o.odbPort,
    name: o.name ?? sub.customer?.name ?? sub.user.toUpperCase(), address: sub.customer?.address ?? null,
    username: o.bridged ? null : sub.user, onuType: ONU_TYPES[o.sn.slice(0, 4)] ?? "HG8145V5", mode: o.bridged ? "Bridging" : "Routing",
    vlan: 100 + oltId, status: o.status, administrativeStatus: o.status === "Admin Disabled" ? "Disabled" : "Enabled",
    lastStatusChange: o.changed, updatedAt: `-${30 + index}d`, authorizationDate: `-${390 + index * 13}d`,
    rxDbm: o.rx?.[0] ?? null, oltRxDbm: o.rx?.[1] ?? null, distanceM: 600 + ((index * 389) % 7000),
  };
}

/** Offset in ms of a relative instant. */
function rank(relative: string): number {
  return parseDuration(relative) ?? 0;
}

function at(relative: string): Date {
  return new Date(Date.parse(EXAMPLE_NOW) + rank(relative));
}

function shift(relative: string, ms: number): string {
  return formatRelative(rank(relative) + ms);
}

function relative(lines: RouterLogLine[]): RouterLogLine[] {
  return lines.map((l) => ({ ...l, time: formatRelative(Date.parse(l.time) - Date.parse(EXAMPLE_NOW)) }));
}

/** -93_784_000 → "-1d2h3m4s". */
export function formatRelative(ms: number): string {
  let rest = Math.abs(Math.round(ms / 1000));
  let out = "";
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  return `${ms < 0 ? "-" : "+"}${out || "0s"}`;
}

async function main(): Promise<void> {
  const dir = new URL("../../scenarios/", import.meta.url);
  for (const [file, scenario] of Object.entries(exampleScenarios())) {
    await writeFile(new URL(file, dir), formatScenarioJson({ $schema: "../lab/scenario/scenario.schema.json", ...scenario }));
  }
  await writeFile(new URL("README.md", dir), exampleReadme());
  process.stdout.write(`wrote ${Object.keys(FILES).length} scenarios and README.md to ${fileURLToPath(dir)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
