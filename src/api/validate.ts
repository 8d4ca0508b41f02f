import { Code, ConnectError } from "@connectrpc/connect";
import type { Target } from "../diagnosis/target.js";

/**
 * Edge validation: proto values in, domain values out, or InvalidArgument with a message that names
 * the proto field. Messages are API: tests assert them exactly.
 */
export function invalid(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

// RouterOS secret names allow most printable characters; control characters never belong in one.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A PPPoE user name, trimmed and lower-cased: the join key across the three systems. */
export function pppoeUser(value: string, field = "pppoe_user"): string {
  const user = value.trim();
  if (user.length < 1 || user.length > 64) throw invalid(`${field} must be 1 to 64 characters`);
  if (CONTROL.test(user)) throw invalid(`${field} must not contain control characters`);
  return user.toLowerCase();
}

/** A page size: 0 means the default; otherwise 1..max. */
export function pageSize(value: number, defaultSize: number, max: number, field = "page_size"): number {
  if (value === 0) return defaultSize;
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalid(`${field} must be 1 to ${max}`);
  return value;
}

/** Text a person typed to search with. */
export function searchQuery(value: string, field = "query"): string {
  const q = value.trim();
  if (q.length < 3 || q.length > 100) throw invalid(`${field} must be 3 to 100 characters`);
  if (CONTROL.test(q)) throw invalid(`${field} must not contain control characters`);
  return q;
}

const SERIAL = /^[0-9A-Za-z-]{4,32}$/;
const CODE = /^[0-9A-Za-z-]{1,20}$/;

/**
 * The subscriber a request names: exactly one of `pppoe_user`, `onu_serial`, `customer_code`.
 * Serials are upper-cased (SmartOLT's form); a numeric customer code is zero-padded to ISPCube's six
 * digits, since agents drop the padding.
 */
export function subscriberTarget(req: { pppoeUser: string; onuSerial: string; customerCode: string }): Target {
  const set = [req.pppoeUser, req.onuSerial, req.customerCode].filter((v) => v.trim() !== "").length;
  if (set !== 1) throw invalid("exactly one of pppoe_user, onu_serial and customer_code must be set");
  if (req.pppoeUser.trim() !== "") return { kind: "pppoe_user", value: pppoeUser(req.pppoeUser) };
  if (req.onuSerial.trim() !== "") {
    const serial = req.onuSerial.trim();
    if (!SERIAL.test(serial)) throw invalid("onu_serial must be 4 to 32 letters, digits or dashes");
    return { kind: "onu_serial", value: serial.toUpperCase() };
  }
  const code = req.customerCode.trim();
  if (!CODE.test(code)) throw invalid("customer_code must be 1 to 20 letters, digits or dashes");
  return { kind: "customer_code", value: /^\d{1,6}$/.test(code) ? code.padStart(6, "0") : code };
}
