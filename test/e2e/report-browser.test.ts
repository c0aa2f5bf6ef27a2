/**
 * The report in a real browser (headless Chromium through playwright-core): it opens with no
 * console errors and no network requests, shows the counts `traces` gives, opens a request's
 * waterfall with busy and idle time, filters, sorts and scrolls its table, and shows hostile log
 * content as text without running any of it. Screenshots go to build/screenshots/ for people.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";
import { launchChromium, type PageWatch, watchPage } from "../helpers/report-browser.js";
import {
  bigTrace,
  HOSTILE,
  hostileRequest,
  manyRequests,
  tempLog,
} from "../helpers/report-logs.js";

const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);
const SCREENSHOTS = `${ROOT}build/screenshots/`;

let browser: Browser | null = null;

function writeReport(args: string[]): string {
  const out = join(dirname(tempLog("x", "")), "report.html");
  const run = dynlog(["report", "-o", out, ...args], { timeoutMs: 60000 });
  assert.is(run.status, 0, run.stderr);
  return out;
}

let sampleReport = "";

async function open(path: string, fragment = ""): Promise<{ page: Page; watch: PageWatch }> {
  const page = await (browser as Browser).newPage({ viewport: { width: 1400, height: 1000 } });
  const watch = watchPage(page);
  await page.goto(`file://${path}${fragment}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  return { page, watch };
}

async function shownCount(page: Page): Promise<number> {
  const text = (await page.textContent("#rows-shown")) ?? "";
  return Number(/^(\d+) of/.exec(text)?.[1] ?? -1);
}

test.before(async () => {
  browser = await launchChromium("report browser tests");
  if (browser !== null) sampleReport = writeReport(SAMPLE);
});

test.after(async () => {
  await browser?.close();
});

const inBrowser = (name: string, fn: () => Promise<void>) =>
  test(name, async () => {
    if (browser === null) return;
    await fn();
  });

interface TraceRowJson {
  trace_id: string;
  duration_us: number;
  span_count: number;
  errors: number;
  open: boolean;
}

const traceRows = () =>
  JSON.parse(dynlog(["traces", "--format", "json", ...SAMPLE]).stdout) as TraceRowJson[];

inBrowser(
  "the report opens with no console errors, no requests, and the counts of traces",
  async () => {
    const { page, watch } = await open(sampleReport);
    const rows = traceRows();
    assert.is(await page.textContent("#count-requests"), String(rows.length));
    assert.is(
      await page.textContent("#count-errors"),
      String(rows.filter((r) => r.errors > 0).length),
    );
    assert.is(await page.textContent("#count-open"), String(rows.filter((r) => r.open).length));
    assert.is(await shownCount(page), rows.length);
    assert.ok(
      (await page.locator("#chart-requests canvas").count()) > 0,
      "the requests chart is drawn",
    );
    // The histograms are drawn after the first paint, as they come into view.
    await page.waitForSelector("body[data-deferred=true]");
    assert.is(await page.locator("#stats .histogram canvas").count(), 3);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}report-overview.png`, fullPage: true });
    assert.equal(watch.errors, []);
    assert.equal(watch.requests, []);
    await page.close();
  },
);

inBrowser(
  "clicking a request shows its spans with busy and idle time, and names it in the URL",
  async () => {
    const { page, watch } = await open(sampleReport);
    const row = traceRows().find((r) => r.trace_id.startsWith("b8359cec")) as TraceRowJson;
    await page.click(`#requests-scroller .row[data-row] >> text=${row.trace_id.slice(0, 12)}`);
    await page.waitForSelector("#spans .span-row");
    assert.is(await page.locator("#spans .span-row").count(), row.span_count);
    const timing = (await page.locator("#spans .span-timing").allTextContents()).join("\n");
    assert.match(timing, /busy [\d.]+(µs|ms|s)/);
    assert.match(timing, /idle [\d.]+(µs|ms|s)/);
    assert.ok((await page.locator("#spans .bar .busy").count()) === row.span_count);
    // Errors and warnings inside spans are labelled as the terminal labels them.
    const notes = await page.locator("#spans .flag").allTextContents();
    assert.ok(notes.includes("1 error") && notes.includes("1 warning"), notes.join(", "));
    assert.ok(page.url().endsWith(`#trace=${row.trace_id}`));
    await page.locator("#spans .span-row").nth(1).click();
    assert.ok((await page.locator("#span-details .log").count()) > 0, "its records are listed");
    await page.locator("#request").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}report-trace.png`, fullPage: false });
    // Folding the root hides its subtree.
    await page.locator("#spans .span-row").first().locator("button.fold").click();
    assert.is(await page.locator("#spans .span-row").count(), 1);
    assert.equal(watch.errors, []);
    await page.close();
  },
);

inBrowser("a link with #trace=<id> opens that request", async () => {
  const row = traceRows()[3] as TraceRowJson;
  const { page } = await open(sampleReport, `#trace=${row.trace_id}`);
  assert.ok(await page.isVisible("#request"));
  assert.match((await page.textContent("#request h2")) ?? "", row.trace_id);
  await page.close();
});

inBrowser("an open span is labelled as the terminal labels it", async () => {
  const row = traceRows().find((r) => r.open) as TraceRowJson;
  const { page } = await open(sampleReport, `#trace=${row.trace_id}`);
  const notes = await page.locator("#spans .flag").allTextContents();
  assert.ok(notes.includes("open"), notes.join(", "));
  await page.close();
});

inBrowser("trace --format html is one request's page, opened on its waterfall", async () => {
  const run = dynlog(["trace", "b8359cec", "--format", "html", ...SAMPLE]);
  assert.is(run.status, 0, run.stderr);
  const path = tempLog("trace.html", run.stdout);
  const { page, watch } = await open(path);
  assert.is(await page.locator("#spans .span-row").count(), 3);
  assert.not.ok(await page.isVisible("#requests"));
  assert.equal(watch.errors, []);
  assert.equal(watch.requests, []);
  await page.close();
});

inBrowser("filters change the table: errors only, minimum duration, id search", async () => {
  const { page } = await open(sampleReport);
  const rows = traceRows();
  await page.check("#filter-errors");
  assert.is(await shownCount(page), rows.filter((r) => r.errors > 0).length);
  await page.uncheck("#filter-errors");
  await page.fill("#filter-min-duration", "3s");
  assert.is(await shownCount(page), rows.filter((r) => r.duration_us >= 3e6).length);
  await page.fill("#filter-min-duration", "");
  await page.fill("#filter-search", "b8359cec");
  assert.is(await shownCount(page), 1);
  assert.is(await page.locator("#requests-scroller .row").count(), 1);
  await page.close();
});

inBrowser("sorting by duration puts the slowest first, then the fastest", async () => {
  const { page } = await open(sampleReport);
  const byDuration = traceRows().sort((a, b) => b.duration_us - a.duration_us);
  const firstTrace = () => page.locator("#requests-scroller .row .c-trace").first().textContent();
  await page.click('[data-sort="duration"]');
  assert.is(await firstTrace(), byDuration[0]?.trace_id);
  await page.click('[data-sort="duration"]');
  assert.is(await firstTrace(), byDuration.at(-1)?.trace_id);
  await page.close();
});

inBrowser(
  "a long table scrolls, drawing only the rows in view, and keys open a request",
  async () => {
    const path = writeReport(["--detail", "10", tempLog("many.jsonl", manyRequests(5000))]);
    const { page, watch } = await open(path);
    assert.is(await shownCount(page), 5000);
    assert.ok((await page.locator("#requests-scroller .row").count()) < 100);
    await page.locator("#requests-scroller").evaluate((e) => {
      e.scrollTop = e.scrollHeight;
    });
    // A locator wait runs in the page's utility world, so the report's strict CSP does not block it.
    await page
      .locator("#requests-scroller .c-request", { hasText: /^req-4999$/ })
      .waitFor({ timeout: 30000 });
    await page.locator("#requests-scroller").focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#request:not([hidden])");
    assert.match((await page.textContent("#request h2")) ?? "", "0".repeat(31) + "2");
    assert.equal(watch.errors, []);
    await page.close();
  },
);

inBrowser(
  "a request of 20 000 spans draws only the spans in view; scrolling, keys and folding reach all",
  async () => {
    const spans = 20_000;
    const path = writeReport([tempLog("big-trace.jsonl", bigTrace(spans))]);
    const { page, watch } = await open(path, `#trace=${"b".repeat(32)}`);
    assert.match((await page.textContent("#request .facts")) ?? "", `${spans} spans`);
    const rows = page.locator("#spans .span-row");
    const row = (span: number) => page.locator(`#spans .span-row[data-span="${span}"]`);
    const bounded = async () => {
      const n = await rows.count();
      assert.ok(n > 10 && n < 100, `${n} span rows in the document`);
    };
    await bounded();
    assert.ok((await page.locator("#spans .bar.critical").count()) > 0, "the critical path");
    await page.locator("#spans").evaluate((e) => {
      e.scrollTop = e.scrollHeight;
    });
    await row(spans - 1).waitFor();
    await bounded();
    // Keys: Home to the root, down to the first group, left folds it, End to the last span.
    await row(spans - 1).click();
    assert.ok((await page.locator("#span-details .attributes").count()) > 0, "its details");
    await page.keyboard.press("Home");
    await page.locator('#spans .span-row[data-span="0"]:focus').waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowLeft");
    await page.locator('#spans .span-row[data-span="1"][aria-expanded="false"]').waitFor();
    assert.is(await row(2).count(), 0, "the folded group's spans are hidden");
    assert.is(await row(101).getAttribute("data-position"), "2");
    await page.keyboard.press("End");
    await page.locator(`#spans .span-row[data-span="${spans - 1}"]:focus`).waitFor();
    await page.keyboard.press("+");
    assert.match((await page.textContent("#request .axis .label")) ?? "", /zoomed/);
    // Folding the root leaves it alone.
    await page.locator("#spans").evaluate((e) => {
      e.scrollTop = 0;
    });
    await row(0).locator("button.fold").click();
    assert.is(await rows.count(), 1);
    assert.equal(watch.errors, []);
    await page.close();
  },
);

inBrowser("hostile log content shows as text and none of it runs", async () => {
  const path = writeReport([tempLog("hostile.jsonl", hostileRequest())]);
  const { page, watch } = await open(path, `#trace=${"a".repeat(32)}`);
  await page.locator("#spans .span-row").nth(1).click();
  const text = (await page.evaluate("document.body.innerText")) as string;
  for (const h of HOSTILE.slice(0, 4)) assert.ok(text.includes(h), `shown as text: ${h}`);
  const counts = await page.evaluate(`({
    pwned: window.__pwned ?? 0,
    images: document.querySelectorAll("img").length,
    links: document.querySelectorAll("a").length,
    scripts: document.querySelectorAll("script").length,
    styles: document.querySelectorAll("style").length,
  })`);
  assert.equal(counts, { pwned: 0, images: 0, links: 0, scripts: 3, styles: 1 });
  assert.equal(watch.errors, []);
  assert.equal(watch.requests, []);
  await page.close();
});

test.run();
