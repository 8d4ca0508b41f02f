import { NEIGHBOURHOODS } from "./names.js";
import type { Prng } from "./prng.js";
import type { Odb, Olt, Zone } from "./types.js";

/** Where one fibre subscriber's ONU sits in the outside plant. */
export interface PonSlot {
  oltId: number;
  /** ONU serial vendor prefix matching the OLT's make. */
  vendor: "HWTC" | "ZTEG" | "FHTT" | "TPLG";
  onuType: string;
  board: number;
  port: number;
  onu: number;
  zoneId: number;
  odbId: number;
  odbPort: number;
}

export interface NetworkLayout {
  olts: Olt[];
  zones: Zone[];
  odbs: Odb[];
  slots: PonSlot[];
  /** Key `oltId/board/port` of every PON port, in slot order. */
  ports: string[];
}

interface OltModel {
  hardwareVersion: string;
  boards: number;
  portsPerBoard: number;
  firstOnu: number;
  onuTypes: readonly [PonSlot["vendor"], string][];
}

// Huawei numbers ONUs from 0, ZTE and FiberHome from 1; TP-Link ONTs are common on every make.
const MODELS: readonly OltModel[] = [
  { hardwareVersion: "Huawei-MA5608T", boards: 2, portsPerBoard: 16, firstOnu: 0, onuTypes: [["HWTC", "HG8145V5"], ["HWTC", "EG8145V5"], ["TPLG", "XC220-G3v"]] },
  { hardwareVersion: "ZTE-C320", boards: 2, portsPerBoard: 16, firstOnu: 1, onuTypes: [["ZTEG", "F670L"], ["ZTEG", "F660"], ["TPLG", "XC220-G3v"]] },
  { hardwareVersion: "Huawei-MA5800-X7", boards: 7, portsPerBoard: 16, firstOnu: 0, onuTypes: [["HWTC", "HG8145X6"], ["HWTC", "HG8245H"]] },
  { hardwareVersion: "FiberHome-AN5516-04", boards: 4, portsPerBoard: 16, firstOnu: 1, onuTypes: [["FHTT", "AN5506-04-F"], ["FHTT", "HG6145F"]] },
];

/** PON ports that share a zone: a neighbourhood is fed from a few neighbouring ports. */
const PORTS_PER_ZONE = 4;

/**
 * Lays out OLTs, PON ports (32–64 ONUs each), ODBs (8–16 ONUs each) and zones for `fibre` ONUs.
 * Only a scenario with fewer than 32 fibre subscribers gets a smaller port.
 */
export function layoutNetwork(fibre: number, prng: Prng): NetworkLayout {
  const olts: Olt[] = [];
  const zones: Zone[] = [];
  const odbs: Odb[] = [];
  const slots: PonSlot[] = [];
  const ports: string[] = [];
  let model = MODELS[0] as OltModel;
  let board = 0;
  let port = model.portsPerBoard;
  let zoneId = 0;
  let remaining = fibre;
  while (remaining > 0) {
    const size = portSize(remaining, prng);
    remaining -= size;
    port++;
    if (port >= model.portsPerBoard) {
      port = 0;
      board++;
    }
    if (olts.length === 0 || board >= model.boards) {
      model = MODELS[olts.length % MODELS.length] as OltModel;
      const id = olts.length + 1;
      olts.push({ id, name: `OLT-${String(id).padStart(2, "0")}`, hardwareVersion: model.hardwareVersion, ip: `10.20.${id}.2` });
      board = 0;
      port = 0;
    }
    if (ports.length % PORTS_PER_ZONE === 0) {
      zoneId = zones.length + 1;
      const base = NEIGHBOURHOODS[(zoneId - 1) % NEIGHBOURHOODS.length] as string;
      const round = Math.floor((zoneId - 1) / NEIGHBOURHOODS.length);
      zones.push({ id: zoneId, name: round === 0 ? base : `${base} ${round + 1}` });
    }
    const oltId = olts.length;
    ports.push(`${oltId}/${board}/${port}`);
    let onu = model.firstOnu;
    for (const odbSize of splitIntoOdbs(size, prng)) {
      const odbId = odbs.length + 1;
      const odbPortCount = odbSize <= 8 ? 8 : 16;
      odbs.push({ id: odbId, name: `NAP-${String(odbId).padStart(4, "0")}`, zoneId, ports: odbPortCount });
      for (let k = 0; k < odbSize; k++) {
        const [vendor, onuType] = prng.pick(model.onuTypes);
        slots.push({ oltId, vendor, onuType, board, port, onu: onu++, zoneId, odbId, odbPort: k + 1 });
      }
    }
  }
  return { olts, zones, odbs, slots, ports };
}

function portSize(remaining: number, prng: Prng): number {
  if (remaining <= 64) return remaining;
  const size = prng.int(32, 64);
  // Never leave a tail too small to fill a port of its own.
  return remaining - size < 32 ? remaining - 32 : size;
}

/** Splits a port's ONUs into ODBs of 8–16 (fewer only when the port itself has fewer than 8). */
function splitIntoOdbs(size: number, prng: Prng): number[] {
  if (size <= 16) return [size];
  const count = Math.ceil(size / 12);
  const sizes = Array.from({ length: count }, (_, i) => Math.floor(size / count) + (i < size % count ? 1 : 0));
  for (let n = 0; n < count * 2; n++) {
    const from = prng.int(0, count - 1);
    const to = prng.int(0, count - 1);
    if (from !== to && (sizes[from] as number) > 8 && (sizes[to] as number) < 16) {
      sizes[from] = (sizes[from] as number) - 1;
      sizes[to] = (sizes[to] as number) + 1;
    }
  }
  return sizes;
}
