/**
 * The diagnosis engine's public face: WatchDiagnosis and the API build on these, nothing deeper.
 * `createDiagnosisEngine` (engine.ts) is the one entry; the probes are exported for pollers that
 * re-read one source at a time.
 */
export { createDiagnosisEngine, type DiagnosisEngine, type DiagnosisEngineDeps, type DiagnosisResult, type DiagnoseOptions, type IncidentList, type LiveTrafficResult } from "./engine.js";
export { gather, gatherWith, chooseRouter, liveBudgets, SubscriberNotFoundError, type GatherDeps, type GatherOptions, type LiveBudgets } from "./gather.js";
export { toFacts, outageRows, sessionHistory, type Surroundings } from "./facts.js";
export { probe, type ProbeOutcome } from "./probe.js";
export { probeRouter, type RouterProbeOptions } from "./probes/routeros.js";
export { probeCustomer } from "./probes/ispcube.js";
export { createRouterLogs, type RouterLogs } from "./probes/router-logs.js";
export { createOnuReader, type OnuReader, type OnuRead, type OnuLiveReading } from "./probes/smartolt.js";
export { describeTarget, type Target } from "./target.js";
export type { TriageRules } from "./rules.js";
export type * from "./types.js";
