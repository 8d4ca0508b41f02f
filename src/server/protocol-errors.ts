import type { IncomingHttpHeaders } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import { encodeEnvelope, type UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, endStreamFlag, endStreamToJson, errorToJson } from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerParse, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";

/** A refusal written before Connect reads the request: status, headers and body in the caller's protocol. */
export interface EarlyError {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * Connect's handlers answer only once they have read (and size-checked) the body, so an error that
 * must come first, such as a missing key, is written here in the request's own protocol.
 */
export function earlyError(headers: IncomingHttpHeaders, err: ConnectError): EarlyError {
  const contentType = headers["content-type"] ?? "";
  const meta: Record<string, string> = {};
  err.metadata.forEach((value, key) => (meta[key] = value));
  if (/^application\/grpc/.test(contentType)) {
    // Trailers-only: gRPC and gRPC-Web both accept the status in the headers of an empty response.
    const trailer = new Headers(meta);
    setTrailerStatus(trailer, err);
    return { status: 200, headers: { "content-type": contentType, ...Object.fromEntries(trailer) }, body: new Uint8Array(0) };
  }
  if (/^application\/connect\+/.test(contentType)) {
    const end = new TextEncoder().encode(JSON.stringify(endStreamToJson(new Headers(), err, undefined)));
    return { status: 200, headers: { "content-type": contentType, ...meta }, body: encodeEnvelope(endStreamFlag, end) };
  }
  return {
    status: codeToHttpStatus(err.code),
    headers: { "content-type": "application/json", ...meta },
    body: new TextEncoder().encode(JSON.stringify(errorToJson(err, undefined))),
  };
}

const PARSE_BINARY = "parse binary: ";

/** Connect reports a request that is not valid binary protobuf as `internal`; it is the client's error. */
export function isBinaryParseError(err: ConnectError): boolean {
  return err.code === Code.Internal && err.rawMessage.startsWith(PARSE_BINARY);
}

export function binaryParseError(err: ConnectError, typeName: string): ConnectError {
  return new ConnectError(`cannot decode message ${typeName} from binary: ${err.rawMessage.slice(PARSE_BINARY.length)}`, Code.InvalidArgument);
}

/**
 * For unary calls Connect parses the request before any interceptor runs, so the misclassified error
 * is corrected in the response: the JSON body of Connect, the trailers of gRPC, the trailer frame of
 * gRPC-Web. (Streaming calls parse inside the interceptors; see interceptors/invalid-input.ts.)
 */
export function reclassifyParseErrors(res: UniversalServerResponse, typeName: string): UniversalServerResponse {
  if (res.status === 500 && res.body !== undefined) {
    // The adapter reads the first chunk before it writes the status line, so the status can still change.
    const out = { ...res };
    out.body = mapChunks(res.body, (chunk) => rewriteUnary(chunk, typeName, out));
    return out;
  }
  const { body, trailer } = res;
  const contentType = res.header?.get("content-type") ?? "";
  if (body === undefined || !contentType.startsWith("application/grpc")) return res;
  const web = contentType.startsWith("application/grpc-web");
  return {
    ...res,
    body: (async function* () {
      yield* web ? mapChunks(body, (chunk) => (chunk[0] === trailerFlag ? rewriteWebTrailer(chunk, typeName) : chunk)) : body;
      // gRPC's trailers are written after the body, so they can still change.
      if (trailer) rewriteTrailer(trailer, typeName);
    })(),
  };
}

async function* mapChunks(body: AsyncIterable<Uint8Array>, f: (chunk: Uint8Array) => Uint8Array): AsyncIterable<Uint8Array> {
  for await (const chunk of body) yield f(chunk);
}

function rewriteUnary(chunk: Uint8Array, typeName: string, res: UniversalServerResponse): Uint8Array {
  let parsed: { code?: string; message?: string };
  try {
    parsed = JSON.parse(new TextDecoder().decode(chunk)) as { code?: string; message?: string };
  } catch {
    return chunk;
  }
  if (parsed.code !== "internal" || !parsed.message?.startsWith(PARSE_BINARY)) return chunk;
  const err = binaryParseError(new ConnectError(parsed.message, Code.Internal), typeName);
  res.status = codeToHttpStatus(err.code);
  const body = new TextEncoder().encode(JSON.stringify(errorToJson(err, undefined)));
  res.header?.set("content-length", String(body.byteLength));
  return body;
}

function rewriteTrailer(trailer: Headers, typeName: string): void {
  const message = decodeURIComponent(trailer.get("grpc-message") ?? "");
  if (trailer.get("grpc-status") !== String(Code.Internal) || !message.startsWith(PARSE_BINARY)) return;
  setTrailerStatus(trailer, binaryParseError(new ConnectError(message, Code.Internal), typeName));
}

function rewriteWebTrailer(chunk: Uint8Array, typeName: string): Uint8Array {
  const length = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(1);
  if (chunk.byteLength !== 5 + length) return chunk;
  const trailer = trailerParse(chunk.subarray(5));
  const before = trailer.get("grpc-status");
  rewriteTrailer(trailer, typeName);
  return trailer.get("grpc-status") === before ? chunk : encodeEnvelope(trailerFlag, trailerSerialize(trailer));
}
