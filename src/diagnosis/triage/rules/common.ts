import type { CustomerFacts, OnuFacts, PeerOnu, PppoeFacts, TriageFacts } from "../facts.js";
import type { Evidence } from "../result.js";
import { evidence, iso } from "../rule.js";
import { formatDbm } from "../../format.js";

/** Evidence helpers: each group's observation travels with its values. */
export function onuEvidence(onu: OnuFacts, field: string, value: string): Evidence {
  return evidence("smartolt", `onu.${field}`, value, onu);
}

export function customerEvidence(c: CustomerFacts, field: string, value: string): Evidence {
  return evidence("ispcube", `customer.${field}`, value, c);
}

export function pppoeEvidence(p: PppoeFacts, field: string, value: string): Evidence {
  return evidence("routeros", field, value, p);
}

export function statusEvidence(onu: OnuFacts): Evidence[] {
  const out = [onuEvidence(onu, "status", onu.status)];
  if (onu.lastStatusChange !== null) out.push(onuEvidence(onu, "last_status_change", iso(onu.lastStatusChange)));
  return out;
}

export function rxEvidence(onu: OnuFacts): Evidence {
  return onuEvidence(onu, "rx_power_dbm", onu.rxPowerDbm === null ? "-" : formatDbm(onu.rxPowerDbm));
}

export function oltRxEvidence(onu: OnuFacts): Evidence {
  return onuEvidence(onu, "olt_rx_power_dbm", onu.oltRxPowerDbm === null ? "-" : formatDbm(onu.oltRxPowerDbm));
}

/** The ONU when it is online with a downstream reading: the only time optical levels mean anything. */
export function onlineOnu(facts: TriageFacts): OnuFacts | null {
  const onu = facts.onu;
  return onu !== null && onu.status === "online" ? onu : null;
}

/** The other ONUs of the customer's ODB (same name; the gather step gives one OLT's peers). */
export function odbPeers(facts: TriageFacts): PeerOnu[] {
  const odb = facts.onu?.odbName;
  if (odb === null || odb === undefined || facts.peers === null) return [];
  return facts.peers.onus.filter((p) => p.odbName === odb && p.externalId !== facts.onu?.externalId);
}

/** The other ONUs of the customer's PON port. */
export function portPeers(facts: TriageFacts): PeerOnu[] {
  const onu = facts.onu;
  if (onu === null || onu.board === null || onu.port === null || facts.peers === null) return [];
  return facts.peers.onus.filter((p) => p.board === onu.board && p.port === onu.port && p.externalId !== onu.externalId);
}

/** "vecinos de NAP-C02: 7/8 en línea", or "" when the peers are unknown. */
export function neighboursText(facts: TriageFacts): string {
  const peers = odbPeers(facts);
  if (peers.length === 0) return "";
  const online = peers.filter((p) => p.status === "online").length;
  return `vecinos de ${facts.onu?.odbName}: ${online}/${peers.length} en línea`;
}

export function peersEvidence(facts: TriageFacts): Evidence[] {
  const peers = odbPeers(facts);
  if (peers.length === 0 || facts.peers === null) return [];
  const online = peers.filter((p) => p.status === "online").length;
  const observedAt = latest(peers.map((p) => p.observedAt));
  return [evidence("smartolt", "odb.peers_online", `${online}/${peers.length}`, { observedAt, freshness: facts.peers.freshness })];
}

export function latest(dates: Array<Date | null>): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d !== null && (best === null || d > best)) best = d;
  return best;
}
