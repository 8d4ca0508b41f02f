import net from "node:net";

/**
 * A bare HTTP/2 client that writes frames by hand, as an attacker's tool would: it ignores the
 * server's SETTINGS, opens streams past any limit and resets them at once (rapid reset). Only what
 * the transport tests need: HEADERS with literal (unindexed) fields, RST_STREAM, and reading GOAWAY.
 */
export interface RawH2 {
  socket: net.Socket;
  /** Opens a stream with HEADERS (END_HEADERS; END_STREAM when endStream). */
  headers(streamId: number, fields: [string, string][], endStream: boolean): void;
  /** A DATA frame (END_STREAM when endStream). */
  data(streamId: number, payload: Uint8Array, endStream: boolean): void;
  /** RST_STREAM with CANCEL. */
  reset(streamId: number): void;
  /** Resolves with the GOAWAY error code once one arrives (or undefined if the socket closes without). */
  goaway: Promise<number | undefined>;
  /** The server's SETTINGS as received. */
  settings: Promise<Map<number, number>>;
  closed: Promise<void>;
}

const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK literal header field without indexing, new name; strings under 127 bytes. */
function literal(name: string, value: string): Buffer {
  const n = Buffer.from(name);
  const v = Buffer.from(value);
  return Buffer.concat([Buffer.from([0x00, n.length]), n, Buffer.from([v.length]), v]);
}

export async function connectRawH2(port: number, host = "127.0.0.1", localAddress?: string): Promise<RawH2> {
  const socket = net.connect({ port, host, ...(localAddress ? { localAddress } : {}) });
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("close", () => reject(new Error("connection refused or reset")));
  });
  socket.write(PREFACE);
  socket.write(frame(0x4, 0, 0, Buffer.alloc(0)));
  let buffered = Buffer.alloc(0);
  let onGoaway: (code: number | undefined) => void = () => undefined;
  let onSettings: (s: Map<number, number>) => void = () => undefined;
  const goaway = new Promise<number | undefined>((resolve) => (onGoaway = resolve));
  const settings = new Promise<Map<number, number>>((resolve) => (onSettings = resolve));
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 9) {
      const length = buffered.readUIntBE(0, 3);
      if (buffered.length < 9 + length) break;
      const [type, flags] = [buffered[3], buffered[4] ?? 0];
      const payload = buffered.subarray(9, 9 + length);
      buffered = buffered.subarray(9 + length);
      if (type === 0x4 && (flags & 0x1) === 0) {
        const s = new Map<number, number>();
        for (let i = 0; i + 6 <= payload.length; i += 6) s.set(payload.readUInt16BE(i), payload.readUInt32BE(i + 2));
        onSettings(s);
        socket.write(frame(0x4, 0x1, 0, Buffer.alloc(0)));
      } else if (type === 0x7) {
        onGoaway(payload.readUInt32BE(4));
      }
    }
  });
  // Not events.once: it rejects on the 'error' (ECONNRESET) that precedes a reset's 'close'.
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve())).then(() => onGoaway(undefined));
  return {
    socket,
    headers(streamId, fields, endStream) {
      const block = Buffer.concat(fields.map(([n, v]) => literal(n, v)));
      if (!socket.destroyed) socket.write(frame(0x1, 0x4 | (endStream ? 0x1 : 0), streamId, block));
    },
    data(streamId, payload, endStream) {
      if (!socket.destroyed) socket.write(frame(0x0, endStream ? 0x1 : 0, streamId, Buffer.from(payload)));
    },
    reset(streamId) {
      const code = Buffer.alloc(4);
      code.writeUInt32BE(0x8);
      if (!socket.destroyed) socket.write(frame(0x3, 0, streamId, code));
    },
    goaway,
    settings,
    closed,
  };
}

/** The request fields of a POST to a Beholder procedure over gRPC. */
export function grpcRequest(path: string, authority: string, extra: [string, string][] = []): [string, string][] {
  return [
    [":method", "POST"],
    [":scheme", "http"],
    [":authority", authority],
    [":path", path],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
    ...extra,
  ];
}
