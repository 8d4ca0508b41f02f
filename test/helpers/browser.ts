import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium, driven by playwright-core (which downloads no browser). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where the console's tests leave their screenshots (gitignored). */
export const SCREENSHOTS = join("test-output", "console");

/** Launches the system Chromium; a missing one fails the test run with what to install, never a silent skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the console's browser tests need Debian's chromium package ` +
        "(sudo apt-get install -y --no-install-recommends chromium), or CHROMIUM_PATH pointing at a Chromium binary",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--no-sandbox"], headless: true });
}

/** What the page reported that a test should fail on: CSP violations, uncaught errors, console errors. */
export interface PageProblems {
  csp: string[];
  errors: string[];
}

/**
 * A page that records CSP violations (securitypolicyviolation, from an init script: Playwright injects
 * it outside the page's CSP) and console errors, ignoring the browser's own line for a failed request
 * (a 401 on a wrong key is expected).
 */
export async function watchedPage(context: BrowserContext, problems: PageProblems): Promise<Page> {
  await context.exposeBinding("__reportCsp", (_src, v: string) => problems.csp.push(v));
  // A string: this runs in the page, which the test's (Node) types do not describe.
  await context.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (e) =>
      window.__reportCsp(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber));`,
  });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/Failed to load resource/.test(msg.text())) problems.errors.push(msg.text());
  });
  page.on("pageerror", (err) => problems.errors.push(`pageerror: ${err.message}`));
  return page;
}

/** The whole page by default; `fullPage: false` for what the screen shows (a phone's first view). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
