import type http from "node:http";
import type http2 from "node:http2";
import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ConnectRouterOptions, type ContextValues } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface ConnectAdapterOptions extends ConnectRouterOptions {
  routes: (router: ConnectRouter) => void;
  contextValues?: (req: NodeRequest) => ContextValues;
}

/**
 * connectNodeAdapter, except that the answers the router gives by itself (404 no such procedure,
 * 405 wrong HTTP method, 415 wrong content-type) carry a Connect error JSON body: connect-node
 * sends them empty, and an empty 415 tells a curl user nothing.
 */
export function createConnectAdapter(options: ConnectAdapterOptions): (req: NodeRequest, res: NodeResponse) => void {
  const router = createConnectRouter({ acceptCompression: [compressionGzip, compressionBrotli], ...options });
  options.routes(router);
  const paths = new Map<string, UniversalHandler>(router.handlers.map((h) => [h.requestPath, h]));
  return (req, res) => {
    const path = (req.url ?? "").split("?", 2)[0] ?? "";
    const handler = paths.get(path);
    if (!handler) {
      void universalResponseToNodeResponse(errorResponse(404, Code.Unimplemented, `no procedure at ${path}`), res);
      return;
    }
    const uReq = universalRequestFromNodeRequest(req, res, undefined, options.contextValues?.(req));
    handler(uReq)
      .then((uRes) => universalResponseToNodeResponse(withErrorBody(uRes, handler, req), res))
      .catch((reason: unknown) => {
        if (ConnectError.from(reason).code === Code.Aborted) return;
        // What connectNodeAdapter does too: the response is already gone, only the log can tell.
        console.error(`handler for rpc ${handler.method.name} of ${handler.service.typeName} failed`, reason);
      });
  };
}

function withErrorBody(res: UniversalServerResponse, handler: UniversalHandler, req: NodeRequest): UniversalServerResponse {
  if (res.body !== undefined) return res;
  const procedure = `${handler.service.typeName}/${handler.method.name}`;
  if (res.status === 415) {
    const sent = req.headers["content-type"];
    const got = sent ? `content-type ${sent}` : "a request without content-type";
    const hint = handler.method.methodKind === "unary" ? "application/json or application/proto (Connect), or gRPC / gRPC-Web" : "application/connect+json, application/connect+proto, gRPC or gRPC-Web";
    return errorResponse(415, Code.InvalidArgument, `${got} is not supported by ${procedure}: send ${hint}`);
  }
  if (res.status === 405) {
    const allowed = handler.allowedMethods.join(", ");
    const error = errorResponse(405, Code.Unimplemented, `http method ${req.method ?? "?"} is not allowed for ${procedure}: use ${allowed}`);
    error.header?.set("allow", allowed);
    return error;
  }
  return res;
}

/** A Connect protocol error: `{"code": "invalid_argument", "message": "…"}` as JSON. */
function errorResponse(status: number, code: Code, message: string): UniversalServerResponse {
  const body = new TextEncoder().encode(JSON.stringify({ code: codeName(code), message }));
  return {
    status,
    header: new Headers({ "content-type": "application/json", "content-length": String(body.byteLength) }),
    body: (async function* () {
      yield body;
    })(),
  };
}

/** Code.InvalidArgument → "invalid_argument", as the Connect protocol spells codes. */
function codeName(code: Code): string {
  return Code[code].replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "_") + c.toLowerCase());
}
