import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loginRequest, PASSWORD, startLab, type Lab } from "./ispcube-fixture.js";

const TOKEN_SHAPE = /^\d+\|[A-Za-z0-9]{40}$/;

describe("ispcube simulator: login and headers", () => {
  let lab: Lab;
  before(async () => {
    lab = await startLab();
  });
  after(() => lab.close());

  it("serves under /api at an origin-only base url", () => {
    assert.match(lab.sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("issues a Sanctum token in a JSON body and accepts it", async () => {
    const res = await loginRequest(lab.sim.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const body = (await res.json()) as { token: string };
    assert.match(body.token, TOKEN_SHAPE);
    assert.equal((await lab.get("plans/plans_list", body.token)).status, 200);
  });

  it("numbers tokens in sequence", async () => {
    const a = (await lab.login()).split("|")[0];
    const b = (await lab.login()).split("|")[0];
    assert.equal(Number(b), Number(a) + 1);
  });

  it("answers the legacy plain-text token when the world asks for it", async () => {
    lab.ctx.scenario.ispcube.legacyTokenBody = true;
    try {
      const res = await loginRequest(lab.sim.url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
      const token = await res.text();
      assert.match(token, TOKEN_SHAPE);
      assert.equal((await lab.get("plans/plans_list", token)).status, 200);
    } finally {
      delete lab.ctx.scenario.ispcube.legacyTokenBody;
    }
  });

  it("rejects bad credentials and bad login headers with 401", async () => {
    const cases: [string, Promise<Response>][] = [
      ["wrong password", loginRequest(lab.sim.url, { username: "api", password: "nope" })],
      ["wrong user", loginRequest(lab.sim.url, { username: "admin", password: PASSWORD })],
      ["wrong api-key", loginRequest(lab.sim.url, undefined, { "api-key": "other" })],
      ["wrong client-id", loginRequest(lab.sim.url, undefined, { "client-id": "303" })],
      ["wrong login-type", loginRequest(lab.sim.url, undefined, { "login-type": "web" })],
    ];
    for (const [label, pending] of cases) {
      const res = await pending;
      assert.equal(res.status, 401, label);
      assert.deepEqual(await res.json(), { message: "Unauthenticated." }, label);
    }
  });

  it("rejects every login under a wrongCredentials fault", async () => {
    lab.ctx.scenario.faults = { ispcube: { "sanctum/token": { wrongCredentials: true } } };
    try {
      assert.equal((await loginRequest(lab.sim.url)).status, 401);
    } finally {
      delete lab.ctx.scenario.faults;
    }
    assert.equal((await loginRequest(lab.sim.url)).status, 200);
  });

  it("expires tokens after 24 h of lab time", async () => {
    const token = await lab.login();
    lab.clock.advance(24 * 3600 * 1000 - 60_000);
    assert.equal((await lab.get("plans/plans_list", token)).status, 200);
    lab.clock.advance(60_000);
    const res = await lab.get("plans/plans_list", token);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { message: "Unauthenticated." });
  });

  it("honours a shorter tokenTtlSeconds", async () => {
    lab.ctx.scenario.ispcube.tokenTtlSeconds = 60;
    try {
      const token = await lab.login();
      lab.clock.advance(61_000);
      assert.equal((await lab.get("plans/plans_list", token)).status, 401);
    } finally {
      delete lab.ctx.scenario.ispcube.tokenTtlSeconds;
    }
  });

  it("answers 400 for a missing username or login-type even with a valid bearer", async () => {
    const token = await lab.login();
    const noUser = await lab.get("customers/customers_list?limit=1", token, { username: undefined });
    assert.equal(noUser.status, 400);
    assert.deepEqual(await noUser.json(), { status: false, message: "username header requerido" });
    const noType = await lab.get("customers/customers_list?limit=1", token, { "login-type": undefined });
    assert.equal(noType.status, 400);
    assert.deepEqual(await noType.json(), { status: false, message: "login-type header requerido" });
  });

  it("answers 401 for a missing, unknown or foreign bearer and for wrong tenant headers", async () => {
    const token = await lab.login();
    const cases: [string, Record<string, string | undefined>][] = [
      ["no bearer", { authorization: undefined }],
      ["unknown bearer", { authorization: "Bearer 9|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
      ["wrong api-key", { "api-key": "other" }],
      ["missing client-id", { "client-id": undefined }],
      ["another username", { username: "someone" }],
    ];
    for (const [label, override] of cases) {
      const res = await lab.get("plans/plans_list", token, override);
      assert.equal(res.status, 401, label);
      assert.deepEqual(await res.json(), { message: "Unauthenticated." }, label);
    }
  });

  it("answers unknown routes and wrong methods like Laravel", async () => {
    const token = await lab.login();
    const missing = await lab.get("customers/search", token);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { message: "The route api/customers/search could not be found." });
    const wrongMethod = await fetch(`${lab.sim.url}/api/customer?code=003566`, { method: "POST" });
    assert.equal(wrongMethod.status, 405);
    const getLogin = await fetch(`${lab.sim.url}/api/sanctum/token`);
    assert.equal(getLogin.status, 405);
  });
});
