/**
 * Browser tests: Debian's /usr/bin/chromium driven through playwright-core (no browser download).
 *
 *     import { browserTest } from "../helpers/browser.js";
 *     browserTest(test, "the report draws every request", async (page) => {
 *       await page.goto(`file://${reportPath}`);
 *       assert.is(await page.locator("tr.request").count(), 25);
 *     });
 *
 * `browserTest` registers a uvu test that gets the page of a headless chromium, blank, given back
 * after the test. Without chromium the test is skipped with a printed message, except under
 * `CI=true`, where it fails (.ci/run installs chromium). `withPage` is the same without the test
 * around it; `acquirePage` gives the page itself, for a suite that keeps it (`releasePage` in
 * `after`).
 *
 * The browser suites run in one process (scripts/run-tests.mjs) and share one chromium: a
 * released browser is closed only when nothing acquires it again soon after, so the next suite
 * finds it running (a launch costs about a second of both cores). They share its one page too
 * (`acquirePage`): a new page costs Chromium a renderer process, about 1.5 s of CPU here against
 * 0.4 s to load a report into a page that exists.
 */
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { Test } from "uvu";
import * as assert from "uvu/assert";

export const CHROMIUM = "/usr/bin/chromium";

/** No sandbox (tests run as root in CI), no GPU, no background traffic or first-run work. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** Why browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium)`;
}

const inCi = () => process.env.CI === "true";

/** How long a released browser stays up for the next suite before it is closed. */
const LINGER_MS = 1000;

let shared: Promise<Browser> | null = null;
let users = 0;
let closing: NodeJS.Timeout | null = null;
/** The shared browser's page, made on first need; gone with the browser. */
let sharedPage: Promise<Page> | null = null;

/** The viewport a page of `withPage` has (Playwright's default for a new page). */
const DEFAULT_VIEWPORT = { width: 1280, height: 720 };

/** The shared headless chromium with the project's flags, launched on first need. */
async function acquireChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
  users++;
  if (closing !== null) clearTimeout(closing);
  closing = null;
  shared ??= import("playwright-core").then(({ chromium }) =>
    chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_FLAGS],
      headless: true,
      timeout: 60_000,
    }),
  );
  try {
    return await shared;
  } catch (err) {
    shared = null;
    users--;
    throw err;
  }
}

/** Gives back what `acquireChromium` gave; the last user's release closes it, unless reacquired. */
function releaseChromium(): void {
  users--;
  if (users > 0 || shared === null) return;
  const browser = shared;
  closing = setTimeout(() => {
    closing = null;
    shared = null;
    sharedPage = null;
    void browser.then((b) => b.close());
  }, LINGER_MS);
}

/**
 * The shared browser's page, blank, with `viewport`, for one user at a time (suites run one after
 * another); `releasePage` gives it back. What a user hooks onto the page is the user's to unhook.
 */
export async function acquirePage(viewport = DEFAULT_VIEWPORT): Promise<Page> {
  const browser = await acquireChromium();
  try {
    sharedPage ??= browser.newPage();
    const page = await sharedPage;
    page.setDefaultTimeout(30_000);
    await page.setViewportSize(viewport);
    return page;
  } catch (err) {
    sharedPage = null;
    releaseChromium();
    throw err;
  }
}

/** Gives back what `acquirePage` gave, left blank for its next user (or dropped if that fails). */
export async function releasePage(page: Page): Promise<void> {
  try {
    await page.goto("about:blank");
  } catch {
    sharedPage = null;
    await page.close().catch(() => {});
  } finally {
    releaseChromium();
  }
}

/** Runs `use` with the shared browser's page, blank at the default viewport. */
export async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const page = await acquirePage();
  try {
    return await use(page);
  } finally {
    await releasePage(page);
  }
}

/**
 * Registers a browser test on `suite`. Skipped (with a message on stdout) when chromium is
 * missing, failed instead when CI=true.
 */
export function browserTest(suite: Test, name: string, body: (page: Page) => Promise<void>): void {
  const missing = chromiumMissing();
  if (missing !== null && !inCi()) {
    process.stdout.write(`skipping browser test "${name}": ${missing}\n`);
    suite.skip(name, () => {});
    return;
  }
  suite(name, async () => {
    if (missing !== null) assert.unreachable(`${missing}; CI=true requires browser tests to run`);
    await withPage(body);
  });
}
