import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/**
 * Search keys: identifiers as agents type them, reduced to one form at index time and at query time
 * (pure; the SQLite rebuild calls these through user functions, search.ts on the query).
 */

/** Subscriber numbers are 6 to 8 digits: Argentine area codes are 2 to 4 digits of a 10-digit number. */
const TAIL_LENGTHS = [8, 7, 6];
const PHONE_CHARS = /^[\d\s()+.\-/]+$/;
/** CUIT/CUIL prefixes of people and companies (AFIP); the 8 digits after the prefix are the DNI. */
const CUIT = /^(20|23|24|27|30|33|34)(\d{8})\d$/;
const SERIAL_TAIL = /^[0-9a-f]{8}$/i;

/**
 * An Argentine number as its 10 national digits (area code + subscriber number), whatever way it was
 * written: `+54 9 353 4765432`, `0353 15-476-5432`, `(353) 476-5432` → `3534765432`. The country
 * code, the mobile 9, the trunk 0 and the old 15 after the area code are dropped (libphonenumber's
 * Argentine rules: which digits are the area code decides where a 15 is). Undefined when the text
 * is not a whole Argentine number (a bare subscriber number, a foreign number).
 */
export function arPhoneNumber(text: string): string | undefined {
  if (!/\d/.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text, "AR");
  if (!parsed || parsed.countryCallingCode !== "54" || !parsed.isValid()) return undefined;
  const national = parsed.nationalNumber;
  // Mobiles carry a 9 before the area code in international form; the agent never types it.
  return national.length === 11 && national.startsWith("9") ? national.slice(1) : national;
}

/**
 * Index keys of one stored phone: its 10 national digits and their last 8, 7 and 6 (the subscriber
 * number, whatever the area code's length), so a query of any of those forms is one exact token.
 * A number that does not parse keeps its digits and their tails.
 */
export function phoneKeys(text: string): string[] {
  const digits = text.replace(/\D/g, "");
  if (digits.length < 6) return [];
  const whole = arPhoneNumber(text) ?? digits;
  const keys = new Set([whole, ...TAIL_LENGTHS.filter((n) => whole.length > n).map((n) => whole.slice(-n))]);
  return [...keys];
}

/**
 * What a query means as a phone: the 10 national digits when it is a whole number, or the
 * subscriber number (6 to 8 digits, a leading 15 dropped) when it is only that. Empty when the
 * query is not made of phone characters.
 */
export function queryPhoneKeys(q: string): string[] {
  if (!PHONE_CHARS.test(q)) return [];
  const digits = q.replace(/\D/g, "");
  if (digits.length < 6 || digits.length > 13) return [];
  const keys = new Set<string>();
  const whole = arPhoneNumber(q);
  if (whole) keys.add(whole);
  if (digits.length <= 8) keys.add(digits);
  // "15 4765432": the old mobile prefix before a bare subscriber number.
  if (digits.startsWith("15") && digits.length >= 8 && digits.length <= 10) keys.add(digits.slice(2));
  return [...keys];
}

/** The DNI inside a CUIT/CUIL (`27293345014` → `29334501`), or undefined. */
export function dniOfCuit(digits: string): string | undefined {
  return CUIT.exec(digits)?.[2];
}

/** The 8 hex digits after a GPON serial's 4-letter vendor id (`HWTC2B3C4D03` → `2b3c4d03`). */
export function serialTail(serial: string): string | undefined {
  const tail = serial.trim().slice(-8);
  return serial.trim().length > 8 && SERIAL_TAIL.test(tail) ? tail.toLowerCase() : undefined;
}

/** An e-mail address as one token: letters and digits only, lower case (`Ana.Perez@Mail.com` → `anaperezmailcom`). */
export function emailKey(email: string): string {
  return email.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function looksLikeEmail(q: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(q);
}

/** What a query means as a serial's tail: 8 hex digits. */
export function querySerialTail(q: string): string | undefined {
  return SERIAL_TAIL.test(q) ? q.toLowerCase() : undefined;
}
