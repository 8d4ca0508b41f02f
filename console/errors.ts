/** What an RPC error means to an agent, in Spanish, and whether retrying can help. */
import { Code, ConnectError } from "@connectrpc/connect";

export interface ErrorView {
  message: string;
  /** The key is wrong, revoked or lacks the scope: back to sign-in. */
  signOut: boolean;
  /** Seconds the server asked to wait (retry-after), when it said. */
  retryAfterS: number | undefined;
}

export function describeError(err: unknown): ErrorView {
  const e = ConnectError.from(err);
  const retry = Number(e.metadata.get("retry-after") ?? Number.NaN);
  const retryAfterS = Number.isFinite(retry) && retry >= 0 ? retry : undefined;
  switch (e.code) {
    case Code.Unauthenticated:
      return {
        message: "La clave no es válida o fue revocada. Revisá que la copiaste completa; si te la revocaron, pedí una nueva.",
        signOut: true,
        retryAfterS,
      };
    case Code.PermissionDenied:
      return { message: "Tu clave no tiene permiso de lectura (alcance «read»). Pedí una clave de agente.", signOut: true, retryAfterS };
    case Code.ResourceExhausted:
      return {
        message: retryAfterS !== undefined
          ? `Demasiados pedidos o intentos: esperá ${retryAfterS} s y probá de nuevo.`
          : "Demasiados pedidos o intentos: esperá un momento y probá de nuevo.",
        signOut: false,
        retryAfterS,
      };
    case Code.NotFound:
      return { message: notFoundMessage(e.rawMessage), signOut: false, retryAfterS };
    case Code.InvalidArgument:
      return { message: `El pedido no es válido: ${e.rawMessage}`, signOut: false, retryAfterS };
    case Code.Unavailable:
    case Code.Unknown:
    case Code.Canceled:
    case Code.DeadlineExceeded:
      return { message: "No hay conexión con Beholder. Revisá la red; se reintenta solo.", signOut: false, retryAfterS };
    default:
      return { message: `Beholder no pudo responder (${Code[e.code]}): ${e.rawMessage}`, signOut: false, retryAfterS };
  }
}

/** The server's NotFound names up to three close PPPoE users: offer them. */
function notFoundMessage(raw: string): string {
  const suggestions = [...raw.matchAll(/"([^"]+)"/g)].slice(1).map((m) => m[1]);
  const base = "Ningún sistema conoce a ese abonado.";
  return suggestions.length > 0 ? `${base} ¿Quisiste decir ${suggestions.join(", ")}?` : base;
}

export function isConnectCode(err: unknown, code: Code): boolean {
  return ConnectError.from(err).code === code;
}
