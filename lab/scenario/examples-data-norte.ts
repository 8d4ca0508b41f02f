import type { ExampleSubscriber } from "./examples-data.js";

/** OLT-NORTE (area power cut, feeder cut, refusing router), fixed wireless and unlinked records. */
export const EXAMPLE_SUBSCRIBERS_NORTE: ExampleSubscriber[] = [
  // NAP-N01 (OLT-NORTE 0/1): 5 of 7 ONUs in Power fail within a minute → area power cut.
  ...powerCut([
    ["acosta.raul", 201, "ACOSTA RAÚL", "17334098", "Jujuy 45", 1],
    ["medina.silvia", 202, "MEDINA SILVIA", "21998034", "Jujuy 61", 2],
    ["herrera.diego", 203, "HERRERA DIEGO MARTÍN", "32110765", "Jujuy 88", 3],
    ["aguirre.marta", 204, "AGUIRRE MARTA GRACIELA", "14556021", "Jujuy 102", 4],
    ["castro.nestor", 205, "CASTRO NÉSTOR", "19887345", "Jujuy 130", 5],
  ]),
  { user: "rios.julia", case: "odb-power-cut", note: "NAP-N01 ONU still online (another feed)", router: "rb-sur", plan: 3,
    customer: { id: 206, name: "RÍOS JULIA", doc: "38776120", address: "Jujuy 150", phone: "+54 9 353 4008811", email: "julirios@gmail.com" },
    onu: { sn: "ZTEG3C4D5E06", at: "2/0/1/6", odb: 3, odbPort: 6, status: "Online", rx: [-20.4, -22.7], changed: "-13d" },
    session: { since: "-13d", callerId: "50:C7:BF:33:44:06" }, traffic: [7.7, 0.7] },
  { user: "molina.oscar", case: "odb-power-cut", note: "NAP-N01 ONU still online (UPS)", router: "rb-sur", plan: 2,
    customer: { id: 207, name: "MOLINA ÓSCAR", doc: "12776543", address: "Jujuy 171", phone: "3534220033" },
    onu: { sn: "ZTEG3C4D5E07", at: "2/0/1/7", odb: 3, odbPort: 7, status: "Online", rx: [-21.1, -23.5], changed: "-33d" },
    session: { since: "-33d", callerId: "F4:F2:6D:33:44:07" }, traffic: [1.2, 0.2] },

  // OLT-NORTE 0/2: every ONU (two ODBs) went LOS within 20 s → feeder cut, one incident, no trucks.
  ...feederCut([
    ["diaz.carlos", 301, "DÍAZ CARLOS ALBERTO", "20112398", "Av. Perón 1200", 4, 1],
    ["romero.elena", 302, "ROMERO ELENA", "26554310", "Av. Perón 1222", 4, 2],
    ["alvarez.pablo", 303, "ÁLVAREZ PABLO", "33220918", "Av. Perón 1260", 4, 3],
    ["ibanez.nora", 304, "IBÁÑEZ NORA BEATRIZ", "15443276", "Av. Perón 1301", 4, 4],
    ["suarez.luis", 305, "SUÁREZ LUIS", "28990012", "Chacabuco 55", 5, 1],
    ["benitez.rosa", 306, "BENÍTEZ ROSA", "11209874", "Chacabuco 77", 5, 2],
    ["ledesma.gustavo", 307, "LEDESMA GUSTAVO", "24667013", "Chacabuco 93", 5, 3],
    ["ponce.brenda", 308, "PONCE BRENDA MAGALÍ", "43001276", "Chacabuco 118", 5, 4],
  ]),

  // OLT-NORTE 0/3: the subscriber behind rb-norte, which refuses API connections.
  { user: "paz.gabriel", case: "router-refusing", note: "healthy ONU, but its router (rb-norte) refuses the API: PPPoE unavailable", router: "rb-norte", plan: 3,
    customer: { id: 401, name: "PAZ GABRIEL", doc: "36554122", address: "Salta 830", phone: "+54 9 353 4771100", email: "gabipaz@gmail.com" },
    onu: { sn: "ZTEG4D5E6F01", at: "2/0/3/1", odb: 6, odbPort: 1, status: "Online", rx: [-19.8, -22.1], changed: "-4d" },
    session: { since: "-4d", callerId: "98:DA:C4:44:55:01" }, traffic: [9.9, 1.0] },
  { user: "escuela214", case: "bridged-onu-no-user", note: "bridged ONU with no PPPoE user: linked by nothing but its serial", router: "rb-norte", plan: 3,
    onu: { sn: "ZTEG4D5E6F02", at: "2/0/3/2", odb: 6, odbPort: 2, status: "Online", rx: [-20.9, -23.0], changed: "-90d", bridged: true, name: "ESC. PROV. Nº 214 JOSÉ HERNÁNDEZ" },
    secret: false },

  // Fixed wireless: no ONU at all; diagnosis rests on PPPoE and billing.
  { user: "sosa.ramon", case: "healthy-wireless", note: "fixed wireless (no ONU): connection, secret and live session", router: "rb-sur", plan: 7,
    customer: { id: 501, name: "SOSA RAMÓN", doc: "13998721", address: "Ruta 2 km 3, Zona Rural", phone: "3534990011" },
    session: { since: "-2d6h", callerId: "E8:48:B8:55:66:01" }, traffic: [3.1, 0.4] },
  { user: "ortiz.raquel", case: "no-service", note: "no_service (terminated) wireless customer, secret disabled", router: "rb-sur", plan: 7,
    customer: { id: 502, name: "ORTIZ RAQUEL", doc: "25776109", address: "Los Algarrobos 12", phone: "+54 9 353 4112200", status: "no_service" },
    secret: { disabled: true, lastLoggedOut: "-40d", reason: "nas-request", lastCallerId: "3C:84:6A:55:66:02" } },

  // Records in only one or two systems ("No vinculado").
  { user: "prueba.tecnico", case: "unlinked-secret-only", note: "router secret only: no ONU, no ISPCube", router: "rb-sur", plan: 2,
    secret: { lastLoggedOut: "-15d", reason: "peer-request", lastCallerId: "00:E0:4C:66:77:01" } },
  { user: "ojeda.valeria", case: "unlinked-ispcube-no-secret", note: "ISPCube customer and connection, no secret on any router, no ONU", router: "rb-sur", plan: 3,
    customer: { id: 601, name: "OJEDA VALERIA", doc: "44120987", address: "Bolívar 910", phone: "3534556600", email: "valeojeda@gmail.com" },
    secret: false },
];

