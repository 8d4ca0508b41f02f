import { EventEmitter, on } from "node:events";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";

/**
 * Serving status per service name ("" is the whole server), for grpc.health.v1 and GET /health.
 * `drain()` turns everything NOT_SERVING, tells every watcher, and ends their streams cleanly.
 */
export class HealthState {
  readonly #statuses = new Map<string, Status>();
  readonly #changes = new EventEmitter();
  readonly #drain = new AbortController();
  #draining = false;

  constructor(services: string[]) {
    for (const s of ["", ...services]) this.#statuses.set(s, Status.SERVING);
    this.#changes.setMaxListeners(0);
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Aborts when the server starts draining: long streams end cleanly on it. */
  get drainSignal(): AbortSignal {
    return this.#drain.signal;
  }

  get(service: string): Status | undefined {
    return this.#statuses.get(service);
  }

  all(): Map<string, Status> {
    return new Map(this.#statuses);
  }

  set(service: string, status: Status): void {
    if (this.#statuses.get(service) === status) return;
    this.#statuses.set(service, status);
    this.#changes.emit("change", service);
  }

  /** Every service at once (the cache is usable or not); no effect once draining. */
  setAll(status: Status): void {
    if (this.#draining) return;
    for (const s of this.#statuses.keys()) this.set(s, status);
  }

  drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    for (const s of this.#statuses.keys()) this.#statuses.set(s, Status.NOT_SERVING);
    this.#changes.emit("change", "");
    this.#changes.emit("drain");
    this.#drain.abort();
  }

  /** Yields each change until `signal` aborts or the server drains. */
  async *changes(signal: AbortSignal): AsyncGenerator<void> {
    if (this.#draining) return;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    this.#changes.once("drain", onAbort);
    try {
      for await (const _ of on(this.#changes, "change", { signal: stop.signal })) {
        yield;
        if (this.#draining) return;
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.#changes.off("drain", onAbort);
    }
  }
}

/** `refresh` re-probes what the statuses depend on before Check and List answer. */
export function createHealthService(state: HealthState, refresh: () => Promise<unknown> = async () => {}): ServiceImpl<typeof Health> {
  const statusOf = (service: string): Status => {
    const status = state.get(service);
    if (status === undefined) throw new ConnectError(`unknown service ${service}`, Code.NotFound);
    return status;
  };
  return {
    async check(req) {
      await refresh().catch(() => {});
      return { status: statusOf(req.service) };
    },
    async list() {
      await refresh().catch(() => {});
      return { statuses: Object.fromEntries([...state.all()].map(([name, status]) => [name, { status }])) };
    },
    async *watch(req, ctx) {
      // Watch answers SERVICE_UNKNOWN instead of failing, per the health protocol.
      let last = state.get(req.service) ?? Status.SERVICE_UNKNOWN;
      yield { status: last };
      if (state.draining) return;
      for await (const _ of state.changes(ctx.signal)) {
        const now = state.get(req.service) ?? Status.SERVICE_UNKNOWN;
        if (now !== last) yield { status: now };
        last = now;
      }
    },
  } satisfies ServiceImpl<typeof Health>;
}
