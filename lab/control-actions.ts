import type { SimContext } from "./context.js";
import { sessionDownLines, sessionUpLines } from "./scenario/pppoe-log.js";
import { parseDuration } from "./scenario/relative-time.js";
import {
  customerStatusSchema, disconnectReasonSchema, macSchema, onuStatusSchema, type CustomerStatus, type IspCustomer,
  type Onu, type OnuStatus, type RouterSecret, type RouterSession, type RouterTraffic, type RouterWorld,
} from "./scenario/types.js";

/** A control request the lab cannot honour; `status` is the HTTP status to answer with. */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

export type Body = Record<string, unknown>;

const ONU_STATUSES: readonly OnuStatus[] = onuStatusSchema.options;
const CUSTOMER_STATUSES: readonly CustomerStatus[] = customerStatusSchema.options;

/** An ONU by unique external id, serial or PPPoE user. */
export function findOnu(ctx: SimContext, key: string): Onu {
  const onu = ctx.scenario.smartolt.onus.find((o) => o.externalId === key || o.sn === key || o.username === key);
  if (!onu) throw new ControlError(404, `no onu with external id, serial or username "${key}"`);
  return onu;
}

/** Sets status and/or optical levels; a status change stamps lastStatusChange with the lab clock. */
export function updateOnu(ctx: SimContext, key: string, body: Body): Onu {
  const onu = findOnu(ctx, key);
  const { status, rxDbm, oltRxDbm, administrativeStatus } = body;
  if (status !== undefined && !ONU_STATUSES.includes(status as OnuStatus)) {
    throw new ControlError(400, `status must be one of ${ONU_STATUSES.join(", ")}`);
  }
  if (administrativeStatus !== undefined && administrativeStatus !== "Enabled" && administrativeStatus !== "Disabled") {
    throw new ControlError(400, "administrativeStatus must be Enabled or Disabled");
  }
  const rx = level("rxDbm", rxDbm);
  const oltRx = level("oltRxDbm", oltRxDbm);
  if (status === undefined && rx === undefined && oltRx === undefined && administrativeStatus === undefined) {
    throw new ControlError(400, "give at least one of status, rxDbm, oltRxDbm, administrativeStatus");
  }
  const now = ctx.clock.now().toISOString();
  if (status !== undefined && status !== onu.status) {
    onu.status = status as OnuStatus;
    onu.lastStatusChange = now;
  }
  const admin = administrativeStatus ?? (status === undefined ? undefined : status === "Admin Disabled" ? "Disabled" : "Enabled");
  if (admin !== undefined && admin !== onu.administrativeStatus) {
    onu.administrativeStatus = admin as Onu["administrativeStatus"];
    onu.updatedAt = now; // §2.2: only configuration changes move updated_since
  }
  if (rx !== undefined) onu.rxDbm = rx;
  if (oltRx !== undefined) onu.oltRxDbm = oltRx;
  return onu;
}

function level(name: string, value: unknown): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== "number" || !Number.isFinite(value) || value < -60 || value > 10) {
    throw new ControlError(400, `${name} must be a number of dBm between -60 and 10, or null`);
  }
  return value;
}

/** Brings a PPPoE session up on the router holding the user's secret. */
export function startSession(ctx: SimContext, user: string, body: Body): RouterSession {
  const { router, secret } = findSecret(ctx, user, body.router);
  if (secret.disabled && body.force !== true) throw new ControlError(409, `secret ${user} is disabled (send "force": true to start anyway)`);
  if (router.active.some((s) => s.name === user)) throw new ControlError(409, `${user} already has an active session on ${router.name}`);
  const address = optionalString("address", body.address) ?? secret.remoteAddress;
  if (!address) throw new ControlError(400, `address is required: secret ${user} has no remote-address`);
  const callerId = optionalString("callerId", body.callerId) ?? secret.lastCallerId ?? secret.callerId ?? "02:00:00:00:00:01";
  if (!macSchema.safeParse(callerId).success) throw new ControlError(400, "callerId must be an upper-case MAC such as AA:BB:CC:00:11:22");
  const now = ctx.clock.now();
  const session: RouterSession = {
    name: user,
    address,
    callerId,
    since: now.toISOString(),
    sessionId: `0x81${(router.active.length + router.logs.length).toString(16).toUpperCase().padStart(6, "0")}`,
  };
  router.active.push(session);
  secret.lastCallerId = callerId;
  router.logs.push(...sessionUpLines(user, address, now));
  return session;
}

