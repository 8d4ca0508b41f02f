import type { ServiceImpl } from "@connectrpc/connect";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { notYet } from "./not-yet.js";
import { pageSize, subscriberTarget } from "./validate.js";

/** Input is validated now; the diagnosis engine itself arrives in a later change. */
export function createDiagnosisService(): ServiceImpl<typeof DiagnosisService> {
  return {
    getDiagnosis(req) {
      subscriberTarget(req);
      throw notYet("GetDiagnosis", "the diagnosis engine");
    },
    async *watchDiagnosis(req) {
      subscriberTarget(req);
      throw notYet("WatchDiagnosis", "the diagnosis engine");
    },
    getLiveTraffic(req) {
      subscriberTarget(req);
      throw notYet("GetLiveTraffic", "the RouterOS client");
    },
    listIncidents(req) {
      pageSize(req.pageSize, 100, 1000);
      throw notYet("ListIncidents", "the outage correlation");
    },
  } satisfies ServiceImpl<typeof DiagnosisService>;
}
