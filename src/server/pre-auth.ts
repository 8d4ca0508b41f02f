import type http from "node:http";
import type http2 from "node:http2";
import { ConnectError, createContextValues, type ContextValues } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import type { AppContext } from "../context.js";
import type { ClientAddresses } from "./client-address.js";
import { kClientIp, kPrincipal } from "./context-values.js";
import { identify } from "./interceptors/auth.js";
import { isPublicService } from "./interceptors/public-services.js";

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;

/**
 * The adapter's `before`: who is calling (the peer, or the client behind a trusted proxy) and, for
 * a non-public service, their key, checked before any of the body is read (the scope comes later,
 * in the auth interceptor). A refusal is logged here,
 * as the logging interceptor never sees a call that Connect did not start.
 */
export function createPreAuth(app: AppContext, addresses: ClientAddresses): (req: NodeRequest, handler: UniversalHandler) => Promise<ContextValues> {
  return async (req, handler) => {
    const ip = addresses.resolve(req.socket?.remoteAddress, req.headers["x-forwarded-for"]);
    const values = createContextValues().set(kClientIp, ip);
    if (isPublicService(handler.service)) return values;
    const started = performance.now();
    const procedure = `${handler.service.typeName}/${handler.method.name}`;
    try {
      const principal = await identify(app.keys, app.limits, { headers: webHeaders(req.headers), ip });
      return values.set(kPrincipal, principal);
    } catch (err) {
      const code = ConnectError.from(err).code;
      app.logger.info({ procedure, code: codeName(code), ms: Math.round((performance.now() - started) * 10) / 10 }, "rpc");
      throw err;
    }
  };
}

function webHeaders(headers: http.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const name of ["x-api-key", "authorization"]) {
    const value = headers[name];
    if (typeof value === "string") out.set(name, value);
  }
  return out;
}

function codeName(code: number): string {
  const names = ["ok", "canceled", "unknown", "invalid_argument", "deadline_exceeded", "not_found", "already_exists", "permission_denied", "resource_exhausted", "failed_precondition", "aborted", "out_of_range", "unimplemented", "internal", "unavailable", "data_loss", "unauthenticated"];
  return names[code] ?? "unknown";
}
