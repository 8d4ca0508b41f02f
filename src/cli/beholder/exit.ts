import { Code, ConnectError } from "@connectrpc/connect";

/** The beholder CLI's exit codes; scripts may rely on them (documented in its usage and README). */
export const EXIT = {
  ok: 0,
  /** The server failed, answered internal/unknown, or could not be reached in time. */
  server: 1,
  /** Bad arguments, or input the server called invalid. */
  usage: 2,
  notFound: 3,
  /** No key, a wrong or revoked key, or a key without the scope the command needs. */
  auth: 4,
  /** Over a rate limit, or too many open streams (retry after the time given). */
  rateLimited: 5,
  /** The server's state refuses it now: another sync is running, a key name is taken. */
  conflict: 6,
  /** The call worked and the answer says something is unhealthy: a sync source failed, a service not serving. */
  unhealthy: 7,
} as const;

export const EXIT_CODES_TEXT = `Exit codes: 0 ok, 1 server error or unreachable, 2 bad arguments or input, 3 not found,
4 missing/invalid key or scope, 5 rate limited, 6 conflict (a sync running, a name taken),
7 answered but unhealthy (a sync source failed, a service not serving).`;

/** One clear line for a failed call, and the exit code it maps to. */
export function describeError(err: unknown, url: string): { message: string; exit: number } {
  const e = ConnectError.from(err);
  const msg = e.rawMessage;
  switch (e.code) {
    case Code.Unauthenticated:
      return { exit: EXIT.auth, message: `the server refused the key: ${msg}. Pass --key or set BEHOLDER_KEY (first key: npm run keys -- create NAME).` };
    case Code.PermissionDenied:
      return { exit: EXIT.auth, message: `not allowed: ${msg}.` };
    case Code.NotFound:
      return { exit: EXIT.notFound, message: msg };
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return { exit: EXIT.usage, message: `invalid input: ${msg}` };
    case Code.ResourceExhausted: {
      const after = e.metadata.get("retry-after");
      return { exit: EXIT.rateLimited, message: `${msg}${after && !msg.includes("retry") ? ` (retry after ${after} s)` : ""}` };
    }
    case Code.FailedPrecondition:
    case Code.AlreadyExists:
    case Code.Aborted:
      return { exit: EXIT.conflict, message: msg };
    case Code.Unavailable:
      return { exit: EXIT.server, message: `cannot reach Beholder at ${url}: ${msg}. Is the server running (npm start, npm run demo)? Pass --url or set BEHOLDER_URL.` };
    case Code.DeadlineExceeded:
      return { exit: EXIT.server, message: `Beholder at ${url} did not answer in time: ${msg}` };
    case Code.Unimplemented:
      return { exit: EXIT.server, message: `the server at ${url} does not serve this call (${msg}): is it an older Beholder?` };
    case Code.Canceled:
      return { exit: EXIT.server, message: `the call was cancelled: ${msg}` };
    default:
      return { exit: EXIT.server, message: `the server failed (${Code[e.code] ?? e.code}): ${msg}` };
  }
}
