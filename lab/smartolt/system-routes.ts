import type { Olt, Onu } from "../scenario/types.js";
import { formatDbm, formatInstant, readings, renderOdb, renderOlt, renderZone, type RenderContext } from "./render.js";
import { failure, list, type Route, type RouteReply, type RouteRequest } from "./route.js";

/** The `system/*` endpoints (shared/vendors/smartolt.md §2.1). */
export function systemRoutes(): Record<string, Route> {
  return {
    "system/get_olts": {
      method: "GET",
      arg: "none",
      handle: (req) => list(req.world.olts.map(renderOlt)),
    },
    "system/get_zones": {
      method: "GET",
      arg: "none",
      handle: (req) => list(req.world.zones.map(renderZone)),
    },
    // §2.1: [RE-contracts] writes this one with an optional `/{zone_id}`.
    "system/get_odbs": {
      method: "GET",
      arg: "optional",
      handle: (req) =>
        list(
          req.world.odbs
            .filter((d) => req.arg === undefined || String(d.zoneId) === req.arg)
            .map((d) => renderOdb(d, req.rc)),
        ),
    },
    "system/get_olt_pon_ports_details": {
      method: "GET",
      arg: "required",
      handle: (req) => withOlt(req, (olt) => list(ponPorts(req, olt).map(renderPonPort))),
    },
    "system/get_outage_pons": {
      method: "GET",
      arg: "required",
      handle: (req) =>
        withOlt(req, (olt) => list(ponPorts(req, olt).filter(isOutage).map((p) => renderOutage(p, olt, req.rc)))),
    },
  };
}

function withOlt(req: RouteRequest, answer: (olt: Olt) => RouteReply): RouteReply {
  const olt = req.world.olts.find((o) => String(o.id) === req.arg);
  return olt ? answer(olt) : failure(400, "Invalid OLT ID");
}

interface PonPort {
  board: number;
  port: number;
  total: number;
  online: number;
  los: number;
  powerFail: number;
  oltRxSum: number;
  oltRxCount: number;
  /** Latest status change among the ONUs that are down, epoch ms. */
  latestDownMs: number;
}

const NO_LEVELS = { oltRxSum: 0, oltRxCount: 0, latestDownMs: 0 } as const;

/** The OLT's PON ports as seen through its ONUs: the scenario has no port objects of its own. */
function ponPorts(req: RouteRequest, olt: Olt): PonPort[] {
  const ports = new Map<string, PonPort>();
  for (const onu of req.world.onus) {
    if (onu.oltId !== olt.id) continue;
    const key = `${onu.board}/${onu.port}`;
    let p = ports.get(key);
    if (!p) {
      p = { board: onu.board, port: onu.port, total: 0, online: 0, los: 0, powerFail: 0, ...NO_LEVELS };
      ports.set(key, p);
    }
    tally(p, onu);
  }
  return [...ports.values()].sort((a, b) => a.board - b.board || a.port - b.port);
}

function tally(p: PonPort, onu: Onu): void {
  p.total++;
  if (onu.status === "Online") p.online++;
  if (onu.status === "LOS") p.los++;
  if (onu.status === "Power fail") p.powerFail++;
  if (onu.status === "LOS" || onu.status === "Power fail") {
    const ms = Date.parse(onu.lastStatusChange);
    if (ms > p.latestDownMs) p.latestDownMs = ms;
  }
  const { oltRx } = readings(onu);
  if (oltRx !== null) {
    p.oltRxSum += oltRx;
    p.oltRxCount++;
  }
}

/**
 * Counts and the average are numbers here, unlike nearly everything else: the one schema that parses
 * this endpoint ([GIS], §4) types them so. The average is over OLT RX (1310) of the online ONUs, the
 * level the OLT port itself measures [I].
 */
function renderPonPort(p: PonPort): Record<string, unknown> {
  return {
    board: String(p.board),
    pon_port: String(p.port),
    pon_type: "gpon",
    admin_status: "Enabled",
    operational_status: p.online > 0 || p.total === 0 ? "Up" : "Down",
    description: "",
    min_range: "0",
    max_range: "20000",
    tx_power: formatDbm(5),
    onus_count: p.total,
    online_onus_count: p.online,
    average_signal: p.oltRxCount === 0 ? null : Math.round((p.oltRxSum / p.oltRxCount) * 100) / 100,
  };
}

/**
 * SmartOLT's outage rule is not documented [I]: a port counts as an outage when at least half its ONUs
 * are in LOS or Power fail (a feeder cut or a neighbourhood blackout), not when one subscriber is down.
 */
function isOutage(p: PonPort): boolean {
  const down = p.los + p.powerFail;
  return down > 0 && down * 2 >= p.total;
}

function renderOutage(p: PonPort, olt: Olt, rc: RenderContext): Record<string, unknown> {
  return {
    olt_id: String(olt.id),
    olt_name: olt.name,
    board: String(p.board),
    port: String(p.port),
    pon_description: "",
    total_onus: String(p.total),
    cause: p.los >= p.powerFail ? "LOS" : "Power fail",
    los_count: String(p.los),
    power_count: String(p.powerFail),
    latest_status_change: formatInstant(new Date(p.latestDownMs).toISOString(), rc),
  };
}
