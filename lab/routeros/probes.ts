import type { RouterWorld } from "../scenario/types.js";
import type { RouterFormat } from "./format.js";
import type { Row } from "./query.js";
import type { TrafficMeter } from "./traffic.js";

/**
 * Rows of the two live probes: `/interface/monitor-traffic` (§3.6) and `/ping` (§3.7). Pure given
 * the world and the time; the session paces them.
 */

/** Bits per second seen on an interface, or undefined when there is no such interface. */
export function interfaceRates(router: RouterWorld, meter: TrafficMeter, name: string, now: Date): { rx: number; tx: number } | undefined {
  const m = /^<pppoe-(.+)>$/.exec(name);
  if (m) {
    const tr = meter.read(router, m[1] ?? "", now);
    // rx = router received = subscriber upload (§3.6).
    return tr ? { rx: tr.uploadBps, tx: tr.downloadBps } : undefined;
  }
  if (name !== "ether1" && name !== "ether2") return undefined;
  let up = 0;
  let down = 0;
  const read = meter.readAll(router, now);
  for (const s of router.active) {
    const tr = read(s.name);
    up += tr?.uploadBps ?? 0;
    down += tr?.downloadBps ?? 0;
  }
  return name === "ether1" ? { rx: down, tx: up } : { rx: up, tx: down };
}

export function monitorRow(name: string, rates: { rx: number; tx: number }): Row {
  return {
    name,
    "rx-packets-per-second": String(Math.round(rates.rx / 8 / 600)),
    "rx-bits-per-second": String(rates.rx),
    "fp-rx-packets-per-second": "0",
    "fp-rx-bits-per-second": "0",
    "rx-drops-per-second": "0",
    "rx-errors-per-second": "0",
    "tx-packets-per-second": String(Math.round(rates.tx / 8 / 1400)),
    "tx-bits-per-second": String(rates.tx),
    "fp-tx-packets-per-second": "0",
    "fp-tx-bits-per-second": "0",
    "tx-drops-per-second": "0",
    "tx-queue-drops-per-second": "0",
    "tx-errors-per-second": "0",
  };
}

export interface PingTally {
  sent: number;
  received: number;
  minRtt: number;
  maxRtt: number;
  sumRtt: number;
}

export function createPingTally(): PingTally {
  return { sent: 0, received: 0, minRtt: Infinity, maxRtt: 0, sumRtt: 0 };
}

/**
 * One ping row. A session's address answers after its `rttMs` (losing `pingLoss` of the requests,
 * spread evenly by seq so tests are repeatable); the profiles' local addresses answer at once;
 * anything else times out, since the lab reaches no real network.
 */
export function pingRow(router: RouterWorld, fmt: RouterFormat, address: string, size: number, seq: number, tally: PingTally): Row {
  const session = router.active.find((s) => s.address === address);
  const local = address === "127.0.0.1" || router.profiles.some((p) => p.localAddress === address);
  let rtt: number | undefined;
  if (session) {
    const loss = Math.min(1, Math.max(0, session.pingLoss ?? 0));
    const lost = Math.floor((seq + 1) * loss) > Math.floor(seq * loss);
    if (!lost) rtt = (session.rttMs ?? 3) + (seq % 3) * 0.417;
  } else if (local) {
    rtt = 0.05;
  }
  tally.sent++;
  const row: Row = { seq: String(seq), host: address };
  if (rtt !== undefined) {
    tally.received++;
    tally.minRtt = Math.min(tally.minRtt, rtt);
    tally.maxRtt = Math.max(tally.maxRtt, rtt);
    tally.sumRtt += rtt;
    Object.assign(row, { size: String(size), ttl: "64", time: fmt.pingTime(rtt) });
  } else {
    row.status = "timeout";
  }
  Object.assign(row, {
    sent: String(tally.sent),
    received: String(tally.received),
    // No `%` on the API (§3.7).
    "packet-loss": String(Math.floor((100 * (tally.sent - tally.received)) / tally.sent)),
  });
  if (tally.received > 0) {
    Object.assign(row, {
      "min-rtt": fmt.pingTime(tally.minRtt),
      "avg-rtt": fmt.pingTime(tally.sumRtt / tally.received),
      "max-rtt": fmt.pingTime(tally.maxRtt),
    });
  }
  return row;
}
