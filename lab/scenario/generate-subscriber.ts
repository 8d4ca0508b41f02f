import { createPerson } from "./generate-people.js";
import { cgnatAddress, cpeMac, pickOffer } from "./generate-routers.js";
import type { PonSlot } from "./generate-network.js";
import { sessionDownLines, sessionUpLines } from "./pppoe-log.js";
import type { Prng } from "./prng.js";
import type {
  CustomerStatus, IspConnection, IspCustomer, IspNode, IspTicket, Onu, OnuStatus, RouterSecret, RouterWorld,
} from "./types.js";

/** The lists a generated scenario is built into. */
export interface GeneratedLists {
  onus: Onu[];
  customers: IspCustomer[];
  connections: IspConnection[];
  tickets: IspTicket[];
}

/** What SmartOLT's ONU `name` holds (generate.ts, `onuNaming`). */
export const ONU_NAMINGS = ["customer", "pppoe-user", "mixed"] as const;
export type OnuNaming = (typeof ONU_NAMINGS)[number];

/** Which systems know a subscriber: all of them, or one of the "No vinculado" shapes. */
export type Linkage = "full" | "no-ispcube" | "secret-only" | "no-secret";

export interface GenerationState {
  prng: Prng;
  now: number;
  subscribers: number;
  world: GeneratedLists;
  routers: RouterWorld[];
  nodes: IspNode[];
  serials: Set<string>;
  /** `oltId/board/port` of the one PON port whose feeder is cut. */
  feederPort: string;
  feederAt: number;
  /** The one ODB in an area power cut. */
  powerOdb: number;
  powerAt: number;
  onuNaming: OnuNaming;
  /** Share of ONUs with `username: null`. */
  bridgedShare: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Adds subscriber `i` to every system its linkage puts it in. */
export function addSubscriber(g: GenerationState, i: number, linkage: Linkage, slot: PonSlot | undefined): void {
  const { prng, now } = g;
  const person = createPerson(prng, i);
  const id = i + 1;
  const code = String(id).padStart(6, "0");
  const user = `${person.userStem}${code}`;
  const offer = pickOffer(prng, slot === undefined);
  const routerIndex = Math.floor((i * g.routers.length) / g.subscribers);
  const router = g.routers[routerIndex] as RouterWorld;
  const address = cgnatAddress(i);
  const createdAt = now - prng.int(30, 3000) * DAY;
  const status = customerStatus(prng);

  const onu = slot && linkage !== "secret-only" ? buildOnu(g, slot, user, person.fullName, person.address, status, createdAt, i) : undefined;
  if (onu) g.world.onus.push(onu);

  if (linkage !== "no-secret") {
    const secret: RouterSecret = {
      name: user,
      password: prng.hex(10).toLowerCase(),
      profile: offer.profile,
      service: "pppoe",
      disabled: status === "no_service" || (status === "blocked" && !prng.chance(0.1)) || prng.chance(0.004),
      remoteAddress: address,
      // As typed: accents kept. The router's text encoding decides the bytes (lab/routeros/codec.ts).
      comment: `${code} ${person.fullName}`,
      lastCallerId: cpeMac(prng),
    };
    router.secrets.push(secret);
    addPppoeState(g, router, secret, onu, address, offer.plan.speedDown, offer.plan.speedUp);
  }

  if (linkage === "no-ispcube" || linkage === "secret-only") return;
  const price = offer.plan.price;
  const debt = status === "blocked" ? price * prng.int(2, 4) : status === "enabled" && prng.chance(0.25) ? price : 0;
  g.world.customers.push({
    id,
    code,
    name: person.fullName,
    docNumber: person.docNumber,
    address: person.address,
    city: person.city,
    status,
    debt,
    dueDebt: status === "blocked" ? debt - price : 0,
    phones: person.phones,
    emails: person.emails,
    createdAt: new Date(createdAt).toISOString(),
    blockDate: status === "blocked" ? new Date(now - prng.int(1, 60) * DAY).toISOString() : null,
  });
  g.world.connections.push({
    id,
    customerId: id,
    planId: offer.plan.id,
    nodeId: (g.nodes[routerIndex] as IspNode).id,
    conntype: "pppoe",
    user,
    password: prng.hex(10).toLowerCase(),
    address: person.address,
    ip: address,
    createdAt: new Date(createdAt + DAY).toISOString(),
  });
  if (onu && (onu.status === "LOS" || (onu.rxDbm !== null && onu.rxDbm < -25)) && prng.chance(0.3)) {
    g.world.tickets.push({
      id: g.world.tickets.length + 1,
      customerId: id,
      connectionId: id,
      status: "Abierto",
      category: onu.status === "LOS" ? "Sin servicio" : "Servicio intermitente",
      content: onu.status === "LOS" ? "Cliente llama: no tiene internet, luz roja en el módem." : "Se corta a cada rato, más a la noche.",
      createdAt: new Date(now - prng.int(5, 300) * MINUTE).toISOString(),
    });
  }
}

function customerStatus(prng: Prng): CustomerStatus {
  const roll = prng.next();
  return roll < 0.03 ? "blocked" : roll < 0.037 ? "no_service" : "enabled";
}

function buildOnu(g: GenerationState, slot: PonSlot, user: string, customerName: string, address: string, customer: CustomerStatus, createdAt: number, i: number): Onu {
  const { prng, now } = g;
  let sn = `${slot.vendor}${prng.hex(8)}`;
  while (g.serials.has(sn)) sn = `${slot.vendor}${prng.hex(8)}`;
  g.serials.add(sn);
  let status: OnuStatus;
  let changedAt = now - prng.int(60, 60 * 24 * 60) * MINUTE;
  const roll = prng.next();
  if (`${slot.oltId}/${slot.board}/${slot.port}` === g.feederPort) {
    status = "LOS";
    changedAt = g.feederAt + prng.int(0, 20) * 1000;
  } else if (slot.odbId === g.powerOdb && slot.odbPort > 1) {
    status = "Power fail";
    changedAt = g.powerAt + prng.int(0, 30) * 1000;
  } else if (customer === "no_service") status = "Offline";
  else if (customer === "blocked" && roll < 0.3) status = "Admin Disabled";
  else if (roll < 0.012) status = "LOS";
  else if (roll < 0.03) status = "Power fail";
  else if (roll < 0.038) status = "Offline";
  else if (roll < 0.041) status = "Admin Disabled";
  else status = "Online";
  if (status === "LOS" || status === "Power fail") changedAt = Math.min(changedAt, now - prng.int(2, 600) * MINUTE);
  const online = status === "Online";
  // ~3% of lit ONUs sit in the warning/critical bands (shared/triage.md §1).
  const rx = prng.chance(0.03) ? round2(prng.float(-27.9, -25.1)) : round2(clamp(-20.5 + gaussian(prng) * 2.2, -24.8, -13));
  const authorizedAt = createdAt + prng.int(1, 5) * DAY;
  const namedAfterUser = g.onuNaming === "pppoe-user" || (g.onuNaming === "mixed" && authorizedAt > now - 365 * DAY);
  return {
    externalId: sn,
    sn,
    oltId: slot.oltId,
    board: slot.board,
    port: slot.port,
    onu: slot.onu,
    zoneId: slot.zoneId,
    odbId: slot.odbId,
    odbPort: slot.odbPort,
    name: namedAfterUser ? typedName(user, i) : customerName,
    address,
    // Bridged, or configured through the ONU's web page or TR-069: SmartOLT knows no PPPoE user.
    username: prng.chance(g.bridgedShare) ? null : user,
    onuType: slot.onuType,
    mode: "Routing",
    vlan: 100 + slot.oltId,
    status,
    administrativeStatus: status === "Admin Disabled" ? "Disabled" : "Enabled",
    lastStatusChange: new Date(changedAt).toISOString(),
    updatedAt: new Date(Math.min(now, authorizedAt + prng.int(0, 400) * DAY)).toISOString(),
    authorizationDate: new Date(authorizedAt).toISOString(),
    rxDbm: online ? rx : null,
    oltRxDbm: online ? round2(rx - 2 + gaussian(prng)) : null,
    distanceM: prng.int(150, 12000),
  };
}

function addPppoeState(g: GenerationState, router: RouterWorld, secret: RouterSecret, onu: Onu | undefined, address: string, downKbps: number, upKbps: number): void {
  const { prng, now } = g;
  const lineUp = onu === undefined || onu.status === "Online";
  if (secret.disabled || !lineUp || prng.chance(0.03)) {
    const out = onu && !lineUp ? Date.parse(onu.lastStatusChange) + prng.int(20, 90) * 1000 : now - prng.int(10, 60 * 72) * MINUTE;
    secret.lastLoggedOut = new Date(out).toISOString();
    secret.lastDisconnectReason = !lineUp ? "hung-up" : secret.disabled ? "nas-request" : "peer-request";
    if (now - out < DAY) router.logs.push(...sessionDownLines(secret.name, new Date(out), secret.lastDisconnectReason, prng.int(600, 86_400)));
    return;
  }
  const callerId = secret.lastCallerId ?? cpeMac(prng);
  const flapping = prng.chance(0.004);
  // Most fibre sessions live for days; about one in six reconnected within the last day.
  const age = flapping ? prng.int(60, 540) * 1000 : prng.chance(0.15) ? prng.int(5 * MINUTE, DAY) : prng.int(DAY, 45 * DAY);
  const since = now - age;
  router.active.push({ name: secret.name, address, callerId, since: new Date(since).toISOString(), sessionId: `0x81${prng.hex(6)}` });
  const previousOut = since - prng.int(3, flapping ? 30 : 3600) * 1000;
  secret.lastLoggedOut = new Date(previousOut).toISOString();
  secret.lastDisconnectReason = flapping ? "peer-request" : prng.pick(["peer-request", "hung-up", "nas-request"] as const);
  if (flapping) {
    let t = since;
    for (let k = 0; k < prng.int(3, 5); k++) {
      const down = t - prng.int(3, 30) * 1000;
      const up = down - prng.int(2, 9) * MINUTE;
      router.logs.push(...sessionDownLines(secret.name, new Date(down), "peer-request", (down - up) / 1000), ...sessionUpLines(secret.name, address, new Date(up)));
      t = up;
    }
  }
  if (now - since < DAY) router.logs.push(...sessionUpLines(secret.name, address, new Date(since)));
  // ~2% of sessions run at their plan's ceiling: the "slow internet" that is really a full plan.
  const share = prng.chance(0.02) ? prng.float(0.92, 0.99) : prng.float(0.005, 0.4);
  router.traffic.push({ name: secret.name, downloadBps: Math.round(downKbps * 1000 * share), uploadBps: Math.round(upKbps * 1000 * prng.float(0.01, 0.3)) });
}

/** An ONU name typed by hand after the PPPoE user: now and then in capitals, or with a stray space. */
function typedName(user: string, i: number): string {
  if (i % 10 === 3) return user.toUpperCase();
  if (i % 10 === 7) return `${user} `;
  return user;
}

function gaussian(prng: Prng): number {
  return Math.sqrt(-2 * Math.log(1 - prng.next())) * Math.cos(2 * Math.PI * prng.next());
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
