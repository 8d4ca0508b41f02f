/** The console's pure parts, without a browser: routes, optical bands, error sentences. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { FindingSchema, ThresholdSchema } from "../../gen/beholder/v1/diagnosis_pb.js";
import { bandsFrom, levelOf } from "../../console/bands.js";
import { describeError } from "../../console/errors.js";
import { hrefOf, parseRoute } from "../../console/route.js";

test("hash routes: the PPPoE user round-trips, anything else is the search", () => {
  for (const user of ["gomez.lucia", "user with space", "ñandú/1", "a%b"]) {
    assert.deepEqual(parseRoute(hrefOf({ view: "customer", user })), { view: "customer", user });
  }
  assert.deepEqual(parseRoute("#/incidentes"), { view: "incidents" });
  assert.deepEqual(parseRoute(""), { view: "search" });
  assert.deepEqual(parseRoute("#/cliente/%zz"), { view: "search" }, "a malformed escape is not a crash");
  assert.deepEqual(parseRoute("#main"), { view: "search" });
});

test("optical levels against the default bands (triage.md §1), and a finding's thresholds win", () => {
  const { onuRx, oltRx } = bandsFrom([]);
  const cases: [number, string][] = [[-6.8, "overload"], [-19.2, "good"], [-25, "good"], [-25.8, "warning"], [-27.6, "critical"], [-28.5, "failed"]];
  for (const [v, level] of cases) assert.equal(levelOf(v, onuRx), level, `ONU Rx ${v}`);
  assert.equal(levelOf(-28.6, oltRx), "critical", "the OLT side has no 'failed' band");
  const moved = bandsFrom([create(FindingSchema, { ruleId: "optical.rx_warning", thresholds: [create(ThresholdSchema, { name: "onu_rx_warning_dbm", value: -24, unit: "dBm" })] })]);
  assert.equal(moved.onuRx.warning, -24);
  assert.equal(levelOf(-24.5, moved.onuRx), "warning");
});

test("errors: each code the sign-in can meet has its sentence; retry-after is read", () => {
  assert.match(describeError(new ConnectError("invalid or revoked API key", Code.Unauthenticated)).message, /La clave no es válida o fue revocada/);
  assert.equal(describeError(new ConnectError("x", Code.Unauthenticated)).signOut, true);
  assert.match(describeError(new ConnectError("key k lacks the read scope", Code.PermissionDenied)).message, /no tiene permiso/);
  const limited = describeError(new ConnectError("rate limit exceeded", Code.ResourceExhausted, { "retry-after": "42" }));
  assert.equal(limited.retryAfterS, 42);
  assert.match(limited.message, /esperá 42 s/);
  assert.equal(limited.signOut, false);
  const nf = describeError(new ConnectError('no subscriber with pppoe_user "perez.mari" in ispcube, smartolt or the routers; did you mean "perez.maria", "perez.mario"?', Code.NotFound));
  assert.match(nf.message, /¿Quisiste decir perez\.maria, perez\.mario\?/);
  assert.match(describeError(new TypeError("Failed to fetch")).message, /No hay conexión con Beholder/);
});
