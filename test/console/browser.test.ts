/**
 * The agent console in a real browser (Debian's Chromium through playwright-core) against the lab on
 * the demo ISP and Beholder on port 0, with a key from the key store. What the page shows is compared
 * with what the API answers the Node client. Waits are Playwright's auto-waiting locators with a
 * generous timeout; no fixed sleeps. Screenshots go to test-output/console/.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Action } from "../../gen/beholder/v1/diagnosis_pb.js";
import { demoScenario } from "../../lab/scenario/demo.js";
import { buildConsole } from "../../scripts/build-console.js";
import { createBeholderClient, type BeholderClient } from "../../src/client/node.js";
import { launchChromium, screenshot, watchedPage, type PageProblems } from "../helpers/browser.js";
import { startLabAndServer, type LabAndServer } from "../helpers/lab-server.js";
import { control } from "../helpers/watch.js";

/** The machine is shared: every wait is generous. The LOS flip waits for a watch poll round or two. */
const WAIT_MS = 60_000;
const WATCH_WAIT_MS = 120_000;
/** An accented surname in the demo ISP (GÓMEZ LUCÍA BELÉN), typed without accents. */
const SURNAME = "gomez";
const USER = "gomez.lucia";

/** Ticket lines carry the minute they were built and ages ("hace 5 s", "is 6 s old"): compare the rest. */
function timeless(ticket: string): string {
  return ticket.replace(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/g, "<t>").replace(/\b\d+ (?:s|min|h|d)\b/g, "<n>");
}

