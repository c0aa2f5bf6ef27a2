/**
 * The report's browser tests share one Chromium (from `browser.ts`) across a suite:
 * `launchChromium` resolves to null (after printing why) when no browser is installed, and throws
 * instead when CI=true, where a missing browser is a broken set-up.
 */
import type { Browser, ConsoleMessage, Page } from "playwright-core";
import { chromiumMissing, launchChromium as launchShared } from "./browser.js";

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
