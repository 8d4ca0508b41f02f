import { foldAscii, GIVEN_NAMES, MAIL_DOMAINS, STREETS, SURNAMES, TOWNS } from "./names.js";
import type { Prng } from "./prng.js";

export interface Person {
  /** ISPCube style: "SURNAME GIVEN", capitals, accents kept. */
  fullName: string;
  /** Lower-case ASCII stem for the PPPoE user: surname plus first initial. */
  userStem: string;
  docNumber: string;
  address: string;
  city: string;
  phones: string[];
  emails: string[];
}

// Folded once: String.prototype.normalize dominated the generator's profile on 100k subscribers.
const SURNAMES_ASCII = SURNAMES.map(foldAscii);
const GIVEN_ASCII = GIVEN_NAMES.map(foldAscii);

/** A plausible Argentine subscriber; `index` keeps e-mail addresses apart. */
export function createPerson(prng: Prng, index: number): Person {
  const s = prng.int(0, SURNAMES.length - 1);
  const second = prng.chance(0.15) ? prng.int(0, SURNAMES.length - 1) : -1;
  const g = prng.int(0, GIVEN_NAMES.length - 1);
  const surname = SURNAMES[s] as string;
  const surnameAscii = SURNAMES_ASCII[s] as string;
  const given = GIVEN_NAMES[g] as string;
  const givenAscii = GIVEN_ASCII[g] as string;
  const full = second < 0 ? surname : `${surname} ${SURNAMES[second] as string}`;
  const town = prng.pick(TOWNS);
  const flat = prng.chance(0.12) ? `, Piso ${prng.int(1, 9)} Dto ${prng.pick(["A", "B", "C", "D"])}` : "";
  // Argentine numbers have ten digits: area code plus subscriber number.
  const digits = 10 - town.areaCode.length;
  const line = (): string => `${prng.int(4, 6)}${String(prng.int(0, 10 ** (digits - 1) - 1)).padStart(digits - 1, "0")}`;
  // Agents and customers type phones every way there is; the index picks the way, so the generator
  // draws what it always drew and seeded scenarios keep their people.
  const mobile = prng.chance(0.5);
  const phones = [typedPhone(town.areaCode, line(), mobile, index)];
  if (prng.chance(0.2)) phones.push(typedPhone(town.areaCode, line(), false, index + 1));
  const local = `${givenAscii.split(" ")[0] as string}.${surnameAscii}`.toLowerCase().replace(/[^a-z.]/g, "");
  const email = (domain: string): string => (index % 5 === 0 ? capitalise : String)(`${local}${index % 1000}@${domain}`);
  const emails = prng.chance(0.85) ? [email(prng.pick(MAIL_DOMAINS))] : [];
  const dni = String(prng.int(10_000_000, 46_999_999));
  return {
    fullName: `${full} ${given}`,
    userStem: `${surnameAscii.toLowerCase().replace(/[^a-z]/g, "")}${givenAscii.charAt(0).toLowerCase()}`,
    // DNIs of adults today run from about 10 to 47 million; some customers were entered by CUIT/CUIL.
    docNumber: index % 4 === 1 ? cuit(index % 8 === 1 ? "27" : "20", dni, index % 3 !== 0) : dni,
    address: `${prng.pick(STREETS)} ${prng.int(1, 3999)}${flat}`,
    city: town.name,
    phones,
    emails,
  };
}

/** One phone as someone typed it: international, with the trunk 0 and the old 15, with dashes, bare. */
function typedPhone(area: string, line: string, mobile: boolean, index: number): string {
  const split = `${line.slice(0, -4)}-${line.slice(-4)}`;
  const ways = mobile
    ? [`+54 9 ${area} ${line}`, `0${area} 15${line}`, `(0${area}) 15-${split}`, `+549${area}${line}`]
    : [`${area}${line}`, `${area} ${split}`, `0${area}-${line}`, `${area} ${line}`];
  return ways[index % ways.length] as string;
}

/** A CUIT/CUIL around a DNI, with its check digit (AFIP's modulo 11), dashed or not. */
export function cuit(prefix: string, dni: string, dashed: boolean): string {
  const body = `${prefix}${dni.padStart(8, "0")}`;
  const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...body].reduce((n, d, i) => n + Number(d) * (weights[i] ?? 0), 0);
  const check = (11 - (sum % 11)) % 11;
  // A check of 10 has no digit: AFIP then issues the 23 prefix.
  if (check === 10) return cuit("23", dni, dashed);
  return dashed ? `${prefix}-${dni}-${check}` : `${body}${check}`;
}

function capitalise(email: string): string {
  return email.replace(/(^|[.@])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}
