/**
 * The report's browser tests share one Chromium (from `browser.ts`) across a suite
 * (`reportSuite`): `launchChromium` resolves to null (after printing why) when no browser is
 * installed, and throws instead when CI=true, where a missing browser is a broken set-up.
 */
import { dirname, join } from "node:path";
import type { Browser, ConsoleMessage, Page } from "playwright-core";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import { chromiumMissing, launchChromium as launchShared } from "./browser.js";
import { dynlog } from "./cli.js";
import { tempLog } from "./report-logs.js";

/** The shared launcher, or null (after printing why) where no browser is installed outside CI. */
export async function launchChromium(suite: string): Promise<Browser | null> {
  const missing = chromiumMissing();
  if (missing !== null) {
    if (process.env.CI === "true") throw new Error(`${suite}: ${missing}`);
    console.log(`skipping ${suite}: ${missing}`);
    return null;
  }
  return launchShared();
}

/** What a page did that a report must never do: console errors, requests, dialogs. */
export interface PageWatch {
  errors: string[];
  requests: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], requests: [] };
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error" || m.type() === "warning") watch.errors.push(m.text());
  });
  page.on("pageerror", (e) => watch.errors.push(String(e)));
  page.on("dialog", (d) => {
    watch.errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) watch.requests.push(r.url());
  });
  return watch;
}

/** What a report suite's tests use: its shared browser's pages and the reports they open. */
export interface ReportSuite {
  /** Registers a test that runs only where a browser is (see `launchChromium`). */
  inBrowser(name: string, fn: () => Promise<void>): void;
  /** A fresh page on `path` (with `fragment`), once the report says it is ready. */
  open(path: string, fragment?: string): Promise<{ page: Page; watch: PageWatch }>;
}

/**
 * One Chromium for the suite `name` on `suite`, launched before its tests and closed after;
 * `ready` runs once it is up (to write the reports the tests share).
 */
export function reportSuite(suite: Test, name: string, ready: () => void = () => {}): ReportSuite {
  let browser: Browser | null = null;
  suite.before(async () => {
    browser = await launchChromium(name);
    if (browser !== null) ready();
  });
  suite.after(async () => {
    await browser?.close();
  });
  return {
    inBrowser: (title, fn) =>
      suite(title, async () => {
        if (browser === null) return;
        await fn();
      }),
    open: async (path, fragment = "") => {
      const page = await (browser as Browser).newPage({ viewport: { width: 1400, height: 1000 } });
      const watch = watchPage(page);
      await page.goto(`file://${path}${fragment}`);
      await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
      return { page, watch };
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
