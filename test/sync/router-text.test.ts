import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { DiagnosisService } from "../../gen/beholder/v1/diagnosis_pb.js";
import { encodeText } from "../../lab/routeros/codec.js";
import type { RouterTextEncoding, RouterWorld } from "../../lab/scenario/types.js";
import { startDiagnosisLab, type DiagnosisLab } from "../helpers/diagnosis-lab.js";
import { queryCache } from "../helpers/sqlite.js";

/**
 * Accented secret comments through the whole path: the lab's router stores them in its text encoding
 * (windows-1252 as Winbox writes, UTF-8 as the API does), node-routeros reads the bytes, Beholder
 * decodes them (UTF-8 when valid, else windows-1252) into the cache, the old search rows and the
 * diagnosis, read live and from the cache.
 */
describe("RouterOS text encodings end to end (lab → node-routeros → cache, search, diagnosis)", () => {
  const COMMENTS: Record<string, string> = { "perez.centro": "000901 PÉREZ MARÍA JOSÉ", "nunez.sur": "000902 NÚÑEZ" };
  const HOME: Record<string, string> = { "perez.centro": "rb-centro", "nunez.sur": "rb-sur" };
  let env: DiagnosisLab;
  before(async () => {
    env = await startDiagnosisLab("scenarios/triage-cases.json", {}, (s) => {
      // Secret-only users: the router is the only system that knows them, so its comment is all the
      // old search row can show ("MK: …").
      for (const [user, comment] of Object.entries(COMMENTS)) {
        const router = s.routers.find((r) => r.name === HOME[user]) as RouterWorld;
        router.secrets.push({ name: user, password: "pw", profile: router.profiles[0]?.name ?? "default", service: "pppoe", disabled: false, comment });
      }
    });
  });
  after(() => env.close());

  const setEncoding = (encoding: RouterTextEncoding): void => {
    for (const r of env.lab.scenario.routers) r.textEncoding = encoding;
  };

  test("the two encodings really put different bytes on the wire", () => {
    const text = COMMENTS["perez.centro"] as string;
    assert.notDeepEqual(encodeText(text, "utf-8"), encodeText(text, "windows-1252"));
    // What node-routeros alone would show for the UTF-8 bytes: mojibake, and a lost byte (Í = C3 8D).
    assert.match(encodeText(text, "utf-8").toString("latin1"), /Ã/);
  });

  for (const encoding of ["windows-1252", "utf-8"] as const) {
    test(`routers sending ${encoding}: cache, old search rows and the diagnosis read the accents`, async () => {
      setEncoding(encoding);
      await env.sync("inventory");
      const rows = queryCache(env.srv.app.config.db.path, "select name, comment from ppp_secret where name in ('perez.centro', 'nunez.sur') order by name") as { name: string; comment: string }[];
      assert.deepEqual(Object.fromEntries(rows.map((r) => [r.name, r.comment])), { "nunez.sur": COMMENTS["nunez.sur"], "perez.centro": COMMENTS["perez.centro"] });

      for (const [user, comment] of Object.entries(COMMENTS)) {
        const res = await fetch(`${env.srv.url}/search?q=${encodeURIComponent(user)}`, { headers: { "x-api-key": env.srv.readKey } });
        const body = (await res.json()) as { pppoe: string; direccion: string }[];
        assert.equal(body.find((r) => r.pppoe === user)?.direccion, `MK: ${comment}`);
      }

      const diagnosis = createClient(DiagnosisService, createConnectTransport({ baseUrl: env.srv.url, httpVersion: "1.1" }));
      for (const cacheOnly of [false, true]) {
        for (const [user, comment] of Object.entries(COMMENTS)) {
          const d = (await diagnosis.getDiagnosis({ pppoeUser: user, cacheOnly }, { headers: env.headers })).diagnosis;
          assert.equal(d?.secret?.comment, comment, `${user}, ${cacheOnly ? "cached" : "live"}`);
        }
      }
    });
  }

  test("a router mixing both (one secret typed in Winbox, its neighbour's written by the API) reads both", async () => {
    const centro = env.lab.scenario.routers.find((r) => r.name === "rb-centro") as RouterWorld;
    const sur = env.lab.scenario.routers.find((r) => r.name === "rb-sur") as RouterWorld;
    centro.textEncoding = "windows-1252";
    sur.textEncoding = "utf-8";
    await env.sync("inventory");
    const rows = queryCache(env.srv.app.config.db.path, "select name, comment from ppp_secret where name in ('perez.centro', 'nunez.sur') order by name") as { name: string; comment: string }[];
    assert.deepEqual(rows.map((r) => r.comment), [COMMENTS["nunez.sur"], COMMENTS["perez.centro"]]);
  });

  test("asked for ASCII, the lab folds the accents (and Beholder shows what came)", async () => {
    setEncoding("ascii");
    await env.sync("inventory");
    const rows = queryCache(env.srv.app.config.db.path, "select comment from ppp_secret where name = 'nunez.sur'") as { comment: string }[];
    assert.equal(rows[0]?.comment, "000902 NUNEZ");
  });
});
