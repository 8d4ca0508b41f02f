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
  const phones = [prng.chance(0.5) ? `+54 9 ${town.areaCode} ${line()}` : `${town.areaCode}${line()}`];
  if (prng.chance(0.2)) phones.push(`${town.areaCode} ${line()}`);
  const local = `${givenAscii.split(" ")[0] as string}.${surnameAscii}`.toLowerCase().replace(/[^a-z.]/g, "");
  const emails = prng.chance(0.85) ? [`${local}${index % 1000}@${prng.pick(MAIL_DOMAINS)}`] : [];
  return {
    fullName: `${full} ${given}`,
    userStem: `${surnameAscii.toLowerCase().replace(/[^a-z]/g, "")}${givenAscii.charAt(0).toLowerCase()}`,
    // DNIs of adults today run from about 10 to 47 million.
    docNumber: String(prng.int(10_000_000, 46_999_999)),
    address: `${prng.pick(STREETS)} ${prng.int(1, 3999)}${flat}`,
    city: town.name,
    phones,
    emails,
  };
}
