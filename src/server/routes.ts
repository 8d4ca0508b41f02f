import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { KeyService } from "../../gen/beholder/v1/keys_pb.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1Alpha } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { createDiagnosisService } from "../api/diagnosis-service.js";
import { createSearchService } from "../api/search-service.js";
import { createSyncService } from "../api/sync-service.js";
import { createKeyService } from "../api/key-service.js";
import { createWatchDiagnosis } from "../api/watch-diagnosis.js";
import { createWatchEngine } from "../api/watch-engine.js";
import { createWatchHub, type WatchHub } from "../diagnosis/watch/hub.js";
import type { AppContext } from "../context.js";
import { createHealthService, type HealthState } from "./health.js";
import { registerReflection } from "./reflection.js";
import { createAuthInterceptor } from "./interceptors/auth.js";
import { createLoggingInterceptor } from "./interceptors/logging.js";
import { createInvalidInputInterceptor } from "./interceptors/invalid-input.js";
import { createRateLimitInterceptor } from "./interceptors/rate-limit.js";
import { createStreamCapInterceptor } from "./interceptors/stream-cap.js";
import { createMetricsInterceptor } from "./interceptors/metrics.js";

/** Beholder's own services, as health reports them. */
export const BEHOLDER_SERVICES: DescService[] = [DiagnosisService, SearchService, SyncService, KeyService];

/** Every service the router serves; reflection lists these. */
const ALL_SERVICES: DescService[] = [...BEHOLDER_SERVICES, Health, ServerReflection, ServerReflectionV1Alpha];

/** The WatchDiagnosis hub of one server; draining ends every watch (OK), then the hub stops what is left. */
export function createWatchHubFor(app: AppContext, health: HealthState): WatchHub {
  const hub = createWatchHub({ engine: createWatchEngine(app.diagnosis, app.cache.search), vendors: app.vendors, config: app.config, logger: app.logger });
  health.drainSignal.addEventListener("abort", () => void hub.close(), { once: true });
  return hub;
}

export function createRoutes(
  app: AppContext,
  health: HealthState,
  hub: WatchHub = createWatchHubFor(app, health),
  refreshHealth?: () => Promise<unknown>,
): (router: ConnectRouter) => void {
  const watchDiagnosis = createWatchDiagnosis({ hub, config: app.config.watch, draining: health.drainSignal });
  return (router) => {
    router.service(DiagnosisService, createDiagnosisService({ engine: app.diagnosis, search: app.cache.search, watchDiagnosis }));
    router.service(SearchService, createSearchService(app.cache.search));
    router.service(SyncService, createSyncService({ ...app.sync, draining: health.drainSignal }));
    router.service(KeyService, createKeyService(app.keys));
    router.service(Health, createHealthService(health, refreshHealth));
    if (app.config.server.reflection) registerReflection(router, ALL_SERVICES);
  };
}

/**
 * Outermost first: metrics and the log line see the final code (malformed input already InvalidArgument), auth
 * runs before the rate limit, and a stream takes its slot under its key once the key is known.
 */
export function createInterceptors(app: AppContext): Interceptor[] {
  return [
    createMetricsInterceptor(app.metrics),
    createLoggingInterceptor(app.logger),
    createInvalidInputInterceptor(),
    createAuthInterceptor(app.keys, app.limits),
    createRateLimitInterceptor(app.limits),
    createStreamCapInterceptor(app.limits),
  ];
}
