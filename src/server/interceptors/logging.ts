import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../../logger.js";
import { kPrincipal } from "../context-values.js";
import { isClientGone } from "../client-gone.js";

type Line = (code: Code | undefined, err: unknown, messages?: number) => void;

/**
 * One log line per RPC: procedure, key name, code and duration. For server streams the line is
 * written when the stream ends, with the number of messages sent. A client that hangs up is
 * `canceled` at debug: it is routine, and at ERROR it buried real failures.
 */
export function createLoggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const procedure = `${req.service.typeName}/${req.method.name}`;
    const line: Line = (code, err, messages) => {
      const fields = {
        procedure,
        key: req.contextValues.get(kPrincipal)?.name,
        code: code === undefined ? "ok" : codeName(code),
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(messages === undefined ? {} : { messages }),
      };
      if (code === Code.Internal || code === Code.Unknown) logger.error({ ...fields, err }, "rpc failed");
      else if (code === Code.Canceled) logger.debug(fields, "rpc canceled by the client");
      else logger.info(fields, "rpc");
    };
    let res;
    try {
      res = await next(req);
    } catch (err) {
      line(outcome(err, req.signal), err);
      throw err;
    }
    if (!res.stream) {
      line(undefined, undefined);
      return res;
    }
    return { ...res, message: logStream(res, line, req.signal) };
  };
}

async function* logStream<M>(res: { message: AsyncIterable<M> }, line: Line, signal: AbortSignal): AsyncIterable<M> {
  let sent = 0;
  let logged = false;
  try {
    for await (const m of res.message) {
      sent++;
      yield m;
    }
    logged = true;
    // A watch that ends quietly on the client's cancel (grpc.health.v1 Watch does) was still cancelled.
    line(signal.aborted ? abortCode(signal) : undefined, undefined, sent);
  } catch (err) {
    logged = true;
    line(outcome(err, signal), err, sent);
    throw err;
  } finally {
    // The adapter stopped reading: the client went away mid-stream.
    if (!logged) line(Code.Canceled, undefined, sent);
  }
}

/** The code to report: a hang-up surfaces as a stream error or an aborted signal, not as a code. */
function outcome(err: unknown, signal: AbortSignal): Code {
  const code = ConnectError.from(err).code;
  if (isClientGone(err)) return Code.Canceled;
  if (signal.aborted && (code === Code.Unknown || code === Code.Aborted)) return abortCode(signal);
  return code;
}

function abortCode(signal: AbortSignal): Code {
  return ConnectError.from(signal.reason).code === Code.DeadlineExceeded ? Code.DeadlineExceeded : Code.Canceled;
}

/** The code as Connect spells it on the wire, e.g. "permission_denied". */
function codeName(code: Code): string {
  return Code[code].replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "_") + c.toLowerCase());
}
