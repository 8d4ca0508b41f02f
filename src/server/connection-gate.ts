/**
 * Counts open connections, in total and per client address, and refuses one over either cap or from
 * an address serving a penalty (a connection closed for abuse). Trusted proxies carry many clients,
 * so only the total applies to them.
 */
export interface ConnectionGate {
  /**
   * A release for the new connection, or undefined when it must be refused. When only the total cap
   * stands in the way, `makeRoom` may free a slot (by releasing another connection) and is asked once.
   */
  admit(address: string, exempt?: boolean, makeRoom?: () => boolean): (() => void) | undefined;
  /** Refuses new connections from this address for `ms`. */
  penalize(address: string, ms: number): void;
  readonly open: number;
}

export interface GateLimits {
  maxConnections: number;
  maxConnectionsPerIp: number;
}

export function createConnectionGate(limits: GateLimits, now: () => number = Date.now): ConnectionGate {
  const perAddress = new Map<string, number>();
  const penalties = new Map<string, number>();
  let open = 0;
  return {
    get open() {
      return open;
    },
    admit(address, exempt = false, makeRoom) {
      const until = penalties.get(address);
      if (until !== undefined) {
        if (until > now()) return undefined;
        penalties.delete(address);
      }
      const mine = perAddress.get(address) ?? 0;
      if (!exempt && mine >= limits.maxConnectionsPerIp) return undefined;
      if (open >= limits.maxConnections && !(makeRoom?.() && open < limits.maxConnections)) return undefined;
      open++;
      perAddress.set(address, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open--;
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left <= 0) perAddress.delete(address);
        else perAddress.set(address, left);
      };
    },
    penalize(address, ms) {
      penalties.set(address, now() + ms);
      // Penalties of addresses that never come back must not pile up.
      if (penalties.size > 10_000) {
        const t = now();
        for (const [a, until] of penalties) if (until <= t) penalties.delete(a);
      }
    },
  };
}
