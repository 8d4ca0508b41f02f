import type { LiveTrafficResult } from "../../diagnosis/index.js";

const mbps = (bps: number): number => Math.round(bps / 10_000) / 100;

/** The old `GET /live/{pppoe_user}`: `status` "ok" with Mbit/s rounded to two decimals, or "error" with a detail. */
export function legacyLive(r: LiveTrafficResult): Record<string, unknown> {
  if (!r.traffic) {
    const detail = r.source.freshness === "live" ? "El cliente no tiene una sesión PPPoE activa." : r.source.detail || "Router no disponible.";
    return { status: "error", detail };
  }
  return {
    status: "ok",
    router_ip: r.router?.host ?? null,
    download_mbps: mbps(r.traffic.downloadBps),
    upload_mbps: mbps(r.traffic.uploadBps),
    plan_download_mbps: r.plan ? r.plan.downloadKbps / 1000 : null,
    plan_upload_mbps: r.plan ? r.plan.uploadKbps / 1000 : null,
  };
}
