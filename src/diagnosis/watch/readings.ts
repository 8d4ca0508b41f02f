import type { Vendor } from "../../domain/types.js";
import type { Gathered, SourceReport } from "../types.js";
import type { LiveReadings, WatchSubject } from "./types.js";

/** Who a gather found, reduced to what the pollers need; the key is the same whichever identifier was asked. */
export function subjectOf(g: Gathered): WatchSubject {
  const onu = g.onu?.onu;
  const key = g.pppoeUser
    ? `user:${g.pppoeUser}`
    : onu
      ? `onu:${onu.externalId}`
      : g.customer
        ? `customer:${g.customer.id}`
        : `${g.target.kind}:${g.target.value}`;
  return {
    key,
    pppoeUser: g.pppoeUser,
    onu: onu ? { externalId: onu.externalId, oltId: onu.oltId, board: onu.board, port: onu.port } : null,
    router: g.router ? { name: g.router.name, host: g.router.host, port: g.router.port, nodeId: g.router.nodeId } : null,
    customerId: g.customer?.id ?? null,
  };
}

/**
 * The first gather with the watch's newer live readings in place: the same facts the rules would
 * see had GetDiagnosis read the vendors just now. Pure; the input is not modified.
 */
export function applyReadings(g: Gathered, r: LiveReadings): Gathered {
  let sources = g.sources;
  const live = (source: Vendor, at: Date): void => {
    const fresh: SourceReport = { source, freshness: "live", asOf: at, reason: null, detail: "", latencyMs: null };
    const kept = sources.find((s) => s.source === source);
    sources = kept ? sources.map((s) => (s.source === source ? { ...fresh, latencyMs: s.latencyMs } : s)) : [...sources, fresh];
  };
  let customer = g.customer;
  if (r.customer) {
    customer = r.customer.customer;
    live("ispcube", r.customer.at);
  }
  let onu = g.onu;
  if (onu && r.onuStatus) {
    const { status, lastStatusChange, at } = r.onuStatus;
    onu = { ...onu, statusAt: at, onu: { ...onu.onu, status, lastStatusChange, statusObservedAt: at } };
    live("smartolt", at);
  }
  if (onu && r.onuSignal) {
    const { rxPowerDbm, oltRxPowerDbm, signalCategory, at } = r.onuSignal;
    onu = { ...onu, signalAt: at, onu: { ...onu.onu, rxPowerDbm, oltRxPowerDbm, signalCategory, signalObservedAt: at } };
  }
  let pppoe = g.pppoe;
  if (r.pppoe) {
    pppoe = { ...pppoe, session: r.pppoe.session };
    if (r.pppoe.secret !== undefined) pppoe.secret = r.pppoe.secret;
    // A sample of a session that has ended would show traffic where there is none.
    if (r.pppoe.session === null) pppoe.traffic = null;
    live("routeros", r.pppoe.at);
  }
  if (r.traffic && pppoe.session !== null) pppoe = { ...pppoe, traffic: r.traffic };
  return { ...g, customer, onu, pppoe, sources };
}
