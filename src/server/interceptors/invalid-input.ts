import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { binaryParseError, isBinaryParseError } from "../protocol-errors.js";

/**
 * Streaming calls parse their request inside the interceptors: a request that is not valid binary
 * protobuf is the client's error (InvalidArgument), not Connect's default Internal. Unary calls parse
 * earlier; connect-adapter.ts corrects those in the response.
 */
export function createInvalidInputInterceptor(): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      const e = ConnectError.from(err);
      throw isBinaryParseError(e) ? binaryParseError(e, req.method.input.typeName) : err;
    }
  };
}
