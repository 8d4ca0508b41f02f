import { create } from "@bufbuild/protobuf";
import { DiagnosisSchema } from "../../gen/beholder/v1/diagnosis_pb.js";
import type { DiagnosisEngine } from "../diagnosis/index.js";
import type { WatchEngine } from "../diagnosis/watch/types.js";
import { diagnosisMessage } from "./diagnosis-mapper.js";
import { orNotFound, type SearchFn } from "./not-found.js";

/**
 * The diagnosis engine as the watch hub uses it: gather once (without traffic: a watch asking for
 * it gets a monitor-traffic stream instead), then conclude as often as the pollers bring news, into
 * the same message GetDiagnosis answers with.
 */
export function createWatchEngine(engine: DiagnosisEngine, search: SearchFn): WatchEngine {
  return {
    gather: (target, o) => orNotFound(search, () => engine.gather(target, { includeTraffic: false, ...(o.signal ? { signal: o.signal } : {}) })),
    conclude: async (g) => create(DiagnosisSchema, diagnosisMessage(await engine.conclude(g))),
  };
}
