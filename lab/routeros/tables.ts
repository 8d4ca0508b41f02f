import type { RouterWorld } from "../scenario/types.js";
import type { RouterFormat } from "./format.js";
import { formatUptime, parseRatePair } from "./format.js";
import type { Row } from "./query.js";
import type { TrafficMeter } from "./traffic.js";

/**
 * Print tables rendered from the router's world (shared/vendors/routeros.md §3): every value a
 * string, booleans `true`/`false`, ids `*HEX`, MACs uppercase, unset properties left out.
 */
export interface TableContext {
  router: RouterWorld;
  now: Date;
  fmt: RouterFormat;
  meter: TrafficMeter;
  /** When the lab's scenario starts; the router booted a while before it. */
  scenarioStart: Date;
  /**
   * When set, the print's query keeps only rows whose `name` is one of these (`namesWanted`), so a
   * table may skip rendering the others; rows keep the `.id` they have in the full table. A table may
   * still return more: print applies the whole query afterwards.
   */
  names?: ReadonlySet<string>;
}

export type Table = (t: TableContext) => Row[];

const id = (n: number): string => `*${n.toString(16).toUpperCase()}`;
const bool = (b: boolean | undefined): string => (b ? "true" : "false");
// Dynamic entries get large ids on real routers ([I] §1.9).
const DYNAMIC_ID = 0x80000000;

/** Skipped by the print's name filter (`TableContext.names`). */
const unwanted = (t: TableContext, name: string): boolean => t.names !== undefined && !t.names.has(name);

/**
 * The meter's readings for every session now, rendered or not: the meter integrates each session's
 * counters lazily, at its reads, so a session a narrowed print skips must still be read, or a rate
 * changed later (the control API) would be applied back to its last read.
 */
function readEvery(t: TableContext): (name: string) => ReturnType<ReturnType<TrafficMeter["readAll"]>> {
  const read = t.meter.readAll(t.router, t.now);
  if (t.names !== undefined) for (const s of t.router.active) read(s.name);
  return read;
}

/** `list.map(render)` over the items the print's name filter keeps, each with its index in the whole list. */
function renderWanted<T>(t: TableContext, list: readonly T[], name: (x: T) => string, render: (x: T, i: number) => Row): Row[] {
  const rows: Row[] = [];
  list.forEach((x, i) => {
    if (!unwanted(t, name(x))) rows.push(render(x, i));
  });
  return rows;
}

export function pppActive(t: TableContext): Row[] {
  return renderWanted(t, t.router.active, (s) => s.name, (s, i) => {
    const row: Row = {
      ".id": id(DYNAMIC_ID + i),
      name: s.name,
      service: "pppoe",
      "caller-id": s.callerId.toUpperCase(),
      address: s.address,
      uptime: formatUptime(t.now.getTime() - Date.parse(s.since)),
    };
    // v6 dumps carry an empty encoding; v7 fixtures omit it (§3.1).
    if (!t.fmt.isV7) row.encoding = "";
    row["session-id"] = s.sessionId ?? `0x81C0${(i + 1).toString(16).toUpperCase().padStart(4, "0")}`;
    row["limit-bytes-in"] = "0";
    row["limit-bytes-out"] = "0";
    row.radius = "false";
    return row;
  });
}

export function pppSecret(t: TableContext): Row[] {
  return renderWanted(t, t.router.secrets, (s) => s.name, (s, i) => {
    const row: Row = {
      ".id": id(i + 1),
      name: s.name,
      service: s.service,
      "caller-id": (s.callerId ?? "").toUpperCase(),
      // Real routers return the password in clear text (§3.2); clients must ask for a .proplist without it.
      password: s.password,
      profile: s.profile,
    };
    if (s.remoteAddress) row["remote-address"] = s.remoteAddress;
    Object.assign(row, {
      routes: "",
      "ipv6-routes": "",
      "limit-bytes-in": "0",
      "limit-bytes-out": "0",
      "last-logged-out": s.lastLoggedOut ? t.fmt.date(new Date(s.lastLoggedOut)) : t.fmt.never,
      "last-caller-id": (s.lastCallerId ?? "").toUpperCase(),
      "last-disconnect-reason": s.lastDisconnectReason ?? "",
      disabled: bool(s.disabled),
    });
    if (s.comment !== undefined) row.comment = s.comment;
    return row;
  });
}

