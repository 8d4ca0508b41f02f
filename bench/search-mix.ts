/**
 * The search benchmark's query mix, taken from the cache itself so every identifier matches something
 * real: what agents type (surnames with and without accents, DNI, serial, MAC, PPPoE user, streets,
 * 3-letter prefixes) and the forms of issue 10 (a phone typed five ways and as its subscriber number, a
 * CUIT around a DNI, a serial's hex tail, an e-mail, a PPPoE user's prefix).
 */
import Database from "better-sqlite3";
import { cuit } from "../lab/scenario/generate-people.js";

export interface MixQuery {
  label: string;
  query: string;
}

interface Picked {
  pppoe_user: string;
  doc_number: string;
  onu_serial: string;
  mac: string;
  phones: string;
  emails: string;
}

/** Row counts, and queries taken from the data itself so each one matches something real. */
export function inspect(path: string): { rows: Record<string, number>; mix: MixQuery[]; correctnessQueries: [string, boolean][] } {
  const db = new Database(path, { readonly: true });
  try {
    const n = (t: string): number => (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
    const rows = { subscribers: n("subscriber"), customers: n("customer"), connections: n("connection"), onus: n("onu"), secrets: n("ppp_secret") };
    // Subscribers known to all three systems, with an 8-digit DNI (not a CUIT) and an e-mail.
    const where = "s.in_ispcube = 1 and s.onu_serial is not null and s.mac is not null and length(s.doc_number) = 8 and cu.emails <> '[]'";
    const from = "subscriber s join customer cu on cu.id = s.customer_id";
    const complete = (db.prepare(`select count(*) as n from ${from} where ${where}`).get() as { n: number }).n;
    if (complete === 0) throw new Error("the cache holds no subscriber known to ISPCube, SmartOLT and RouterOS");
    const pick = (fraction: number): Picked =>
      db.prepare(`select s.pppoe_user, s.doc_number, s.onu_serial, s.mac, cu.phones, cu.emails from ${from} where ${where} order by s.rowid limit 1 offset ?`)
        .get(Math.floor((complete - 1) * fraction)) as Picked;
    const a = pick(0.1);
    const b = pick(0.5);
    const c = pick(0.9);
    const dotted = (d: string): string => `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5)}`;
    // A Villa María number (area code 353, subscriber numbers from 4): its forms need the area code's length.
    const phone = db.prepare(`select value from customer, json_each(customer.phones)
      where replace(replace(replace(value, ' ', ''), '-', ''), '+549', '') glob '353[4-6]??????' limit 1`).pluck().get() as string | undefined;
    const national = (phone ?? "").replace(/\D/g, "").slice(-10);
    const [area, sub] = [national.slice(0, 3), national.slice(3)];
    const mix: MixQuery[] = [
      { label: "surname, accented", query: "Pérez" },
      { label: "surname, unaccented", query: "perez" },
      { label: "surname, as stored", query: "MUÑOZ" },
      { label: "surname + name", query: "gonzalez maria" },
      { label: "surname + name, accented", query: "Martínez Sofía" },
      { label: "DNI", query: a.doc_number },
      { label: "DNI with dots", query: dotted(b.doc_number) },
      { label: "serial prefix", query: c.onu_serial.slice(0, 8) },
      { label: "MAC", query: a.mac },
      { label: "PPPoE user", query: b.pppoe_user },
      { label: "street", query: "Sarmiento" },
      { label: "street, unaccented", query: "velez sarsfield" },
      { label: "3-letter prefix", query: "gon" },
      { label: "3-letter prefix", query: "mar" },
      { label: "3-letter prefix", query: "rod" },
      ...(phone
        ? [
            { label: "phone, as stored", query: phone },
            { label: "phone, ten digits", query: national },
            { label: "phone, area + number", query: `${area} ${sub}` },
            { label: "phone, 0 + 15", query: `0${area} 15${sub}` },
            { label: "phone, subscriber number", query: sub },
          ]
        : []),
      { label: "CUIT around a DNI", query: cuit("20", c.doc_number, true) },
      { label: "serial hex tail", query: a.onu_serial.slice(-8) },
      { label: "e-mail", query: (JSON.parse(b.emails) as string[])[0] ?? "" },
      { label: "PPPoE user prefix", query: c.pppoe_user.slice(0, 8) },
    ];
    const correctnessQueries: [string, boolean][] = [
      ["perez", true], ["Pérez", true], ["PÉREZ", false], ["munoz", true], ["Muñoz", true], ["MUÑOZ", false],
      ["gonzalez", true], ["González", true], ["velez sarsfield", true], ["Vélez Sársfield", false],
      [dotted(b.doc_number), false], [b.doc_number, false],
    ];
    return { rows, mix, correctnessQueries };
  } finally {
    db.close();
  }
}
