/**
 * Injected failures for the ISPCube simulator, from `Scenario.faults.ispcube` (shared/vendors/ispcube.md
 * §3.2). Latency, `down`, `resetMidResponse` and `wrongCredentials` act on the transport or the login
 * and are applied by the server; this file decides which canned answer, if any, replaces the real one.
 */
import { STATUS_CODES } from "node:http";
import type { HttpFault } from "../scenario/types.js";
import { json, type Reply } from "./http-io.js";

export type FaultOutcome = Reply | "hang" | undefined;

/** What the fault in force answers instead of the route, or "hang" to never answer. */
export function faultOutcome(fault: HttpFault | undefined): FaultOutcome {
  if (!fault) return undefined;
  if (fault.hang) return "hang";
  if (fault.burst && fault.burst.count > 0) {
    // Decremented in place so the scenario itself records the recovery.
    fault.burst.count -= 1;
    return errorReply(fault.burst.status);
  }
  if (fault.errorRate !== undefined && Math.random() < fault.errorRate) return errorReply(fault.status ?? 500);
  if (fault.status200Error) {
    // "IspCube a veces contesta un objeto de error con HTTP 200" [CODE S3].
    return json(200, { status: false, message: "No se pudo procesar la solicitud, intente nuevamente" });
  }
  return undefined;
}

/** The proxy answers 502/504 in HTML [CODE S3]; Laravel answers the rest in JSON. */
export function errorReply(status: number): Reply {
  const reason = STATUS_CODES[status] ?? "Error";
  if (status === 502 || status === 504) {
    const title = `${status} ${reason}`;
    return {
      status,
      contentType: "text/html",
      text: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    };
  }
  if (status === 500) return json(500, { message: "Server Error" });
  if (status === 429) return json(429, { message: "Too Many Attempts." });
  return json(status, { message: reason });
}