export function pppProfile(t: TableContext): Row[] {
  // Every router has these two built-in profiles (`*` flag = default, §3.3).
  const builtIn = [
    { name: "default", rowId: "*0" },
    { name: "default-encryption", rowId: "*FFFFFFFE" },
  ];
  const rows: Row[] = [];
  const profileRow = (rowId: string, name: string, isDefault: boolean): Row => {
    const p = t.router.profiles.find((x) => x.name === name);
    const row: Row = { ".id": rowId, name };
    if (p?.localAddress) row["local-address"] = p.localAddress;
    if (p?.rateLimit) row["rate-limit"] = p.rateLimit;
    Object.assign(row, {
      "use-mpls": "default",
      "use-compression": "default",
      "use-encryption": name === "default-encryption" ? "yes" : "default",
      "only-one": "default",
      "change-tcp-mss": "yes",
      "use-upnp": "default",
      "address-list": "",
      "on-up": "",
      "on-down": "",
      default: bool(isDefault),
    });
    return row;
  };
  for (const b of builtIn) rows.push(profileRow(b.rowId, b.name, true));
  t.router.profiles
    .filter((p) => !builtIn.some((b) => b.name === p.name))
    .forEach((p, i) => rows.push(profileRow(id(i + 1), p.name, false)));
  return rows;
}

/** MikroTik OUI plus bytes from the router name, so each router keeps its MACs. */
function etherMac(router: RouterWorld, port: number): string {
  let h = 2166136261;
  for (const c of router.name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const bytes = [0x4c, 0x5e, 0x0c, (h >>> 16) & 0xff, (h >>> 8) & 0xff, ((h & 0xff) + port) & 0xff];
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(":");
}

function counters(rx: number, tx: number, rxAvg: number, txAvg: number): Row {
  return {
    "rx-byte": String(rx),
    "tx-byte": String(tx),
    "rx-packet": String(Math.floor(rx / rxAvg)),
    "tx-packet": String(Math.floor(tx / txAvg)),
    "rx-drop": "0",
    "tx-drop": "0",
    "tx-queue-drop": "0",
    "rx-error": "0",
    "tx-error": "0",
    "fp-rx-byte": "0",
    "fp-tx-byte": "0",
    "fp-rx-packet": "0",
    "fp-tx-packet": "0",
  };
}

export function interfaces(t: TableContext): Row[] {
  let up = 0;
  let down = 0;
  const read = readEvery(t);
  // The ether ports carry the sum of every session, so asking for one of them renders every session.
  const ethers = !unwanted(t, "ether1") || !unwanted(t, "ether2");
  const all: TableContext = ethers ? { ...t, names: undefined } : t;
  const dynamic = renderWanted(all, t.router.active, (s) => `<pppoe-${s.name}>`, (s, i) => {
    const tr = read(s.name);
    up += tr?.uploadBytes ?? 0;
    down += tr?.downloadBytes ?? 0;
    // rx = what the router received = subscriber upload (§3.5); pppoe-in has no mac-address.
    return {
      ".id": id(0xf00000 + i),
      name: `<pppoe-${s.name}>`,
      type: "pppoe-in",
      mtu: "1480",
      "actual-mtu": "1480",
      "last-link-up-time": t.fmt.date(new Date(s.since)),
      "link-downs": "0",
      ...counters(tr?.uploadBytes ?? 0, tr?.downloadBytes ?? 0, 600, 1400),
      running: "true",
      disabled: "false",
      dynamic: "true",
    };
  });
  const boot = t.fmt.date(bootTime(t));
  const ether = (n: number, comment: string, rx: number, tx: number): Row => ({
    ".id": id(n),
    name: `ether${n}`,
    "default-name": `ether${n}`,
    type: "ether",
    mtu: "1500",
    "actual-mtu": "1500",
    l2mtu: "1598",
    "max-l2mtu": "9578",
    "mac-address": etherMac(t.router, n),
    "last-link-up-time": boot,
    "link-downs": "0",
    ...counters(rx, tx, 1400, 600),
    running: "true",
    disabled: "false",
    dynamic: "false",
    comment,
  });
  if (!ethers) return dynamic;
  return [ether(1, "uplink", down, up), ether(2, "pppoe access", up, down), ...dynamic].filter((r) => !unwanted(t, r.name ?? ""));
}

function queueRow(rowId: string, name: string, target: string, max: { upload: number; download: number }, rate: { up: number; down: number; upBytes: number; downBytes: number }, dyn: boolean, disabled: boolean): Row {
  return {
    ".id": rowId,
    name,
    target,
    parent: "none",
    "packet-marks": "",
    priority: "8/8",
    queue: "default-small/default-small",
    "limit-at": "0/0",
    "max-limit": `${max.upload}/${max.download}`,
    "burst-limit": "0/0",
    "burst-threshold": "0/0",
    "burst-time": "0s/0s",
    "bucket-size": "0.1/0.1",
    bytes: `${rate.upBytes}/${rate.downBytes}`,
    "total-bytes": "0",
    packets: `${Math.floor(rate.upBytes / 600)}/${Math.floor(rate.downBytes / 1400)}`,
    "total-packets": "0",
    dropped: "0/0",
    "total-dropped": "0",
    rate: `${rate.up}/${rate.down}`,
    "total-rate": "0",
    "packet-rate": `${Math.round(rate.up / 8 / 600)}/${Math.round(rate.down / 8 / 1400)}`,
    "total-packet-rate": "0",
    "queued-packets": "0/0",
    "total-queued-packets": "0",
    "queued-bytes": "0/0",
    "total-queued-bytes": "0",
    invalid: "false",
    dynamic: bool(dyn),
    disabled: bool(disabled),
  };
}

export function simpleQueues(t: TableContext): Row[] {
  const read = readEvery(t);
  const rateOf = (user: string | undefined): { up: number; down: number; upBytes: number; downBytes: number } => {
    const tr = user === undefined ? undefined : read(user);
    return { up: tr?.uploadBps ?? 0, down: tr?.downloadBps ?? 0, upBytes: tr?.uploadBytes ?? 0, downBytes: tr?.downloadBytes ?? 0 };
  };
  // The session a static queue shapes: the first, in the active list's order, whose address or
  // <pppoe-NAME> is the queue's target (indexed once, not searched per queue).
  const position = new Map(t.router.active.map((s, i) => [s, i] as const));
  const byAddress = new Map<string, (typeof t.router.active)[number]>();
  const byInterface = new Map<string, (typeof t.router.active)[number]>();
  for (const s of t.router.active) {
    if (s.address !== undefined && !byAddress.has(s.address)) byAddress.set(s.address, s);
    const name = `<pppoe-${s.name}>`;
    if (!byInterface.has(name)) byInterface.set(name, s);
  }
  const statics = renderWanted(t, t.router.queues, (q) => q.name, (q, i) => {
    const addr = q.target.replace(/\/32$/, "");
    const candidates = [byAddress.get(addr), byInterface.get(q.target)].filter((s) => s !== undefined);
    const user = candidates.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0))[0]?.name;
    const max = parseRatePair(q.maxLimit) ?? { upload: 0, download: 0 };
    return queueRow(id(i + 1), q.name, q.target, max, rateOf(q.disabled ? undefined : user), false, q.disabled ?? false);
  });
  // A profile rate-limit makes a dynamic <pppoe-USER> queue while the user is connected (§3.4).
  const dynamic: Row[] = [];
  t.router.active.forEach((s, i) => {
    const name = `<pppoe-${s.name}>`;
    if (unwanted(t, name)) return;
    const tr = read(s.name);
    if (!tr?.limit) return;
    dynamic.push(queueRow(id(0x1000000 + i), name, name, tr.limit, rateOf(s.name), true, false));
  });
  return [...statics, ...dynamic];
}

