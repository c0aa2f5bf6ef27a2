/**
 * The report in a real browser (headless Chromium through playwright-core): it opens with no
 * console errors and no network requests, shows the counts `traces` gives, opens a request's
 * waterfall with busy and idle time, and filters and sorts its table. Screenshots go to
 * build/screenshots/ for people. Large reports and hostile content: report-browser-scale.test.ts.
 */
import { mkdirSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";
import { reportSuite, shownCount, writeReport } from "../helpers/report-browser.js";
import { tempLog } from "../helpers/report-logs.js";

const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);
const SCREENSHOTS = `${ROOT}build/screenshots/`;

let sampleReport = "";
const { inBrowser, open } = reportSuite(test, "report browser tests", () => {
  sampleReport = writeReport(SAMPLE);
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
  },
);

inBrowser("a link with #trace=<id> opens that request", async () => {
  const row = traceRows()[3] as TraceRowJson;
  const { page } = await open(sampleReport, `#trace=${row.trace_id}`);
  assert.ok(await page.isVisible("#request"));
  assert.match((await page.textContent("#request h2")) ?? "", row.trace_id);
});

inBrowser("an open span is labelled as the terminal labels it", async () => {
  const row = traceRows().find((r) => r.open) as TraceRowJson;
  const { page } = await open(sampleReport, `#trace=${row.trace_id}`);
  const notes = await page.locator("#spans .flag").allTextContents();
  assert.ok(notes.includes("open"), notes.join(", "));
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
});

inBrowser("sorting by duration puts the slowest first, then the fastest", async () => {
  const { page } = await open(sampleReport);
  const byDuration = traceRows().sort((a, b) => b.duration_us - a.duration_us);
  const firstTrace = () => page.locator("#requests-scroller .row .c-trace").first().textContent();
  await page.click('[data-sort="duration"]');
  assert.is(await firstTrace(), byDuration[0]?.trace_id);
  await page.click('[data-sort="duration"]');
  assert.is(await firstTrace(), byDuration.at(-1)?.trace_id);
});

test.run();
