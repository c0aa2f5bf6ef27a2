// Measures how fast a `dynlog report` file shows its first view in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core, as the browser tests drive it). Per run, from
// navigation start: the page's script starting, its data read, the first view built (overview
// and table), the first contentful paint (the first frame with any of the page's content, which
// the script builds in one task, so the table is in it), the whole file parsed and the page
// ready (`body[data-ready=true]`), and the histograms in view drawn (deferred past the first
// paint). Prints the load average and core count with the numbers: on a shared machine they are
// as much a measure of it as of the page.
//
// Usage: node bench/report-view.mjs <report.html> [--runs 5] [--json]
import { statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const file = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--runs"));
if (file === undefined) {
  console.error("usage: node bench/report-view.mjs <report.html> [--runs 5] [--json]");
  process.exit(2);
}
const runs = Number(option("runs", "5"));
const path = resolve(file);
const bytes = statSync(path).size;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
  headless: true,
});

/** Milliseconds since navigation start of the page's marks and paints. */
function timings() {
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    responseEnd: nav?.responseEnd ?? null,
    scriptStart: at("dynlog-start"),
    parsed: at("dynlog-parsed"),
    firstView: at("dynlog-first-view"),
    firstContentfulPaint: at("first-contentful-paint"),
    ready: at("dynlog-ready"),
    deferredDone: at("dynlog-deferred"),
    tableRows: document.querySelectorAll("#requests-scroller .row").length,
  };
}

const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const load = loadavg()[0];
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const started = performance.now();
    await page.goto(`file://${path}`, { waitUntil: "commit" });
    await page.waitForSelector("body[data-ready=true]", { timeout: 120_000 });
    await page.waitForSelector("body[data-deferred=true]", { timeout: 120_000, state: "attached" });
    const wall = performance.now() - started;
    const t = await page.evaluate(timings);
    results.push({ ...t, wall, load, errors });
    await context.close();
  }
} finally {
  await browser.close();
}

const ms = (v) => (v === null || v === undefined ? "—" : `${Math.round(v)} ms`);
if (args.includes("--json")) {
  console.log(JSON.stringify({ file: path, bytes, cores: cpus().length, results }, null, 2));
} else {
  console.log(`${path}: ${(bytes / 1e6).toFixed(1)} MB, ${cpus().length} cores`);
  console.log(
    "run  load   file-read  script   data-read  built    painted  ready    histograms  rows",
  );
  for (const [i, r] of results.entries()) {
    console.log(
      [
        String(i + 1).padEnd(4),
        r.load.toFixed(2).padEnd(6),
        ms(r.responseEnd).padEnd(10),
        ms(r.scriptStart).padEnd(8),
        ms(r.parsed).padEnd(10),
        ms(r.firstView).padEnd(8),
        ms(r.firstContentfulPaint).padEnd(8),
        ms(r.ready).padEnd(8),
        ms(r.deferredDone).padEnd(11),
        String(r.tableRows),
        r.errors.length > 0 ? ` errors: ${r.errors.join("; ")}` : "",
      ].join(" "),
    );
  }
  const sorted = (key) => results.map((r) => r[key]).sort((a, b) => a - b);
  const median = (key) => sorted(key)[Math.floor(results.length / 2)];
  console.log(
    `first view painted: median ${ms(median("firstContentfulPaint"))}, best ${ms(sorted("firstContentfulPaint")[0])}, worst ${ms(sorted("firstContentfulPaint").at(-1))}; ready: median ${ms(median("ready"))}`,
  );
}
