import type http from "node:http";
import http2 from "node:http2";
import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ConnectRouterOptions, type ContextValues } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import { isClientGone } from "./client-gone.js";
import { earlyError, reclassifyParseErrors } from "./protocol-errors.js";

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface ConnectAdapterOptions extends ConnectRouterOptions {
  routes: (router: ConnectRouter) => void;
  /**
   * Runs before Connect reads a byte of the body and gives the call's context values; a ConnectError
   * it throws is the answer, in the caller's protocol. This is where the key is checked, so an
   * anonymous 100 MB POST is Unauthenticated rather than too large.
   */
  before: (req: NodeRequest, handler: UniversalHandler) => Promise<ContextValues>;
  /** How long a unary or server-streaming call's request may take to arrive whole. */
  requestTimeoutMs: number;
  /** Told about each call refused before the interceptors ran (by `before`), for metrics. */
  onRefused?: (procedure: string, code: Code) => void;
}

/**
 * connectNodeAdapter, except that the answers the router gives by itself (404 no such procedure,
 * 405 wrong HTTP method, 415 wrong content-type) carry a Connect error JSON body: connect-node
 * sends them empty, and an empty 415 tells a curl user nothing. Also: the key is checked before the
 * body is read (`before`), a slow request is cut, malformed binary protobuf is InvalidArgument, and
 * a client that hangs up is not an error.
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
    cutIfSlow(req, res, handler, options.requestTimeoutMs);
    options
      .before(req, handler)
      .then(
        (values) => {
          const uReq = universalRequestFromNodeRequest(req, res, undefined, values);
          return handler(uReq).then((uRes) => {
            const answer = withErrorBody(uRes, handler, req);
            const unary = handler.method.methodKind === "unary";
            return universalResponseToNodeResponse(unary ? reclassifyParseErrors(answer, handler.method.input.typeName) : answer, res);
          });
        },
        (reason: unknown) => {
          const err = ConnectError.from(reason);
          options.onRefused?.(`${handler.service.typeName}/${handler.method.name}`, err.code);
          refuse(req, res, err);
        },
      )
      .catch((reason: unknown) => {
        const code = ConnectError.from(reason).code;
        if (code === Code.Aborted || code === Code.Canceled || isClientGone(reason)) return;
        // What connectNodeAdapter does too: the response is already gone, only the log can tell.
        console.error(`handler for rpc ${handler.method.name} of ${handler.service.typeName} failed`, reason);
      });
  };
}

/**
 * A request whose single message has not arrived in time is cut: the connection on HTTP/1.1, the
 * stream on HTTP/2. Bidi and client streams (reflection) legitimately keep sending, so they are not.
 */
function cutIfSlow(req: NodeRequest, res: NodeResponse, handler: UniversalHandler, ms: number): void {
  const kind = handler.method.methodKind;
  if (req.complete || (kind !== "unary" && kind !== "server_streaming")) return;
  const timer = setTimeout(() => {
    if ("stream" in res) res.stream.close(http2.constants.NGHTTP2_CANCEL);
    else req.socket.destroy();
  }, ms).unref();
  req.once("end", () => clearTimeout(timer));
  res.once("close", () => clearTimeout(timer));
}

function refuse(req: NodeRequest, res: NodeResponse, err: ConnectError): void {
  const early = earlyError(req.headers, err);
  // The body is never read: on HTTP/1.1 the connection closes rather than draining it, on HTTP/2 the
  // stream is reset once the answer is out (NO_ERROR: "stop sending").
  const headers = "stream" in res ? early.headers : { ...early.headers, connection: "close" };
  res.writeHead(early.status, { ...headers, "content-length": String(early.body.byteLength) });
  res.end(early.body, () => {
    if ("stream" in res && !res.stream.closed) res.stream.close(http2.constants.NGHTTP2_NO_ERROR);
  });
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
