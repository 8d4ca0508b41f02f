import type { RouterLogLine } from "./types.js";

/**
 * The PPPoE server's log lines for a session starting and ending, as RouterOS writes them (topics and
 * wording from shared/vendors/routeros.md §3.8). Shared by the generator, the example scenarios and the
 * control API so that flapping and mass disconnects look the same wherever they come from.
 */
export function sessionUpLines(user: string, address: string, at: Date): RouterLogLine[] {
  return [
    { time: new Date(at.getTime() - 1000).toISOString(), topics: "pppoe,ppp,info", message: `<pppoe-${user}>: authenticated` },
    { time: at.toISOString(), topics: "pppoe,ppp,info", message: `<pppoe-${user}>: connected` },
    { time: at.toISOString(), topics: "pppoe,ppp,info,account", message: `${user} logged in, ${address}` },
  ];
}

/** `reason` is the secret's last-disconnect-reason; a vanished peer gets the LCP-timeout wording. */
export function sessionDownLines(user: string, at: Date, reason: string, uptimeSeconds: number): RouterLogLine[] {
  const why = reason === "hung-up" ? "peer is not responding" : reason === "peer-request" ? "hungup" : reason;
  const t = at.toISOString();
  return [
    { time: t, topics: "pppoe,ppp,info", message: `<pppoe-${user}>: terminating... - ${why}` },
    { time: t, topics: "pppoe,ppp,info,account", message: `${user} logged out, ${Math.max(0, Math.round(uptimeSeconds))} 0 0 0 0` },
    { time: t, topics: "pppoe,ppp,info", message: `<pppoe-${user}>: disconnected` },
  ];
}