describe("the agent console in Chromium", () => {
  const work = mkdtempSync(join(tmpdir(), "beholder-console-browser-"));
  let env: LabAndServer;
  let api: BeholderClient;
  let key: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: PageProblems = { csp: [], errors: [] };

  before(async () => {
    // First, so a machine without Chromium fails at once with what to install.
    browser = await launchChromium();
    const consoleDir = join(work, "console");
    await buildConsole({ outDir: consoleDir });
    env = await startLabAndServer(demoScenario(new Date().toISOString()), {
      CONSOLE_DIR: consoleDir,
      // Watches ask for 2 s; 30% of 2,000 SmartOLT calls an hour allows one PON port read every 6 s,
      // so the server stretches the ONU interval and says so (the page must show it).
      SMARTOLT_HOURLY_BUDGET: "2000",
      WATCH_INTERVAL_DEFAULT_MS: "2000",
      WATCH_INTERVAL_MIN_MS: "1000",
    });
    for (const job of ["inventory", "status"] as const) await (await env.srv.app.sync.runner.start(job)).handle.done;
    key = env.srv.readKey;
    api = createBeholderClient(env.srv.url, key);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "es-AR", timezoneId: "America/Argentina/Buenos_Aires" });
    context.setDefaultTimeout(WAIT_MS);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.srv.url });
    page = await watchedPage(context, problems);
  });

  after(async () => {
    await browser?.close();
    await env?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test("a wrong key shows the error and is not kept", async () => {
    await page.goto(`${env.srv.url}/`);
    assert.equal(new URL(page.url()).pathname, "/console/", "/ leads to the console");
    await page.getByLabel("Ingresá tu clave").fill("bh_000000000000_not-a-real-key-at-all-000000");
    await page.getByRole("button", { name: "Ingresar" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "La clave no es válida" });
    await alert.waitFor();
    await screenshot(page, "01-wrong-key");
    assert.equal(await page.evaluate("sessionStorage.length"), 0, "a refused key is not stored");
  });

  test("a key revoked while the page is open: the next call sends the agent back to sign-in, saying why", async () => {
    // Before the lockout test: a revoked key is then still Unauthenticated, not the address's lockout.
    const revoked = (await env.srv.app.keys.create("console-revoked", ["read"])).key;
    await page.getByLabel("Ingresá tu clave").fill(revoked);
    await page.getByRole("button", { name: "Ingresar" }).click();
    await page.getByRole("link", { name: "Incidentes" }).click();
    await page.getByTestId("incident-table").waitFor();
    assert.equal(await env.srv.app.keys.revoke("console-revoked"), true);
    await page.getByRole("button", { name: "Actualizar ahora" }).click();
    await page.getByRole("status").filter({ hasText: "La clave no es válida o fue revocada" }).waitFor();
    await page.getByLabel("Ingresá tu clave").waitFor();
    assert.equal(await page.evaluate("sessionStorage.length"), 0, "the revoked key is forgotten");
    await screenshot(page, "01a-revoked");
    // Signing in again goes back to where the agent was (deep links work); the next tests start at the search.
    await page.goto(`${env.srv.url}/console/#/buscar`);
  });

  test("too many failed attempts from this address: the sign-in says how long to wait (retry-after)", async () => {
    // Past RATE_LIMIT_AUTH_FAILURES_PER_MIN failures (20) an address's wrong keys get ResourceExhausted;
    // a valid key still passes (the next test signs in from the same address).
    let limited = false;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await fetch(`${env.srv.url}/beholder.v1.DiagnosisService/ListIncidents`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": `bh_${i.toString(16).padStart(12, "0")}_wrong-key-for-the-lockout-000` },
        body: "{}",
      });
      limited = res.status === 429;
    }
    assert.ok(limited, "the server locks the address out after repeated failures");
    await page.getByLabel("Ingresá tu clave").fill("bh_000000000000_still-not-a-real-key-00000000");
    await page.getByRole("button", { name: "Ingresar" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /Demasiados pedidos o intentos: esperá \d+ s/ });
    await alert.waitFor();
    await screenshot(page, "01b-rate-limited");
  });

  test("sign in: the key stays in the tab's sessionStorage, never in localStorage or the URL", async () => {
    await page.getByLabel("Ingresá tu clave").fill(key);
    await page.getByRole("button", { name: "Ingresar" }).click();
    await page.getByRole("heading", { name: "Buscar un abonado" }).waitFor();
    const stored = await page.evaluate("JSON.stringify([Object.values(sessionStorage), localStorage.length, location.href])");
    const [session, local, href] = JSON.parse(stored as string) as [string[], number, string];
    assert.deepEqual(session, [key]);
    assert.equal(local, 0);
    assert.ok(!href.includes(key));
    await screenshot(page, "02-signed-in");
  });

  test("search a surname without accents and pick the customer with the keyboard", async () => {
    const expected = (await api.search.search({ query: SURNAME, pageSize: 20 })).results;
    const index = expected.findIndex((r) => r.pppoeUser === USER);
    assert.ok(index >= 0, `the API finds ${USER} for "${SURNAME}" (${expected.map((r) => r.pppoeUser).join(", ")})`);

    const box = page.getByRole("combobox");
    // A phone as agents type it reaches the API as typed (the API normalises it).
    await box.fill("0353 15 476-5432");
    await page.locator('[role=option][data-pppoe="perez.maria"]').first().waitFor();
    assert.equal(await page.getByRole("option").first().getAttribute("data-pppoe"), "perez.maria");
    await box.fill(SURNAME);
    const options = page.getByRole("option");
    await options.nth(expected.length - 1).waitFor();
    assert.equal(await options.count(), expected.length, "one row per result");
    assert.deepEqual(await options.evaluateAll((els) => els.map((e) => e.getAttribute("data-pppoe"))), expected.map((r) => r.pppoeUser));

    for (let i = 0; i < index; i++) await box.press("ArrowDown");
    const chosen = page.locator(`[role=option][aria-selected=true]`);
    assert.equal(await chosen.getAttribute("data-pppoe"), USER);
    assert.equal(await box.getAttribute("aria-activedescendant"), await chosen.getAttribute("id"));
    const row = await chosen.innerText();
    assert.match(row, /GÓMEZ LUCÍA BELÉN/, "the accented name, found without accents");
    assert.match(row, /gomez\.lucia/);
    assert.match(row, /Bv\. España 1450/);
    assert.match(row, /Cliente habilitado/);
    assert.match(row, /ONU en línea/);
    assert.match(row, /sesión activa/);
    await screenshot(page, "03-search");

    await box.press("Enter");
    await page.waitForURL(/#\/cliente\/gomez\.lucia$/);
  });

  test("the verdict banner and findings match the API's answer", async () => {
    const banner = page.getByTestId("verdict");
    await banner.waitFor();
    await page.locator('[data-testid=stream-state][data-state="live"]').waitFor();
    const d = (await api.diagnosis.getDiagnosis({ pppoeUser: USER })).diagnosis;
    assert.ok(d?.verdict);
    assert.equal(await banner.getAttribute("data-action"), Action[d.verdict.action]);
    assert.equal(await banner.getAttribute("data-rule"), d.verdict.ruleId);
    assert.equal(await page.getByTestId("agent-message").innerText(), d.verdict.agentMessage);
    assert.equal(await page.getByTestId("customer-message").innerText(), d.verdict.customerMessage);
    const shown = await page.locator("[data-testid=findings] [data-rule-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-rule-id")));
    assert.deepEqual(shown, d.findings.map((f) => f.ruleId));
    assert.equal(await page.locator('[data-testid=onu-status] [data-status]').getAttribute("data-status"), "ONLINE");
    assert.match(await page.getByTestId("onu-rx").innerText(), /-19,2/, "the ONU's Rx level (es-AR decimals)");
    await page.getByTestId("traffic-chart").waitFor();
    await page.getByTestId("stretched").waitFor();
    assert.match(await page.getByTestId("polling").innerText(), /El servidor espació la lectura de la ONU/);
    await screenshot(page, "04-diagnosis");
  });

  test("copy the ticket text and the customer sentence: the clipboard holds the API's", async () => {
    await page.getByRole("button", { name: "Copiar texto para el ticket" }).click();
    await page.getByText("Copiado.").first().waitFor();
    const copied = (await page.evaluate("navigator.clipboard.readText()")) as string;
    assert.equal(copied, await page.getByTestId("ticket-text").innerText(), "exactly the ticket the page shows");
    const d = (await api.diagnosis.getDiagnosis({ pppoeUser: USER })).diagnosis;
    assert.ok(copied.startsWith(`Diagnóstico Beholder: ${USER} (`));
    assert.equal(timeless(copied), timeless(d?.ticketText ?? ""), "the API's ticket text, up to the minute it was built");

    await page.getByRole("button", { name: "Copiar frase para el cliente" }).click();
    await page.waitForFunction(`navigator.clipboard.readText().then((t) => t !== ${JSON.stringify(copied)})`);
    assert.equal(await page.evaluate("navigator.clipboard.readText()"), d?.verdict?.customerMessage, "the customer sentence, as the API says it");
  });

  test("the ONU flipped to LOS in the lab: the page follows the watch and marks the change", async () => {
    await control(env.lab.control.url, `/onus/${USER}`, { status: "LOS" });
    try {
      await page.locator('[data-testid=onu-status] [data-status="LOS"]').waitFor({ timeout: WATCH_WAIT_MS });
      await page.getByTestId("last-change").filter({ hasText: "estado de la ONU" }).waitFor();
      await page.locator('[data-testid=verdict][data-action="DISPATCH"]').waitFor({ timeout: WATCH_WAIT_MS });
      await screenshot(page, "05-los-live");
      assert.match(await page.getByTestId("agent-message").innerText(), /LOS/);
    } finally {
      await control(env.lab.control.url, `/onus/${USER}`, { status: "Online" });
    }
  });

  test("the incidents view lists the demo's outages, as ListIncidents does", async () => {
    await page.getByRole("link", { name: "Incidentes" }).click();
    const table = page.getByTestId("incident-table");
    await table.waitFor();
    const res = await api.diagnosis.listIncidents({ pageSize: 1000 });
    assert.ok(res.incidents.length >= 2, "the demo has outages (a PON down, an area power cut)");
    const ids = await table.locator("tr[data-incident-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-incident-id")));
    assert.deepEqual(ids, res.incidents.map((i) => i.id));
    assert.equal(await page.getByTestId("incident-total").innerText(), String(res.totalSize));
    for (const i of res.incidents) {
      assert.match(await table.locator(`tr[data-incident-id="${i.id}"]`).innerText(), new RegExp(`${i.onusAffected}/${i.onusTotal}`));
    }
    await screenshot(page, "06-incidents");
  });

  test("on a phone (375 px, dark mode): no horizontal scroll, verdict first", async () => {
    const phone = await browser.newContext({
      viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "es-AR", colorScheme: "dark",
    });
    phone.setDefaultTimeout(WAIT_MS);
    try {
      const p = await watchedPage(phone, problems);
      await p.goto(`${env.srv.url}/console/`);
      await p.getByLabel("Ingresá tu clave").fill(key);
      await p.getByRole("button", { name: "Ingresar" }).click();
      await p.getByRole("combobox").waitFor();
      await p.goto(`${env.srv.url}/console/#/cliente/perez.maria`);
      await p.locator('[data-testid=verdict][data-action="DISPATCH"]').waitFor();
      await p.getByTestId("findings").waitFor();
      const widths = (await p.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")) as number[];
      assert.ok((widths[0] ?? 0) <= (widths[1] ?? 0), `no horizontal scroll at 375 px (scrollWidth ${widths[0]}, clientWidth ${widths[1]})`);
      await screenshot(p, "07-phone-diagnosis", false);
      await p.getByRole("link", { name: "Incidentes" }).click();
      await p.getByTestId("incident-table").waitFor();
      const w2 = (await p.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")) as number[];
      assert.ok((w2[0] ?? 0) <= (w2[1] ?? 0), `incidents: no horizontal scroll (scrollWidth ${w2[0]})`);
      await screenshot(p, "08-phone-incidents", false);
    } finally {
      await phone.close();
    }
  });

  test("the stream fails: the page says it is reconnecting, then follows again (a customer inside an incident)", async () => {
    const watchUrl = "**/beholder.v1.DiagnosisService/WatchDiagnosis";
    await page.route(watchUrl, (route) => route.abort("connectionreset"));
    try {
      await page.goto(`${env.srv.url}/console/#/cliente/diaz.carlos`);
      const reconnecting = page.locator('[data-testid=stream-state][data-state="reconnecting"]');
      await reconnecting.waitFor();
      assert.match(await reconnecting.innerText(), /Reconectando…/);
      await screenshot(page, "09-reconnecting");
    } finally {
      await page.unroute(watchUrl);
    }
    await page.locator('[data-testid=stream-state][data-state="live"]').waitFor();
    // diaz.carlos is one of the 8 ONUs of a PON port in LOS: a network incident, no truck.
    const d = (await api.diagnosis.getDiagnosis({ pppoeUser: "diaz.carlos" })).diagnosis;
    assert.ok(d?.incident, "the API puts diaz.carlos in an incident");
    await page.locator(`[data-testid=verdict][data-action="${Action[d.verdict?.action ?? Action.UNSPECIFIED]}"]`).waitFor();
    assert.equal(await page.getByTestId("incident").getAttribute("data-incident-id"), d.incident.id);
    assert.match(await page.getByTestId("incident").innerText(), new RegExp(`${d.incident.onusAffected} de ${d.incident.onusTotal} ONUs`));
    await screenshot(page, "09b-incident");
  });

  test("salir clears the key; no CSP violation or console error in the whole session", async () => {
    await page.getByRole("button", { name: "Salir" }).click();
    await page.getByLabel("Ingresá tu clave").waitFor();
    assert.equal(await page.evaluate("sessionStorage.length"), 0);
    await screenshot(page, "10-signed-out");
    assert.deepEqual(problems.csp, [], "no Content-Security-Policy violation");
    assert.deepEqual(problems.errors, [], "no console error");
  });
});
