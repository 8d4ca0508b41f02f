import { createRequire } from "node:module";
import { Channel, Receiver, RouterOSAPI } from "node-routeros";

/**
 * Runtime fixes to node-routeros 1.6.9 (discontinued upstream, so no release will carry them),
 * applied once per process by the pool. Each one closes a failure mode of
 * shared/vendors/routeros.md §2.6 that otherwise hangs a call or kills Beholder:
 *
 * 1. `!empty` (RouterOS ≥ 7.18, §2.6.1) is a no-op until the `!done` that follows. It must not be
 *    taken as `!done`: the channel would close and the real `!done` then hits an unregistered tag.
 * 2. Any other reply word it does not know fails that command like a `!trap` (message starting with
 *    UNKNOWN_REPLY), instead of throwing UNKNOWNREPLY from the socket's data handler.
 * 3. A packet holding more than one reply word is refused (UNTAGGED): the receiver glues replies
 *    that came without `.tag` (§2.6.3) onto the next tagged one, which would hand another call a
 *    mix of both answers.
 * 4. Whatever still throws while a chunk is processed (UNREGISTEREDTAG for a reply to a tag we never
 *    sent or already finished, §2.6.2) destroys the socket with that error instead: node-routeros
 *    then emits `error` on the connection, which the pool listens to, so the process lives and the
 *    connection — whose stream can no longer be trusted — is dropped and its calls rejected.
 * 5. A reply whose terminating zero byte arrives in a TCP chunk of its own is delivered at once
 *    (§2.6.4): the receiver only dispatches a finished sentence when the next one starts or when a
 *    chunk ends with one, so it would otherwise wait for the next hold ping (timeout/2 s later).
 * 6. The hold ping (`#` every timeout/2 s while a command is pending) re-arms from its own reply
 *    without asking whether the hold is still wanted, and only the newest timer is kept. A `#` whose
 *    reply lands after its command finished and the next one started arms a second chain nobody can
 *    clear: it pings an idle link forever (so it never idles out), and once close() has nulled the
 *    connector every ping throws `null.read`, which re-arms at once: an endless timer that keeps
 *    the process alive. The patched chain stops as soon as it is not the current hold.
 *    `patchHoldPing` applies this one alone, for tests that keep the receiver unpatched.
 * 7. The receiver decodes every word as win1252 (§2.6.8), which garbles UTF-8 text and loses the
 *    bytes win1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D: the second byte of UTF-8 `Á Í Ï
 *    Ð Ý`). While the receiver runs, its `win1252` decode is latin1 instead (one char per byte,
 *    lossless even when a word is split across TCP chunks), and the link decodes each value once
 *    whole (text.ts: UTF-8 when the bytes are valid UTF-8, else win1252).
 *
 * The patches touch node-routeros' private members; they are pinned to 1.6.9 (package.json) and
 * the lab tests exercise each of them through real sockets.
 */

/** Start of the trap message for a reply word node-routeros does not know. */
export const UNKNOWN_REPLY = "unknown reply word ";

interface ChannelInternals {
  processPacket(packet: string[]): void;
  trapped: boolean;
  emit(event: string, ...args: unknown[]): boolean;
}

interface ReceiverInternals {
  processRawData(data: Buffer): void;
  sendTagData(tag: string): void;
  socket: { destroy(err?: Error): void };
  currentTag: string | null;
  currentPacket: string[];
  sentencePipe: unknown[];
  processingSentencePipe: boolean;
  dataLength: number;
}

const PATCHED = Symbol.for("beholder.node-routeros.patched");
const KNOWN_REPLIES = new Set(["!re", "!done", "!trap"]);

export function patchNodeRouterOs(): void {
  patchHoldPing();
  const channel = Channel.prototype as unknown as ChannelInternals & { [PATCHED]?: true };
  if (channel[PATCHED]) return;
  channel[PATCHED] = true;

  const processPacket = channel.processPacket;
  channel.processPacket = function (this: ChannelInternals, packet: string[]): void {
    const reply = packet[0];
    if (packet.some((word, i) => i > 0 && word.startsWith("!"))) {
      throw Object.assign(new Error("reply sentences without a tag"), { errno: "UNTAGGED" });
    }
    if (reply === "!empty") return;
    if (reply === undefined || !KNOWN_REPLIES.has(reply)) {
      this.trapped = true;
      this.emit("trap", { message: `${UNKNOWN_REPLY}${reply ?? "(none)"}` });
      return;
    }
    processPacket.call(this, packet);
  };

  const receiver = Receiver.prototype as unknown as ReceiverInternals;
  const processRawData = receiver.processRawData;
  const frames = new WeakMap<ReceiverInternals, FrameState>();
  const bytes = byteDecoding();
  receiver.processRawData = function (this: ReceiverInternals, data: Buffer): void {
    let frame = frames.get(this);
    if (!frame) frames.set(this, (frame = { remaining: 0, prefix: [], atSentenceEnd: false }));
    try {
      trackFrames(frame, data);
      bytes.during(() => processRawData.call(this, data));
      const idle = !this.processingSentencePipe && this.sentencePipe.length === 0 && this.dataLength === 0;
      if (frame.atSentenceEnd && idle && this.currentTag && this.currentPacket.length > 0) this.sendTagData(this.currentTag);
    } catch (err) {
      this.socket.destroy(protocolError(err));
    }
  };
}

