import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { StreamRefusal, StreamSlots } from "../../auth/stream-slots.js";
import { kClientIp, kPrincipal } from "../context-values.js";

const WHO: Record<StreamRefusal, string> = {
  key: "for this key",
  address: "from this address",
  total: "on this server",
};

/**
 * Every streaming call holds a slot while it is open, keyed or public (grpc.health.v1.Health/Watch
 * needs no key): per key, per client address and in total. Over a cap: ResourceExhausted, so a
 * client learns to close a stream rather than the server learning to run out of memory.
 */
export function createStreamCapInterceptor(slots: StreamSlots): Interceptor {
  return (next) => async (req) => {
    if (req.method.methodKind === "unary") return next(req);
    const slot = slots.acquireStream({ key: req.contextValues.get(kPrincipal)?.name, ip: req.contextValues.get(kClientIp) });
    if (typeof slot === "string") {
      throw new ConnectError(`too many open streams ${WHO[slot]}; close one first`, Code.ResourceExhausted, { "retry-after": "5" });
    }
    let res;
    try {
      res = await next(req);
    } catch (err) {
      slot();
      throw err;
    }
    if (!res.stream) {
      slot();
      return res;
    }
    return { ...res, message: releasing(res.message, slot) };
  };
}

async function* releasing<T>(messages: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  try {
    yield* messages;
  } finally {
    release();
  }
}
