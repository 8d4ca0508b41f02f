/**
 * Every threshold of the triage rules and the outage correlation (shared/triage.md), with its
 * default, the name a finding reports it under, the environment variable that overrides it and its
 * unit. Pure data: config.ts reads the variables, triage/ and outage/ receive a `Thresholds`.
 */

export type ThresholdUnit = "dBm" | "dB" | "percent" | "count" | "seconds";

export interface ThresholdDef {
  /** Name reported in findings (proto Threshold.name). */
  name: string;
  env: string;
  default: number;
  unit: ThresholdUnit;
  description: string;
}

function def<N extends string>(
  name: N,
  defaultValue: number,
  unit: ThresholdUnit,
  description: string,
): ThresholdDef & { name: N; env: `TRIAGE_${Uppercase<N>}` } {
  return { name, env: `TRIAGE_${name.toUpperCase() as Uppercase<N>}`, default: defaultValue, unit, description };
}

export const THRESHOLD_DEFS = {
  // ITU-T G.984.2 Amd.1 class B+ and the operating bands ISPs use (triage.md §1).
  onuRxOverloadDbm: def("onu_rx_overload_dbm", -8, "dBm", "ONU Rx above this: overload (too hot)"),
  onuRxWarningDbm: def("onu_rx_warning_dbm", -25, "dBm", "ONU Rx below this: low margin (warning)"),
  onuRxCriticalDbm: def("onu_rx_critical_dbm", -27, "dBm", "ONU Rx below this: at the sensitivity edge (critical)"),
  onuRxFailedDbm: def("onu_rx_failed_dbm", -28, "dBm", "ONU Rx below this: failed"),
  oltRxOverloadDbm: def("olt_rx_overload_dbm", -8, "dBm", "OLT Rx for the ONU above this: overload"),
  oltRxWarningDbm: def("olt_rx_warning_dbm", -27, "dBm", "OLT Rx for the ONU below this: warning"),
  oltRxCriticalDbm: def("olt_rx_critical_dbm", -28, "dBm", "OLT Rx for the ONU below this: critical"),
  // Relative optics (triage.md §1).
  rxDropVsMedianDb: def("rx_drop_vs_median_db", 2, "dB", "drop against the ONU's own recent median: degrading drop or connector"),
  rxMedianMinSamples: def("rx_median_min_samples", 3, "count", "signal samples needed for a median"),
  rxMedianLookbackS: def("rx_median_lookback_s", 7 * 86_400, "seconds", "age of the oldest signal sample in the median"),
  odbPeerCount: def("odb_peer_count", 3, "count", "best online ODB peers averaged as the reference"),
  odbPeerWarningDb: def("odb_peer_warning_db", 1, "dB", "worse than the ODB peers' reference by this: warning"),
  odbPeerCriticalDb: def("odb_peer_critical_db", 3, "dB", "worse than the ODB peers' reference by this: the drop or connector"),
  odbLowMinOnus: def("odb_low_min_onus", 3, "count", "online ONUs with a reading needed to call a whole ODB low"),
  odbLowPercent: def("odb_low_percent", 80, "percent", "share of an ODB's online ONUs below the warning level: feeder or splitter"),
  ponDropDb: def("pon_drop_db", 1.5, "dB", "drop against its own median counted for the PON port"),
  ponDropMinOnus: def("pon_drop_min_onus", 2, "count", "ONUs of one PON port dropping together: suspect the PON or feeder"),
  // Scope (triage.md §3).
  pollIntervalS: def("poll_interval_s", 300, "seconds", "interval of the ONU status poll (one poll cycle)"),
  ponDownPercent: def("pon_down_percent", 90, "percent", "share of a PON port's ONUs in LOS within one window: PON down"),
  ponDownWindowCycles: def("pon_down_window_cycles", 1, "count", "poll cycles within which a PON port's LOS count as one event"),
  partialLosMinOnus: def("partial_los_min_onus", 3, "count", "LOS ONUs of one ODB/port within the window for a partial outage"),
  partialLosPercent: def("partial_los_percent", 30, "percent", "share of an ODB/port in LOS within the window (the larger of the two applies)"),
  partialLosWindowCycles: def("partial_los_window_cycles", 2, "count", "poll cycles within which LOS ONUs count as one event"),
  areaPowerPercent: def("area_power_percent", 60, "percent", "share of an ODB's ONUs in Power fail (more than this): area power cut"),
  areaPowerMinOnus: def("area_power_min_onus", 2, "count", "Power fail ONUs of one ODB needed for an area power cut (a lone ONU is that home)"),
  incidentMaxAgeS: def("incident_max_age_s", 3 * 86_400, "seconds", "ONUs dark for longer than this form no incident (abandoned inventory)"),
  areaPowerWindowCycles: def("area_power_window_cycles", 2, "count", "poll cycles within which Power fail ONUs count as one event"),
  disconnectBurstMin: def("disconnect_burst_min", 5, "count", "PPPoE disconnects on the router around the same moment: an area event"),
  disconnectBurstWindowS: def("disconnect_burst_window_s", 120, "seconds", "half-width of the window around the customer's drop"),
  // PPPoE (triage.md §4; flapping is a heuristic, no standard).
  flapPerHour: def("flap_per_hour", 3, "count", "new PPPoE sessions in the last hour: flapping"),
  flapPerDay: def("flap_per_day", 6, "count", "new PPPoE sessions in the last day: flapping"),
  flapShortUptimeS: def("flap_short_uptime_s", 600, "seconds", "sessions always shorter than this: flapping"),
  flapShortMinSessions: def("flap_short_min_sessions", 3, "count", "sessions needed to say 'always short'"),
  queueSaturationPercent: def("queue_saturation_percent", 90, "percent", "queue rate at or above this share of max-limit: at the limit"),
  queueSustainedS: def("queue_sustained_s", 60, "seconds", "time at the limit to call it sustained"),
  // Confidence (triage.md §6.0).
  cachedMaxAgeSmartoltS: def("cached_max_age_smartolt_s", 900, "seconds", "SmartOLT data from the cache older than this lowers the confidence"),
  cachedMaxAgeIspcubeS: def("cached_max_age_ispcube_s", 86_400, "seconds", "ISPCube data from the cache older than this lowers the confidence"),
  cachedMaxAgeRouterosS: def("cached_max_age_routeros_s", 300, "seconds", "RouterOS data from the cache older than this lowers the confidence"),
} as const satisfies Record<string, ThresholdDef>;

