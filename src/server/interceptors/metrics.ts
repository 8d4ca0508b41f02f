import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Metrics } from "../../metrics/metrics.js";
import { isClientGone } from "../client-gone.js";

/** The code as Connect spells it on the wire, e.g. "permission_denied"; "ok" for success. */
export function codeLabel(code: Code | undefined): string {
  if (code === undefined) return "ok";
  return Code[code].replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "_") + c.toLowerCase());
}

/**
 * Counts every RPC by procedure and final code, and times unary ones. A stream is counted when it
 * ends (a hang-up is `canceled`). Calls refused before the interceptors (no key, too large) are
 * counted by the adapter's `onRefused`.
 */
export function createMetricsInterceptor(metrics: Metrics): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const procedure = `${req.service.typeName}/${req.method.name}`;
    const streaming = req.method.methodKind !== "unary";
    const done = (code: Code | undefined): void => metrics.observeRpc(procedure, codeLabel(code), (performance.now() - started) / 1000, streaming);
    let res;
    try {
      res = await next(req);
    } catch (err) {
      done(isClientGone(err) ? Code.Canceled : ConnectError.from(err).code);
      throw err;
    }
    if (!res.stream) {
      done(undefined);
      return res;
    }
    return { ...res, message: counted(res.message, done, req.signal) };
  };
}

async function* counted<M>(messages: AsyncIterable<M>, done: (code: Code | undefined) => void, signal: AbortSignal): AsyncIterable<M> {
  let settled = false;
  try {
    yield* messages;
    settled = true;
    done(signal.aborted ? Code.Canceled : undefined);
  } catch (err) {
    settled = true;
    done(isClientGone(err) ? Code.Canceled : ConnectError.from(err).code);
    throw err;
  } finally {
    if (!settled) done(Code.Canceled);
  }
}
