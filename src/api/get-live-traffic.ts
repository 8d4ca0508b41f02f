import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type { GetLiveTrafficRequest, GetLiveTrafficResponseSchema } from "../../gen/beholder/v1/diagnosis_pb.js";
import type { DiagnosisEngine } from "../diagnosis/index.js";
import { planMessage, routerRefMessage, sourceStatusMessage, trafficMessage } from "./diagnosis-mapper.js";
import { orNotFound, type SearchFn } from "./not-found.js";
import { subscriberTarget } from "./validate.js";

/** `monitor-traffic once` on the user's router, the plan's speeds beside it; a router that fails is a source status, not an error. */
export function createGetLiveTraffic(engine: DiagnosisEngine, search: SearchFn) {
  return async function getLiveTraffic(req: GetLiveTrafficRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof GetLiveTrafficResponseSchema>> {
    const target = subscriberTarget(req);
    const r = await orNotFound(search, () => engine.liveTraffic(target, ctx.signal));
    return {
      pppoeUser: r.pppoeUser,
      traffic: trafficMessage(r.traffic),
      router: routerRefMessage(r.router),
      source: sourceStatusMessage(r.source),
      plan: planMessage(r.plan),
    };
  };
}
