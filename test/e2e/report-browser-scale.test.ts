/**
 * The report in a real browser, at scale and under attack: a table of 2 000 requests and a request
 * of 5 000 spans draw only what is in view while scrolling (tens of rows in the document, not
 * thousands), keys and folding reach everything; hostile log content shows as text and none of it
 * runs. The sizes are what shows the drawing bounded, at a few seconds of Chromium's time each.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { reportSuite, shownCount, writeReport } from "../helpers/report-browser.js";
import {
  bigTrace,
  HOSTILE,
  hostileRequest,
  manyRequests,
  tempLog,
} from "../helpers/report-logs.js";

const { inBrowser, open } = reportSuite(test, "report browser tests at scale");

inBrowser(
  "a long table scrolls, drawing only the rows in view, and keys open a request",
  async () => {
    const requests = 2_000;
    const path = writeReport(["--detail", "10", tempLog("many.jsonl", manyRequests(requests))]);
    const { page, watch } = await open(path);
    assert.is(await shownCount(page), requests);
    assert.ok((await page.locator("#requests-scroller .row").count()) < 100);
    await page.locator("#requests-scroller").evaluate((e) => {
      e.scrollTop = e.scrollHeight;
    });
    // A locator wait runs in the page's utility world, so the report's strict CSP does not block it.
    await page
      .locator("#requests-scroller .c-request", { hasText: new RegExp(`^req-${requests - 1}$`) })
      .waitFor({ timeout: 30000 });
    await page.locator("#requests-scroller").focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#request:not([hidden])");
    assert.match((await page.textContent("#request h2")) ?? "", "0".repeat(31) + "2");
    assert.equal(watch.errors, []);
  },
);

inBrowser(
  "a request of 5 000 spans draws only the spans in view; scrolling, keys and folding reach all",
  async () => {
    const spans = 5_000;
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
});

test.run();
