/**
 * The report's browser tests share one Chromium and its one page (`browser.ts`), a suite at a time
 * (`reportSuite`); where no browser is installed their tests do nothing (after printing why),
 * except when CI=true, where a missing browser is a broken set-up and the suite fails.
 */
import { dirname, join } from "node:path";
import type { ConsoleMessage, Dialog, Page, Request } from "playwright-core";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import { acquirePage, chromiumMissing, releasePage } from "./browser.js";
import { dynlog } from "./cli.js";
import { tempLog } from "./report-logs.js";

/** The shared page, or null (after printing why) where no browser is installed outside CI. */
async function acquireOrSkip(suite: string): Promise<Page | null> {
  const missing = chromiumMissing();
  if (missing !== null) {
    if (process.env.CI === "true") throw new Error(`${suite}: ${missing}`);
    console.log(`skipping ${suite}: ${missing}`);
    return null;
  }
  return acquirePage({ width: 1400, height: 1000 });
}

/** What a page did that a report must never do: console errors, requests, dialogs. */
export interface PageWatch {
  errors: string[];
  requests: string[];
}

/** Watches `page` from now on; the returned function stops watching. */
function watchPage(page: Page): { watch: PageWatch; stop: () => void } {
  const watch: PageWatch = { errors: [], requests: [] };
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() === "error" || m.type() === "warning") watch.errors.push(m.text());
  };
  const onError = (e: Error) => watch.errors.push(String(e));
  const onDialog = (d: Dialog) => {
    watch.errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  };
  const onRequest = (r: Request) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) watch.requests.push(r.url());
  };
  page.on("console", onConsole);
  page.on("pageerror", onError);
  page.on("dialog", onDialog);
  page.on("request", onRequest);
  const stop = () => {
    page.off("console", onConsole);
    page.off("pageerror", onError);
    page.off("dialog", onDialog);
    page.off("request", onRequest);
  };
  return { watch, stop };
}

/** What a report suite's tests use: its shared browser's page and the reports they open. */
export interface ReportSuite {
  /** Registers a test that runs only where a browser is (see `acquireOrSkip`). */
  inBrowser(name: string, fn: () => Promise<void>): void;
  /**
   * The suite's page on `path` (with `fragment`), loaded afresh, once the report says it is
   * ready; what the page does is watched until the next `open`.
   */
  open(path: string, fragment?: string): Promise<{ page: Page; watch: PageWatch }>;
}

/**
 * The shared Chromium's page for the suite `name` on `suite`, taken before its tests and given
 * back after (browser.ts); `ready` runs once the browser is up (to write the reports the tests
 * share).
 */
export function reportSuite(suite: Test, name: string, ready: () => void = () => {}): ReportSuite {
  let page: Page | null = null;
  let stopWatching = () => {};
  suite.before(async () => {
    page = await acquireOrSkip(name);
    if (page === null) return;
    ready();
  });
  suite.after(async () => {
    if (page === null) return;
    stopWatching();
    await releasePage(page);
  });
  return {
    inBrowser: (title, fn) =>
      suite(title, async () => {
        if (page === null) return;
        await fn();
      }),
    open: async (path, fragment = "") => {
      const shared = page as Page;
      stopWatching();
      // Through a blank page, so that the same file with another fragment loads afresh too.
      await shared.goto("about:blank");
      const { watch, stop } = watchPage(shared);
      stopWatching = stop;
      await shared.goto(`file://${path}${fragment}`);
      await shared.waitForSelector("body[data-ready=true]", { timeout: 30000 });
      return { page: shared, watch };
    },
  };
}

/** Writes the report of `args` (inputs and options) into a scratch file; returns its path. */
export function writeReport(args: string[]): string {
  const out = join(dirname(tempLog("x", "")), "report.html");
  const run = dynlog(["report", "-o", out, ...args], { timeoutMs: 60000 });
  assert.is(run.status, 0, run.stderr);
  return out;
}

/** The count of requests the table says it shows. */
export async function shownCount(page: Page): Promise<number> {
  const text = (await page.textContent("#rows-shown")) ?? "";
  return Number(/^(\d+) of/.exec(text)?.[1] ?? -1);
}
