import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../../logger.js";
import { kPrincipal } from "../context-values.js";

/**
 * One log line per RPC: procedure, key name, code and duration. For server streams the line is
 * written when the stream ends, with the number of messages sent.
 */
export function createLoggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const procedure = `${req.service.typeName}/${req.method.name}`;
    const line = (code: Code | undefined, err: unknown, messages?: number): void => {
      const fields = {
        procedure,
        key: req.contextValues.get(kPrincipal)?.name,
        code: code === undefined ? "ok" : codeName(code),
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(messages === undefined ? {} : { messages }),
      };
      if (code === Code.Internal || code === Code.Unknown) logger.error({ ...fields, err }, "rpc failed");
      else logger.info(fields, "rpc");
    };
    let res;
    try {
      res = await next(req);
    } catch (err) {
      line(ConnectError.from(err).code, err);
      throw err;
    }
    if (!res.stream) {
      line(undefined, undefined);
      return res;
    }
    return { ...res, message: logStream(res, line) };
  };
}

async function* logStream<M>(
  res: { message: AsyncIterable<M> },
  line: (code: Code | undefined, err: unknown, messages?: number) => void,
): AsyncIterable<M> {
  let sent = 0;
  try {
    for await (const m of res.message) {
      sent++;
      yield m;
    }
    line(undefined, undefined, sent);
  } catch (err) {
    line(ConnectError.from(err).code, err, sent);
    throw err;
  }
}

/** The code as Connect spells it on the wire, e.g. "permission_denied". */
function codeName(code: Code): string {
  return Code[code].replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "_") + c.toLowerCase());
}
