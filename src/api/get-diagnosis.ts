import type { HandlerContext } from "@connectrpc/connect";
import type { GetDiagnosisRequest, GetDiagnosisResponseSchema } from "../../gen/beholder/v1/diagnosis_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DiagnosisEngine } from "../diagnosis/index.js";
import { diagnosisMessage } from "./diagnosis-mapper.js";
import { orNotFound, type SearchFn } from "./not-found.js";
import { subscriberTarget } from "./validate.js";

export function createGetDiagnosis(engine: DiagnosisEngine, search: SearchFn) {
  return async function getDiagnosis(req: GetDiagnosisRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof GetDiagnosisResponseSchema>> {
    const target = subscriberTarget(req);
    const result = await orNotFound(search, () =>
      engine.diagnose(target, { includeTraffic: req.includeTraffic, cacheOnly: req.cacheOnly, signal: ctx.signal }),
    );
    return { diagnosis: diagnosisMessage(result) };
  };
}
