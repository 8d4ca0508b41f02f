import { parseLocal } from "../../src/time/zoned-time.js";
import type { Onu } from "../scenario/types.js";
import { bulkFilter, param } from "./filters.js";
import { renderOnuDetails, renderOnuRecord } from "./render-record.js";
import { renderOnuSignal, renderOnuStatus, renderSignalRow, renderStatusRow } from "./render.js";
import { failure, list, type Route, type RouteReply, type RouteRequest } from "./route.js";

/** Keys of `get_all_onus_details`: the unpaged export has its own cap (§3), so it is told apart. */
export const ALL_DETAILS = "onu/get_all_onus_details";
export const ALL_DETAILS_PAGED = "onu/get_all_onus_details?paged";

const MAX_PAGE_SIZE = 100;

/** The `onu/*` endpoints (shared/vendors/smartolt.md §2.2, §2.3, §2.6). */
export function onuRoutes(): Record<string, Route> {
  return {
    "onu/get_onus_statuses": {
      method: "GET",
      arg: "none",
      handle: (req) => {
        const keep = bulkFilter(req.world, req.query, { odb: false });
        const rows: unknown[] = [];
        for (const onu of req.world.onus) if (keep(onu)) rows.push(renderStatusRow(onu, req.rc));
        return list(rows);
      },
    },
    "onu/get_onus_signals": {
      method: "GET",
      arg: "none",
      handle: (req) => {
        const keep = bulkFilter(req.world, req.query, { odb: false });
        const rows: unknown[] = [];
        for (const onu of req.world.onus) if (keep(onu)) rows.push(renderSignalRow(onu));
        return list(rows);
      },
    },
    [ALL_DETAILS]: {
      method: "GET",
      arg: "none",
      key: (query) => (isPaged(query) ? ALL_DETAILS_PAGED : ALL_DETAILS),
      handle: allOnusDetails,
    },
    "onu/get_onu_details": {
      method: "GET",
      arg: "required",
      handle: (req) =>
        withOnu(req, (onu) => ({ status: 200, body: { status: true, onu_details: renderOnuDetails(onu, req.rc) } })),
    },
    "onu/get_onu_status": {
      method: "GET",
      arg: "required",
      handle: (req) => withOnu(req, (onu) => ({ status: 200, body: renderOnuStatus(onu, req.rc) })),
    },
    "onu/get_onu_signal": {
      method: "GET",
      arg: "required",
      handle: (req) => withOnu(req, (onu) => ({ status: 200, body: renderOnuSignal(onu) })),
    },
    "onu/get_onus_details_by_sn": {
      method: "GET",
      arg: "required",
      handle: (req) => {
        // An array: one SN may be authorized on several OLTs (§2.3).
        const onus = req.world.onus.filter((o) => o.sn === req.arg);
        if (onus.length === 0) return failure(400, "Invalid ONU serial number");
        const rows = onus.map((o) => renderOnuRecord(o, req.rc));
        return { status: 200, body: { status: true, response_code: "success", onus: rows } };
      },
    },
    "onu/reboot": {
      method: "POST",
      arg: "required",
      handle: (req) =>
        withOnu(req, (onu) =>
          // §2.6: a failed reboot arrives as 400; an ONU that is not online cannot take the command.
          req.reboots.start(onu, req.nowMs)
            ? { status: 200, body: { status: true, response_code: "success", response: "Device reboot command sent" } }
            : failure(400, "ONU is not online, reboot command could not be sent"),
        ),
    },
    "onu/resync_config": {
      method: "POST",
      arg: "required",
      handle: (req) =>
        withOnu(req, () => ({
          status: 200,
          body: { status: true, response_code: "success", response: "Config resync started" },
        })),
    },
  };
}

/**
 * No source shows SmartOLT's message for an unknown external id (§1.4, §8); a 400 with the documented
 * error shape matches how it reports other failed lookups.
 */
function withOnu(req: RouteRequest, answer: (onu: Onu) => RouteReply): RouteReply {
  const onu = req.world.onus.find((o) => o.externalId === req.arg);
  return onu ? answer(onu) : failure(400, "Invalid ONU external ID");
}

function isPaged(query: URLSearchParams): boolean {
  return param(query, "page") !== undefined || param(query, "page_size") !== undefined;
}

/**
 * §2.2: without `page`/`page_size` a full export under `onus`; with them a page envelope
 * `{page,page_size,total_items,total_pages,onus}` (the capture shows no `status`, so none is sent).
 * `updated_since` is read in the account's timezone and compares with config changes only.
 */
function allOnusDetails(req: RouteRequest): RouteReply {
  const keep = bulkFilter(req.world, req.query, { odb: true });
  const since = param(req.query, "updated_since");
  let sinceMs: number | undefined;
  if (since !== undefined) {
    sinceMs = parseLocal(since, req.rc.timeZone)?.getTime();
    if (sinceMs === undefined) return failure(400, "Invalid parameters: updated_since must be YYYY-MM-DD HH:MM:SS");
  }
  const matches =
    sinceMs === undefined
      ? keep
      : (onu: Onu): boolean => keep(onu) && Date.parse(onu.updatedAt) >= (sinceMs as number);

  if (!isPaged(req.query)) {
    const onus: unknown[] = [];
    for (const onu of req.world.onus) if (matches(onu)) onus.push(renderOnuRecord(onu, req.rc));
    return { status: 200, body: { status: true, onus } };
  }

  const page = positiveInt(param(req.query, "page") ?? "1");
  if (page === undefined) return failure(400, "Invalid parameters: page must be a positive integer");
  const pageSize = positiveInt(param(req.query, "page_size") ?? String(MAX_PAGE_SIZE));
  if (pageSize === undefined || pageSize > MAX_PAGE_SIZE) {
    return failure(400, `Invalid parameters: page_size must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  // One pass: count every match, render only the requested page.
  const first = (page - 1) * pageSize;
  const onus: unknown[] = [];
  let total = 0;
  for (const onu of req.world.onus) {
    if (!matches(onu)) continue;
    if (total >= first && total < first + pageSize) onus.push(renderOnuRecord(onu, req.rc));
    total++;
  }
  return {
    status: 200,
    body: { page, page_size: pageSize, total_items: total, total_pages: Math.ceil(total / pageSize), onus },
  };
}

function positiveInt(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}
