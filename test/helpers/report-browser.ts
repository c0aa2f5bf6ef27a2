/**
 * A headless Chromium for the report's tests: Debian's /usr/bin/chromium driven by
 * playwright-core. `launchChromium` resolves to null (after printing why) when no browser is
 * installed, and throws instead when CI=true, where a missing browser is a broken set-up.
 */
import { existsSync } from "node:fs";
import type { Browser, ConsoleMessage, Page } from "playwright-core";

export const CHROMIUM = process.env["DYNLOG_CHROMIUM"] ?? "/usr/bin/chromium";
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export async function launchChromium(suite: string): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    const why = `${CHROMIUM} is not installed`;
    if (process.env["CI"] === "true") throw new Error(`${suite}: ${why}`);
    console.log(`skipping ${suite}: ${why} (apt-get install chromium)`);
    return null;
  }
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
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