interface IconvLike {
  decode(buf: Buffer, encoding: string, options?: unknown): string;
}

/**
 * Item 7: the iconv-lite that node-routeros' receiver calls (resolved from node-routeros, so it is
 * that very module object), with its `win1252` decode made latin1 only while `during` runs. The
 * receiver is synchronous, so nothing else decodes in between; other callers are untouched.
 */
function byteDecoding(): { during(fn: () => void): void } {
  const iconv = createRequire(createRequire(import.meta.url).resolve("node-routeros"))("iconv-lite") as IconvLike;
  const decode = iconv.decode;
  let active = false;
  iconv.decode = function (buf: Buffer, encoding: string, options?: unknown): string {
    if (active && encoding === "win1252") return buf.toString("latin1");
    return decode.call(this, buf, encoding, options);
  };
  return {
    during(fn) {
      active = true;
      try {
        fn();
      } finally {
        active = false;
      }
    },
  };
}

/** Private state of RouterOSAPI that the hold ping reads. */
interface HoldInternals {
  connected: boolean;
  closing: boolean;
  channelsOpen: number;
  timeout: number;
  holdingConnectionWithKeepalive: boolean;
  connector: unknown;
  connectionHoldInterval?: NodeJS.Timeout;
  holdConnection(): void;
}

const HOLD_PATCHED = Symbol.for("beholder.node-routeros.hold-patched");

/** Item 6: node-routeros' holdConnection, with a chain that ends when its hold does. */
export function patchHoldPing(): void {
  const api = RouterOSAPI.prototype as unknown as HoldInternals & { [HOLD_PATCHED]?: true };
  if (api[HOLD_PATCHED]) return;
  api[HOLD_PATCHED] = true;
  api.holdConnection = function (this: HoldInternals): void {
    // As upstream: only the first open channel starts a hold, and keepalive has its own pings.
    if (this.channelsOpen !== 1 || !this.connected || this.holdingConnectionWithKeepalive) return;
    clearTimeout(this.connectionHoldInterval);
    const arm = (): void => {
      const timer: NodeJS.Timeout = setTimeout(() => {
        if (!current(this, timer)) return;
        const ping = new Channel(this.connector as ConstructorParameters<typeof Channel>[0]);
        const next = (): void => {
          if (current(this, timer) && this.channelsOpen > 0) arm();
        };
        ping.write(["#"]).then(next, next);
      }, (this.timeout * 1000) / 2);
      this.connectionHoldInterval = timer;
    };
    arm();
  };
}

/**
 * A chain is live while its timer is the one on record (releaseConnectionHold and close() clear
 * that one, holdConnection replaces it) and the link can still carry a ping.
 */
function current(api: HoldInternals, timer: NodeJS.Timeout): boolean {
  return api.connectionHoldInterval === timer && api.connected && !api.closing && api.connector != null;
}

/** node-routeros rebuilds the error from `errno` alone (RosException), so the code is what survives. */
function protocolError(err: unknown): Error {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return Object.assign(new Error("RouterOS protocol error", { cause: err }), {
    errno: typeof errno === "string" ? errno : "PROTOCOL",
  });
}

/** Word framing (§1.2) followed independently of node-routeros, to know where a chunk ends. */
interface FrameState {
  /** Content bytes still to come for the current word. */
  remaining: number;
  /** Bytes of a length prefix split across chunks. */
  prefix: number[];
  /** The last byte seen ended a sentence (a zero-length word). */
  atSentenceEnd: boolean;
}

function prefixSize(first: number): number {
  if (first < 0x80) return 1;
  if (first < 0xc0) return 2;
  if (first < 0xe0) return 3;
  if (first < 0xf0) return 4;
  return 5;
}

function prefixLength(bytes: readonly number[]): number {
  const [first = 0, ...rest] = bytes;
  const masks = [0x7f, 0x3f, 0x1f, 0x0f, 0x00];
  let len = first & (masks[bytes.length - 1] ?? 0);
  for (const b of rest) len = len * 256 + b;
  return len;
}

function trackFrames(frame: FrameState, data: Buffer): void {
  let i = 0;
  while (i < data.length) {
    if (frame.remaining > 0) {
      const take = Math.min(frame.remaining, data.length - i);
      frame.remaining -= take;
      i += take;
      frame.atSentenceEnd = false;
      continue;
    }
    frame.prefix.push(data[i++] ?? 0);
    if (frame.prefix.length < prefixSize(frame.prefix[0] ?? 0)) {
      frame.atSentenceEnd = false;
      continue;
    }
    frame.remaining = prefixLength(frame.prefix);
    frame.prefix = [];
    frame.atSentenceEnd = frame.remaining === 0;
  }
}
