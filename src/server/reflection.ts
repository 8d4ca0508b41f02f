import {
  create,
  createFileRegistry,
  toBinary,
  type DescFile,
  type DescService,
  type FileRegistry,
  type MessageInitShape,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import {
  ServerReflection as ReflectionV1,
  type ServerReflectionRequest,
  type ServerReflectionResponseSchema,
} from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ReflectionV1Alpha } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/** gRPC NOT_FOUND, as reflection's ErrorResponse carries it. */
const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;

/**
 * gRPC server reflection v1 and v1alpha (grpcurl tries v1 then v1alpha), answered from the
 * descriptors protoc-gen-es embeds in the generated code: no descriptor set file to keep in sync.
 */
export function registerReflection(router: ConnectRouter, services: DescService[]): void {
  const files = closure(services.map((s) => s.file));
  const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: files.map((f) => f.proto) }));
  const names = services.map((s) => s.typeName).sort();
  const impl = {
    async *serverReflectionInfo(requests: AsyncIterable<ServerReflectionRequest>) {
      for await (const req of requests) yield answer(registry, names, req);
    },
  };
  router.service(ReflectionV1, impl satisfies ServiceImpl<typeof ReflectionV1>);
  // v1alpha is the same protocol under another package; the router converts the plain objects.
  router.service(ReflectionV1Alpha, impl as unknown as ServiceImpl<typeof ReflectionV1Alpha>);
}

type Answer = MessageInitShape<typeof ServerReflectionResponseSchema>;

function answer(registry: FileRegistry, services: string[], req: ServerReflectionRequest): Answer {
  const base = { validHost: req.host, originalRequest: req };
  const r = req.messageRequest;
  const files = (list: DescFile[]): Answer => ({
    ...base,
    messageResponse: {
      case: "fileDescriptorResponse",
      value: { fileDescriptorProto: list.map((f) => toBinary(FileDescriptorProtoSchema, f.proto)) },
    },
  });
  const error = (errorCode: number, errorMessage: string): Answer => ({
    ...base,
    messageResponse: { case: "errorResponse", value: { errorCode, errorMessage } },
  });
  switch (r.case) {
    case "listServices":
      return { ...base, messageResponse: { case: "listServicesResponse", value: { service: services.map((name) => ({ name })) } } };
    case "fileByFilename": {
      const file = registry.getFile(r.value);
      return file ? files(closure([file])) : error(NOT_FOUND, `file not found: ${r.value}`);
    }
    case "fileContainingSymbol": {
      const file = fileOfSymbol(registry, r.value);
      return file ? files(closure([file])) : error(NOT_FOUND, `symbol not found: ${r.value}`);
    }
    case "fileContainingExtension":
      return error(NOT_FOUND, `extension not found: ${r.value.containingType}(${r.value.extensionNumber})`);
    case "allExtensionNumbersOfType":
      return registry.getMessage(r.value)
        ? { ...base, messageResponse: { case: "allExtensionNumbersResponse", value: { baseTypeName: r.value, extensionNumber: [] } } }
        : error(NOT_FOUND, `type not found: ${r.value}`);
    default:
      return error(UNIMPLEMENTED, "unsupported reflection request");
  }
}

function fileOfSymbol(registry: FileRegistry, symbol: string): DescFile | undefined {
  const desc = registry.get(symbol);
  if (desc) return desc.file;
  // "pkg.Service.Method" names a method: answer with its service's file.
  const dot = symbol.lastIndexOf(".");
  const parent = dot > 0 ? registry.getService(symbol.slice(0, dot)) : undefined;
  return parent?.methods.some((m) => m.name === symbol.slice(dot + 1)) ? parent.file : undefined;
}

/** The files and everything they import, dependencies first. */
function closure(roots: DescFile[]): DescFile[] {
  const seen = new Set<string>();
  const out: DescFile[] = [];
  const visit = (f: DescFile): void => {
    if (seen.has(f.proto.name)) return;
    seen.add(f.proto.name);
    for (const dep of f.dependencies) visit(dep);
    out.push(f);
  };
  roots.forEach(visit);
  return out;
}