/** Ends a PPPoE session, recording last-logged-out and the disconnect reason on the secret. */
export function endSession(ctx: SimContext, user: string, body: Body): RouterSecret {
  const parsed = disconnectReasonSchema.safeParse(body.reason ?? "peer-request");
  if (!parsed.success) throw new ControlError(400, `reason must be one of ${disconnectReasonSchema.options.join(", ")}`);
  const reason = parsed.data;
  const routers = routersFor(ctx, body.router);
  const router = routers.find((r) => r.active.some((s) => s.name === user));
  if (!router) throw new ControlError(404, `${user} has no active session`);
  const session = router.active.find((s) => s.name === user) as RouterSession;
  const now = ctx.clock.now();
  // In place: the simulators may hold the arrays, never copies of them.
  router.active.splice(router.active.indexOf(session), 1);
  removeWhere(router.traffic, (t) => t.name === user);
  const secret = router.secrets.find((s) => s.name === user);
  if (!secret) throw new ControlError(404, `no secret ${user} on ${router.name}`);
  secret.lastLoggedOut = now.toISOString();
  secret.lastDisconnectReason = reason;
  secret.lastCallerId = session.callerId;
  router.logs.push(...sessionDownLines(user, now, reason, (now.getTime() - Date.parse(session.since)) / 1000));
  return secret;
}

/** Sets the current traffic of an active session, in bits per second. */
export function setTraffic(ctx: SimContext, user: string, body: Body): RouterTraffic {
  const router = ctx.scenario.routers.find((r) => r.active.some((s) => s.name === user));
  if (!router) throw new ControlError(404, `${user} has no active session`);
  const downloadBps = body.downloadBps;
  const uploadBps = body.uploadBps;
  if (typeof downloadBps !== "number" || typeof uploadBps !== "number" || !(downloadBps >= 0) || !(uploadBps >= 0)) {
    throw new ControlError(400, "downloadBps and uploadBps must be non-negative numbers");
  }
  const traffic = { name: user, downloadBps, uploadBps };
  removeWhere(router.traffic, (t) => t.name === user);
  router.traffic.push(traffic);
  return traffic;
}

/** A customer by numeric id, else by code (exact, padding included). */
export function updateCustomer(ctx: SimContext, key: string, body: Body): IspCustomer {
  const customers = ctx.scenario.ispcube.customers;
  const customer = customers.find((c) => String(c.id) === key) ?? customers.find((c) => c.code === key);
  if (!customer) throw new ControlError(404, `no customer with id or code "${key}"`);
  const { status, debt, dueDebt } = body;
  if (status !== undefined && !CUSTOMER_STATUSES.includes(status as CustomerStatus)) {
    throw new ControlError(400, `status must be one of ${CUSTOMER_STATUSES.join(", ")}`);
  }
  for (const [name, value] of [["debt", debt], ["dueDebt", dueDebt]] as const) {
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) throw new ControlError(400, `${name} must be a number`);
  }
  if (status === undefined && debt === undefined && dueDebt === undefined) throw new ControlError(400, "give at least one of status, debt, dueDebt");
  if (status !== undefined && status !== customer.status) {
    customer.status = status as CustomerStatus;
    if (status === "blocked") customer.blockDate = ctx.clock.now().toISOString();
  }
  if (typeof debt === "number") customer.debt = debt;
  if (typeof dueDebt === "number") customer.dueDebt = dueDebt;
  return customer;
}

/** Moves the lab clock by `ms` or by a duration such as "2h" or "-15m"; or sets it to `now`. */
export function moveClock(ctx: SimContext, body: Body, mode: "advance" | "set"): { now: string } {
  if (mode === "set") {
    const at = typeof body.now === "string" ? Date.parse(body.now) : Number.NaN;
    if (Number.isNaN(at)) throw new ControlError(400, "now must be an ISO-8601 instant");
    ctx.clock.set(new Date(at));
  } else {
    const ms = typeof body.ms === "number" ? body.ms : typeof body.by === "string" ? parseDuration(body.by) : undefined;
    if (ms === undefined || !Number.isFinite(ms)) throw new ControlError(400, 'give "ms" (a number) or "by" (a duration such as "2h" or "-15m")');
    ctx.clock.advance(ms);
  }
  return { now: ctx.clock.now().toISOString() };
}

function findSecret(ctx: SimContext, user: string, routerName: unknown): { router: RouterWorld; secret: RouterSecret } {
  for (const router of routersFor(ctx, routerName)) {
    const secret = router.secrets.find((s) => s.name === user);
    if (secret) return { router, secret };
  }
  throw new ControlError(404, `no secret "${user}" on ${routerName === undefined ? "any router" : `router ${String(routerName)}`}`);
}

function routersFor(ctx: SimContext, routerName: unknown): RouterWorld[] {
  if (routerName === undefined) return ctx.scenario.routers;
  if (typeof routerName !== "string") throw new ControlError(400, "router must be a string");
  const router = ctx.scenario.routers.find((r) => r.name === routerName);
  if (!router) throw new ControlError(404, `no router named "${routerName}"`);
  return [router];
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new ControlError(400, `${name} must be a non-empty string`);
  return value;
}

function removeWhere<T>(list: T[], drop: (item: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (drop(list[i] as T)) list.splice(i, 1);
}
