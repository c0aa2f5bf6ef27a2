/**
 * `export --format chrome` opened in speedscope's web app (shipped in the speedscope package) in
 * headless Chromium: one profile per service's trace thread, frames named after the spans.
 * Skipped with a message where Chromium is missing; failing then when CI=true.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { browserTest } from "../helpers/browser.js";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, ROOT, scratchDir } from "../helpers/paths.js";

const APP = `${ROOT}node_modules/speedscope/dist/release/index.html`;
const DOC = ["frontend", "prefill", "decode"].map(
  (n) => `${FIXTURES}doc-example/created/${n}.jsonl`,
);

browserTest(
  test,
  "the Chrome trace opens in speedscope with frames named after the spans",
  async (page) => {
    const dir = scratchDir("speedscope");
    const trace = join(dir, "trace.json");
    const run = dynlog(["export", "--format", "chrome", "-o", trace, ...DOC]);
    assert.is(run.status, 0, run.stderr);
    // What speedscope's own command line hands its page: a script that loads the file.
    const loader = join(dir, "trace.js");
    const base64 = readFileSync(trace).toString("base64");
    writeFileSync(loader, `speedscope.loadFileFromBase64("trace.json", ${JSON.stringify(base64)})`);
    {
      await page.goto(`file://${APP}#localProfilePath=${loader}`);
      const body = page.locator("body");
      await body
        .getByText("frontend (pid 1), trace b672ccf48683b392")
        .first()
        .waitFor({ timeout: 30000 });
      const text = (await body.textContent()) ?? "";
      for (const thread of ["prefill (pid 2)", "decode (pid 3)"])
        assert.ok(text.includes(thread), thread);
      await page.keyboard.press("3"); // the sandwich view lists frames by name
      await body
        .getByText(/^http-request/)
        .first()
        .waitFor({ timeout: 30000 });
      await page.keyboard.press("n"); // the next profile: prefill's thread
      await body
        .getByText(/^handle_payload/)
        .first()
        .waitFor({ timeout: 30000 });
    }
  },
);

test.run();