export function logs(t: TableContext): Row[] {
  return t.router.logs
    .map((l) => ({ l, at: Date.parse(l.time) }))
    .filter((x) => x.at <= t.now.getTime())
    .sort((a, b) => a.at - b.at)
    .map(({ l, at }, i) => {
      const row: Row = { ".id": id(i + 1), time: t.fmt.logTime(new Date(at), t.now), topics: l.topics, message: l.message };
      if (t.fmt.isV7) row.buffer = "memory";
      return row;
    });
}

/** Booted a week before the scenario starts, or before its oldest session. */
function bootTime(t: TableContext): Date {
  const since = t.router.active.map((s) => Date.parse(s.since));
  return new Date(Math.min(t.scenarioStart.getTime() - 7 * 86400000, ...since) - 60000);
}

export function systemResource(t: TableContext): Row[] {
  const v7 = t.fmt.isV7;
  return [
    {
      uptime: formatUptime(t.now.getTime() - bootTime(t).getTime()),
      version: `${t.router.version}${v7 ? "" : ".10"} (${v7 ? "stable" : "long-term"})`,
      "build-time": v7 ? "2024-01-15 10:00:00" : "jan/15/2024 10:00:00",
      "free-memory": "811298816",
      "total-memory": "1073741824",
      cpu: v7 ? "ARM64" : "ARMv7",
      "cpu-count": "4",
      "cpu-frequency": "1400",
      "cpu-load": String(3 + (t.router.active.length % 20)),
      "free-hdd-space": "95715328",
      "total-hdd-space": "134217728",
      "architecture-name": v7 ? "arm64" : "arm",
      "board-name": "CCR2004-1G-12S+2XS",
      platform: "MikroTik",
    },
  ];
}

export function systemIdentity(t: TableContext): Row[] {
  return [{ name: t.router.identity }];
}

/** Print menus by path; `getall` is an alias of `print` (§1.3). */
export const printTables: Readonly<Record<string, Table>> = Object.freeze({
  "/ppp/active": pppActive,
  "/ppp/secret": pppSecret,
  "/ppp/profile": pppProfile,
  "/interface": interfaces,
  "/queue/simple": simpleQueues,
  "/log": logs,
  "/system/resource": systemResource,
  "/system/identity": systemIdentity,
});
