import type { Server, Socket } from "node:net";

export interface Listening {
  port: number;
  /** Stops accepting and cuts every open connection (idempotent). */
  close(): Promise<void>;
}

/**
 * Listens on host:port (0 picks a free port) and tracks connections, so close() can cut them: a
 * simulator told to stop must not wait for clients holding keep-alive or deliberately hung
 * connections. `admit` refuses a connection as it arrives (a simulator that is down).
 */
export async function listenTracked(server: Server, host: string, port: number, admit?: (socket: Socket) => boolean): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    if (admit && !admit(socket)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error(`listening on ${host}:${port} gave no TCP address`);
  let closed: Promise<void> | undefined;
  return {
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

/** A host as it goes in a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