type Row = [user: string, id: number, name: string, doc: string, address: string, odbPort: number];

function powerCut(rows: Row[]): ExampleSubscriber[] {
  return rows.map(([user, id, name, doc, address, odbPort], i) => ({
    user, case: "odb-power-cut", note: "Power fail 15 min ago with most of NAP-N01: area power cut, no truck", router: "rb-sur", plan: 2,
    customer: { id, name, doc, address, phone: `+54 9 353 45${String(id).padStart(5, "0")}` },
    onu: { sn: `ZTEG3C4D5E0${odbPort}`, at: `2/0/1/${odbPort}`, odb: 3, odbPort, status: "Power fail", changed: `-15m${i * 7}s` },
    secret: { lastLoggedOut: `-14m${i * 7}s`, reason: "hung-up", lastCallerId: `50:C7:BF:33:44:0${odbPort}` },
  }));
}

type FeederRow = [user: string, id: number, name: string, doc: string, address: string, odb: number, odbPort: number];

function feederCut(rows: FeederRow[]): ExampleSubscriber[] {
  return rows.map(([user, id, name, doc, address, odb, odbPort], i) => ({
    user, case: "feeder-cut", note: "LOS with every ONU of PON 2/0/2: feeder cut, one incident", router: "rb-sur", plan: 3,
    customer: { id, name, doc, address, phone: `3534${String(id * 977).padStart(6, "0")}` },
    onu: { sn: `ZTEG5E6F7A0${i + 1}`, at: `2/0/2/${i + 1}`, odb, odbPort, status: "LOS", changed: `-40m${i * 2}s` },
    secret: { lastLoggedOut: `-39m${i * 2}s`, reason: "hung-up", lastCallerId: `F4:F2:6D:77:88:0${i + 1}` },
  }));
}
