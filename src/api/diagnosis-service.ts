import type { ServiceImpl } from "@connectrpc/connect";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import type { DiagnosisEngine } from "../diagnosis/index.js";
import { createGetDiagnosis } from "./get-diagnosis.js";
import { createGetLiveTraffic } from "./get-live-traffic.js";
import { createListIncidents } from "./list-incidents.js";
import type { SearchFn } from "./not-found.js";
import { notYet } from "./not-yet.js";
import { subscriberTarget } from "./validate.js";

export interface DiagnosisServiceDeps {
  engine: DiagnosisEngine;
  search: SearchFn;
  /** WatchDiagnosis, when its implementation is wired; until then it validates and answers unimplemented. */
  watchDiagnosis?: ServiceImpl<typeof DiagnosisService>["watchDiagnosis"];
}

/** Assembles the DiagnosisService: one file per RPC. */
export function createDiagnosisService(deps: DiagnosisServiceDeps): ServiceImpl<typeof DiagnosisService> {
  return {
    getDiagnosis: createGetDiagnosis(deps.engine, deps.search),
    watchDiagnosis:
      deps.watchDiagnosis ??
      async function* watchDiagnosis(req) {
        subscriberTarget(req);
        throw notYet("WatchDiagnosis", "the live watch");
      },
    getLiveTraffic: createGetLiveTraffic(deps.engine, deps.search),
    listIncidents: createListIncidents(deps.engine),
  } satisfies ServiceImpl<typeof DiagnosisService>;
}
