import type { SearchHit } from "../../cache/search.js";

export interface LegacySearchRow {
  pppoe: string;
  nombre: string;
  direccion: string;
  id: number;
  origen: "ispcube" | "mikrotik" | "smartolt";
}

/**
 * One row of the old `GET /search?q=`: ISPCube subscribers under their customer, the others
 * "No Vinculado" with what the router ("MK: comment") or the OLT ("OLT SN: …") knows.
 */
export function legacySearchRow(h: SearchHit, extra: { customerId: number | null; secretComment: string | null } | undefined): LegacySearchRow {
  if (h.inIspcube) {
    return { pppoe: h.pppoeUser, nombre: h.customerName ?? "", direccion: h.address ?? "", id: extra?.customerId ?? 0, origen: "ispcube" };
  }
  if (h.inRouteros) {
    const comment = extra?.secretComment?.trim();
    return { pppoe: h.pppoeUser, nombre: "No Vinculado", direccion: comment ? `MK: ${comment}` : "Sin Datos", id: 0, origen: "mikrotik" };
  }
  return { pppoe: h.pppoeUser, nombre: "No Vinculado", direccion: `OLT SN: ${h.onuSerial ?? ""}`, id: 0, origen: "smartolt" };
}
