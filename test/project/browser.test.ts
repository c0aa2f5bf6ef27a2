/** The browser-test helper works: chromium starts with the project's flags and renders a page. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { browserTest, CHROMIUM_FLAGS } from "../helpers/browser.js";

browserTest(test, "chromium opens a data: page and runs its script", async (page) => {
  await page.goto(
    "data:text/html,<title>dynlog</title><p id=out></p><script>document.getElementById('out').textContent = String(6 * 7)</script>",
  );
  assert.is(await page.title(), "dynlog");
  assert.is(await page.locator("#out").textContent(), "42");
  const agent = await page.evaluate("navigator.userAgent");
  assert.match(String(agent), /HeadlessChrome|Chrome/);
});

test("chromium runs without a sandbox, GPU or background traffic", () => {
  for (const flag of ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]) {
    assert.ok(CHROMIUM_FLAGS.includes(flag), flag);
  }
});

test.run();
