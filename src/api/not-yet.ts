import { Code, ConnectError } from "@connectrpc/connect";

/** For RPCs whose engine has not landed yet: say so plainly instead of pretending. */
export function notYet(procedure: string, arrivesWith: string): ConnectError {
  return new ConnectError(`${procedure} is not implemented yet: it arrives with ${arrivesWith}`, Code.Unimplemented);
}
