import type { RouterTarget } from "../../domain/types.js";
import { isVendorError } from "../../vendors/errors.js";
import type { RouterPool } from "../../vendors/routeros/client.js";
import { probe, type ProbeOutcome } from "../probe.js";
import type { PppoeObservation } from "../types.js";
import type { RouterLogs } from "./router-logs.js";

export interface RouterProbeOptions {
  traffic: boolean;
  /** Where the router's log comes from; absent: the log is not read. */
  logs?: RouterLogs;
  budgetMs: number;
  signal?: AbortSignal;
}

/**
 * Secret and session decide whether the router answered; queue, traffic and log are extras that may
 * fail on their own (a missing queue or a log the API user may not read) without losing the rest.
 */
export function probeRouter(pool: RouterPool, router: RouterTarget, user: string, o: RouterProbeOptions): Promise<ProbeOutcome<PppoeObservation>> {
  return probe(o.budgetMs, o.signal, async () => {
    const optional = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
    const [secret, session, queue, traffic, logs] = await Promise.all([
      pool.secret(router, user),
      pool.activeSession(router, user),
      optional(pool.queue(router, user)),
      o.traffic
        ? pool.traffic(router, user).catch((err: unknown) => {
            // No session means no <pppoe-USER> interface: nothing flows, which is an answer.
            if (isVendorError(err, "not_found")) return null;
            return undefined;
          })
        : Promise.resolve(undefined),
      o.logs ? optional(o.logs.read(pool, router)) : Promise.resolve(undefined),
    ]);
    return { secret: secret ?? null, session: session ?? null, queue: queue === undefined ? undefined : queue, traffic, logs };
  });
}
