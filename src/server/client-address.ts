import { BlockList, isIP } from "node:net";

/** Decides which address a request comes from, believing X-Forwarded-For only from listed proxies. */
export interface ClientAddresses {
  /** Whether this peer is a trusted proxy. */
  trusts(address: string): boolean;
  /** The client's address: the peer's, or behind trusted proxies the nearest untrusted hop of X-Forwarded-For. */
  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string;
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1, so caps and lists see one address. */
export function normalizeAddress(address: string | undefined): string {
  if (address === undefined || address === "") return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped?.[1] ?? address).toLowerCase();
}

export function createClientAddresses(trustedProxies: readonly string[]): ClientAddresses {
  const list = new BlockList();
  for (const entry of trustedProxies) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  const trusts = (address: string): boolean => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
  };
  return {
    trusts,
    resolve(peer, forwardedFor) {
      let client = normalizeAddress(peer);
      if (trustedProxies.length === 0 || !trusts(client) || forwardedFor === undefined) return client;
      // Each proxy appends the address it saw: walk from the right, past our own proxies. Whatever a
      // client wrote itself sits further left and is never reached while an untrusted hop precedes it.
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map((h) => h.trim());
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalizeAddress(hops[i]);
        if (isIP(hop) === 0) return client;
        client = hop;
        if (!trusts(hop)) return hop;
      }
      return client;
    },
  };
}
