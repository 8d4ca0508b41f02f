/**
 * The hand-written subscribers of the example scenarios, one per triage case (shared/triage.md). Instants
 * are relative to the scenario's `now`; examples.ts turns this table into scenarios/*.json.
 */

import type { DisconnectReason } from "./types.js";

export type TriageCase =
  | "healthy-fibre" | "healthy-wireless" | "odb-neighbour" | "los-single" | "power-fail-single"
  | "optical-warning" | "optical-critical" | "optical-overload" | "below-odb-peers" | "feeder-cut"
  | "odb-power-cut" | "billing-blocked" | "onu-admin-disabled" | "secret-disabled" | "no-pppoe-session"
  | "pppoe-flapping" | "queue-saturated" | "blocked-with-session" | "offline-no-reason" | "no-service"
  | "unlinked-onu-no-ispcube" | "unlinked-secret-only" | "unlinked-ispcube-no-secret" | "bridged-onu-no-user"
  | "router-refusing";

export interface ExampleCustomer {
  id: number;
  name: string;
  doc: string;
  address: string;
  phone: string;
  email?: string;
  status?: "enabled" | "blocked" | "no_service";
  debt?: number;
  dueDebt?: number;
  blockDate?: string;
}

export interface ExampleOnu {
  sn: string;
  /** "olt/board/port/onu" */
  at: string;
  odb: number;
  odbPort: number;
  status: "Online" | "Offline" | "Power fail" | "LOS" | "Admin Disabled";
  /** [ONU rx, OLT rx] in dBm; omitted when there is no reading. */
  rx?: [number, number];
  changed: string;
  bridged?: boolean;
  name?: string;
}

export interface ExampleSubscriber {
  user: string;
  case: TriageCase;
  note: string;
  router: string;
  plan: number;
  customer?: ExampleCustomer;
  /** ISPCube connection without the customer knowing it: default true when there is a customer. */
  onu?: ExampleOnu;
  /** false: no secret on any router. */
  secret?: false | { disabled?: boolean; lastLoggedOut?: string; reason?: DisconnectReason; lastCallerId?: string };
  session?: { since: string; callerId: string };
  /** [download, upload] in Mbit/s. */
  traffic?: [number, number];
  /** Earlier short sessions within the hour, as [up, down] pairs. */
  flaps?: [string, string][];
  ticket?: { category: string; content: string; createdAt: string };
}

const city = "Villa María";
export const EXAMPLE_CITY = city;