export type ThresholdKey = keyof typeof THRESHOLD_DEFS;

/** The numbers the rules use, keyed like THRESHOLD_DEFS. */
export type Thresholds = { [K in ThresholdKey]: number };

export const DEFAULT_THRESHOLDS: Thresholds = Object.fromEntries(
  Object.entries(THRESHOLD_DEFS).map(([k, d]) => [k, d.default]),
) as Thresholds;

export const DEFAULT_TIME_ZONE = "America/Argentina/Buenos_Aires";

/** Everything the pure engine is configured with. */
export interface TriageOptions {
  thresholds: Thresholds;
  /** IANA zone in which times are written in messages and the ticket. */
  timeZone: string;
}

export const DEFAULT_TRIAGE_OPTIONS: TriageOptions = { thresholds: DEFAULT_THRESHOLDS, timeZone: DEFAULT_TIME_ZONE };

/** The environment variable of the message time zone (the others come from THRESHOLD_DEFS). */
export const TRIAGE_TIMEZONE_ENV = "TRIAGE_TIMEZONE";

/** Every TRIAGE_* variable, as a type (config.ts adds them to ConfigVariable). */
export type TriageVariable = (typeof THRESHOLD_DEFS)[ThresholdKey]["env"] | typeof TRIAGE_TIMEZONE_ENV;
