import type { DescService } from "@bufbuild/protobuf";
import { Health } from "../../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection as ReflectionV1 } from "../../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ReflectionV1Alpha } from "../../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/** Services anyone may call without a key: probes and tooling must work before a key exists. */
const PUBLIC = new Set([Health.typeName, ReflectionV1.typeName, ReflectionV1Alpha.typeName]);

export function isPublicService(service: DescService): boolean {
  return PUBLIC.has(service.typeName);
}