export const EXAMPLE_SUBSCRIBERS: ExampleSubscriber[] = [
  // NAP-C01 (OLT-CENTRO 0/1): healthy peers and one ONU far below them.
  { user: "gomez.lucia", case: "healthy-fibre", note: "ONU online at -19.2 dBm, PPPoE up 3 days, light traffic", router: "rb-centro", plan: 3,
    customer: { id: 101, name: "GÓMEZ LUCÍA BELÉN", doc: "30512877", address: "Bv. España 1450", phone: "+54 9 353 4123456", email: "lucia.gomez@gmail.com" },
    onu: { sn: "HWTC1A2B3C01", at: "1/0/1/0", odb: 1, odbPort: 1, status: "Online", rx: [-19.2, -21.4], changed: "-12d" },
    session: { since: "-3d4h", callerId: "50:C7:BF:11:22:01" }, traffic: [12.4, 1.1] },
  { user: "peralta.ruben", case: "odb-neighbour", note: "healthy peer on NAP-C01", router: "rb-centro", plan: 2,
    customer: { id: 102, name: "PERALTA RUBÉN DARÍO", doc: "22874310", address: "Santa Fe 987", phone: "3534221187" },
    onu: { sn: "HWTC1A2B3C02", at: "1/0/1/1", odb: 1, odbPort: 2, status: "Online", rx: [-18.6, -20.9], changed: "-30d" },
    session: { since: "-11d", callerId: "F4:F2:6D:11:22:02" }, traffic: [3.2, 0.4] },
  { user: "godoy.marcela", case: "odb-neighbour", note: "healthy peer on NAP-C01", router: "rb-centro", plan: 3,
    customer: { id: 103, name: "GODOY MARCELA INÉS", doc: "27110456", address: "Santa Fe 1012", phone: "+54 9 353 4556712", email: "marcegodoy@hotmail.com" },
    onu: { sn: "TPLG1A2B3C03", at: "1/0/1/2", odb: 1, odbPort: 3, status: "Online", rx: [-18.9, -21.0], changed: "-45d" },
    session: { since: "-20d", callerId: "98:DA:C4:11:22:03" }, traffic: [25.0, 2.0] },
  { user: "villalba.ivan", case: "odb-neighbour", note: "healthy peer on NAP-C01", router: "rb-centro", plan: 4,
    customer: { id: 104, name: "VILLALBA IVÁN", doc: "38440129", address: "Santa Fe 1044", phone: "3534019933", email: "ivanvillalba@gmail.com" },
    onu: { sn: "HWTC1A2B3C04", at: "1/0/1/3", odb: 1, odbPort: 4, status: "Online", rx: [-18.4, -20.5], changed: "-8d" },
    session: { since: "-8d", callerId: "E8:48:B8:11:22:04" }, traffic: [41.0, 6.5] },
  { user: "rodriguez.sofia", case: "below-odb-peers", note: "-22.9 dBm: good band, but 4 dB worse than the best three on NAP-C01 (drop fibre)", router: "rb-centro", plan: 3,
    customer: { id: 105, name: "RODRÍGUEZ SOFÍA", doc: "35998120", address: "Santa Fe 1100", phone: "+54 9 353 4667120", email: "sofi.rodriguez@yahoo.com.ar" },
    onu: { sn: "HWTC1A2B3C05", at: "1/0/1/4", odb: 1, odbPort: 5, status: "Online", rx: [-22.9, -25.1], changed: "-2d" },
    session: { since: "-2d", callerId: "3C:84:6A:11:22:05" }, traffic: [1.8, 0.2] },
  { user: "quiroga.pedro", case: "unlinked-onu-no-ispcube", note: "ONU and secret (session up) but no ISPCube customer: \"No vinculado\"", router: "rb-centro", plan: 2,
    onu: { sn: "HWTC1A2B3C06", at: "1/0/1/5", odb: 1, odbPort: 6, status: "Online", rx: [-19.5, -21.8], changed: "-60d", name: "QUIROGA PEDRO" },
    session: { since: "-6d", callerId: "D8:07:B6:11:22:06" }, traffic: [4.1, 0.6] },

  // NAP-C02 (OLT-CENTRO 0/2): single-customer faults among healthy neighbours.
  { user: "bustos.noelia", case: "odb-neighbour", note: "healthy neighbour on NAP-C02", router: "rb-centro", plan: 3,
    customer: { id: 106, name: "BUSTOS NOELIA", doc: "33012765", address: "Entre Ríos 455", phone: "3534118820", email: "noe.bustos@gmail.com" },
    onu: { sn: "HWTC2B3C4D01", at: "1/0/2/0", odb: 2, odbPort: 1, status: "Online", rx: [-20.1, -22.3], changed: "-15d" },
    session: { since: "-15d", callerId: "50:C7:BF:22:33:01" }, traffic: [6.0, 0.8] },
  { user: "olivera.facundo", case: "odb-neighbour", note: "healthy neighbour on NAP-C02", router: "rb-centro", plan: 2,
    customer: { id: 107, name: "OLIVERA FACUNDO", doc: "40221983", address: "Entre Ríos 502", phone: "+54 9 353 4990121" },
    onu: { sn: "HWTC2B3C4D02", at: "1/0/2/1", odb: 2, odbPort: 2, status: "Online", rx: [-20.6, -22.9], changed: "-9d" },
    session: { since: "-9d", callerId: "F4:F2:6D:22:33:02" }, traffic: [2.2, 0.3] },
  { user: "perez.maria", case: "los-single", note: "LOS for 25 min, neighbours online: drop fibre or connector, dispatch", router: "rb-centro", plan: 3,
    customer: { id: 108, name: "PÉREZ MARÍA JOSÉ", doc: "29334501", address: "Entre Ríos 517", phone: "+54 9 353 4765432", email: "mariajose.perez@gmail.com" },
    onu: { sn: "HWTC2B3C4D03", at: "1/0/2/2", odb: 2, odbPort: 3, status: "LOS", changed: "-25m" },
    secret: { lastLoggedOut: "-24m", reason: "hung-up", lastCallerId: "98:DA:C4:22:33:03" },
    ticket: { category: "Sin servicio", content: "Sin internet desde hace un rato, luz LOS roja en el módem.", createdAt: "-10m" } },
  { user: "munoz.jorge", case: "power-fail-single", note: "dying gasp 2 h ago: customer power, remote", router: "rb-centro", plan: 2,
    customer: { id: 109, name: "MUÑOZ JORGE ALBERTO", doc: "18456002", address: "Lavalle 233", phone: "0353 15 430-2211" },
    onu: { sn: "HWTC2B3C4D04", at: "1/0/2/3", odb: 2, odbPort: 4, status: "Power fail", changed: "-2h" },
    secret: { lastLoggedOut: "-2h", reason: "hung-up", lastCallerId: "E8:48:B8:22:33:04" } },
  { user: "gonzalez.ana", case: "optical-warning", note: "Rx -25.8 dBm (warning band) and 6.3 dB below the best three on her NAP: her drop or connector, dispatch (triage 6.5)", router: "rb-centro", plan: 3,
    customer: { id: 110, name: "GONZÁLEZ ANA BELÉN", doc: "31877654", address: "Lavalle 260", phone: "+54 9 353 4889012", email: "anabelen.gonzalez@outlook.com" },
    onu: { sn: "HWTC2B3C4D05", at: "1/0/2/4", odb: 2, odbPort: 5, status: "Online", rx: [-25.8, -27.4], changed: "-5d" },
    session: { since: "-5d", callerId: "3C:84:6A:22:33:05" }, traffic: [8.5, 0.9] },
  { user: "fernandez.hugo", case: "optical-critical", note: "Rx -27.6 / OLT Rx -28.6 dBm (critical): dispatch if symptoms", router: "rb-centro", plan: 2,
    customer: { id: 111, name: "FERNÁNDEZ HUGO NÉSTOR", doc: "20-16220987-7", address: "Lavalle 301", phone: "353-4556677" },
    onu: { sn: "HWTC2B3C4D06", at: "1/0/2/5", odb: 2, odbPort: 6, status: "Online", rx: [-27.6, -28.6], changed: "-3h" },
    session: { since: "-3h", callerId: "D8:07:B6:22:33:06" }, traffic: [0.9, 0.1],
    ticket: { category: "Servicio intermitente", content: "Se corta a cada rato, más a la noche.", createdAt: "-1h" } },
  { user: "silva.tomas", case: "optical-overload", note: "Rx -6.8 dBm: too hot (overload), attenuator", router: "rb-centro", plan: 3,
    customer: { id: 112, name: "SILVA TOMÁS", doc: "42118765", address: "Lavalle 322", phone: "+54 9 353 4001122", email: "TomasSilva@Gmail.com" },
    onu: { sn: "TPLG2B3C4D07", at: "1/0/2/6", odb: 2, odbPort: 7, status: "Online", rx: [-6.8, -9.1], changed: "-7d" },
    session: { since: "-7d", callerId: "48:8F:5A:22:33:07" }, traffic: [5.0, 0.5] },
  { user: "lopez.ricardo", case: "billing-blocked", note: "blocked in ISPCube for debt, secret disabled: billing, never dispatch", router: "rb-centro", plan: 3,
    customer: { id: 113, name: "LÓPEZ RICARDO", doc: "25009341", address: "Mendoza 1180", phone: "3534667788", status: "blocked", debt: 55500, dueDebt: 37000, blockDate: "-12d" },
    onu: { sn: "HWTC2B3C4D08", at: "1/0/2/7", odb: 2, odbPort: 8, status: "Online", rx: [-21.0, -23.2], changed: "-40d" },
    secret: { disabled: true, lastLoggedOut: "-12d", reason: "nas-request", lastCallerId: "50:C7:BF:22:33:08" } },
  { user: "martinez.ines", case: "onu-admin-disabled", note: "ONU Admin Disabled at the OLT (debt cut), ISPCube still enabled with overdue debt: billing", router: "rb-centro", plan: 2,
    customer: { id: 114, name: "MARTÍNEZ INÉS", doc: "20556781", address: "Mendoza 1202", phone: "+54 9 353 4223344", debt: 28900, dueDebt: 14450 },
    onu: { sn: "HWTC2B3C4D09", at: "1/0/2/8", odb: 2, odbPort: 9, status: "Admin Disabled", changed: "-2d" },
    secret: { lastLoggedOut: "-2d", reason: "hung-up", lastCallerId: "F4:F2:6D:22:33:09" } },
  { user: "torres.walter", case: "secret-disabled", note: "enabled and paid up, but the PPPoE secret is disabled: provisioning drift", router: "rb-centro", plan: 3,
    customer: { id: 115, name: "TORRES WALTER HÉCTOR", doc: "23667120", address: "Mendoza 1230", phone: "3534889900", email: "wtorres@fibertel.com.ar" },
    onu: { sn: "HWTC2B3C4D0A", at: "1/0/2/9", odb: 2, odbPort: 10, status: "Online", rx: [-19.9, -22.0], changed: "-20d" },
    secret: { disabled: true, lastLoggedOut: "-3d", reason: "nas-request", lastCallerId: "98:DA:C4:22:33:0A" } },
  { user: "ruiz.camila", case: "no-pppoe-session", note: "ONU online, optics good, no PPPoE session, new caller-id: customer router", router: "rb-centro", plan: 3,
    customer: { id: 116, name: "RUIZ CAMILA", doc: "41223098", address: "Tucumán 640", phone: "+54 9 353 4332211", email: "cami.ruiz@gmail.com" },
    onu: { sn: "HWTC2B3C4D0B", at: "1/0/2/10", odb: 2, odbPort: 11, status: "Online", rx: [-20.3, -22.6], changed: "-6d" },
    secret: { lastLoggedOut: "-50m", reason: "peer-request", lastCallerId: "00:E0:4C:68:01:0B" } },
  { user: "vega.matias", case: "pppoe-flapping", note: "5 sessions in the last hour, uptime 4 min, ONU stable: customer equipment", router: "rb-centro", plan: 3,
    customer: { id: 117, name: "VEGA MATÍAS", doc: "39876123", address: "Tucumán 702", phone: "3534776655", email: "mativega@live.com.ar" },
    onu: { sn: "HWTC2B3C4D0C", at: "1/0/2/11", odb: 2, odbPort: 12, status: "Online", rx: [-19.7, -21.9], changed: "-10d" },
    secret: { lastLoggedOut: "-4m20s", reason: "peer-request", lastCallerId: "E8:48:B8:22:33:0C" },
    session: { since: "-4m", callerId: "E8:48:B8:22:33:0C" }, traffic: [2.0, 0.3],
    flaps: [["-52m", "-41m"], ["-40m", "-27m"], ["-26m30s", "-14m"], ["-13m", "-4m20s"]] },
  { user: "navarro.julieta", case: "queue-saturated", note: "49 of 50 Mbit/s in one reading: near the limit (info); plan saturation needs it sustained, as WatchDiagnosis with traffic sees", router: "rb-centro", plan: 2,
    customer: { id: 118, name: "NAVARRO JULIETA", doc: "37445566", address: "Tucumán 755", phone: "+54 9 353 4550099", email: "juli.navarro@gmail.com" },
    onu: { sn: "TPLG2B3C4D0D", at: "1/0/2/12", odb: 2, odbPort: 13, status: "Online", rx: [-18.8, -21.1], changed: "-25d" },
    session: { since: "-6d", callerId: "3C:84:6A:22:33:0D" }, traffic: [48.9, 2.1],
    ticket: { category: "Internet lento", content: "Dice que anda muy lento a la noche.", createdAt: "-1h" } },
  { user: "cabrera.ezequiel", case: "blocked-with-session", note: "blocked in ISPCube 3 days ago yet PPPoE still up: provisioning drift", router: "rb-centro", plan: 3,
    customer: { id: 119, name: "CABRERA EZEQUIEL", doc: "36112987", address: "Catamarca 120", phone: "3534113344", status: "blocked", debt: 29800, dueDebt: 14900, blockDate: "-3d" },
    onu: { sn: "HWTC2B3C4D0E", at: "1/0/2/13", odb: 2, odbPort: 14, status: "Online", rx: [-21.5, -23.6], changed: "-9d" },
    session: { since: "-9d", callerId: "D8:07:B6:22:33:0E" }, traffic: [15.5, 1.5] },
  { user: "luna.federico", case: "offline-no-reason", note: "bare Offline for 6 days, no dying gasp: low confidence, never auto-dispatch", router: "rb-centro", plan: 2,
    customer: { id: 120, name: "LUNA FEDERICO", doc: "34009876", address: "Catamarca 166", phone: "+54 9 353 4667788" },
    onu: { sn: "HWTC2B3C4D0F", at: "1/0/2/14", odb: 2, odbPort: 15, status: "Offline", changed: "-6d" },
    secret: { lastLoggedOut: "-6d", reason: "hung-up", lastCallerId: "48:8F:5A:22:33:0F" } },
];
