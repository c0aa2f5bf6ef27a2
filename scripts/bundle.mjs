// Bundles the compiled CLI (dist/src/cli/entry.js) and its dependencies into dist/bundle/, which
// bin/dynlog runs. One file per lazily loaded command instead of a hundred small modules: Node
// resolves and compiles each module separately, and that was half of every command's start-up.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  // Workers are loaded by URL, next to the chunk that starts them.
  entryPoints: {
    entry: `${root}dist/src/cli/entry.js`,
    "scan-worker": `${root}dist/src/input/scan-worker.js`,
    "convert-worker": `${root}dist/src/pipeline/convert-worker.js`,
    "stats-worker": `${root}dist/src/commands/stats-worker.js`,
  },
  outdir,
  bundle: true,
  splitting: true,
  // Loaded from node_modules on first use (src/model/dependencies.ts): bundled, every process
  // and worker thread loaded them at start-up, about 10 ms (the regex engine's 300 KB) and 20 ms
  // (string-width's segmenter) of a small run's 225 ms. Both are dependencies, installed with dynlog.
  external: ["re2js", "string-width"],
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // Dependencies written as CommonJS call require(); give the bundle one.
  banner: {
    js: "import { createRequire as __dynlogRequire } from 'node:module'; const require = __dynlogRequire(import.meta.url);",
  },
});

// The report page (src/report/page, TypeScript for the browser) as one script and one style
// sheet, which `dynlog report` inlines into the HTML file it writes.
const page = await build({
  entryPoints: [`${root}src/report/page/main.ts`],
  bundle: true,
  write: false,
  format: "iife",
  platform: "browser",
  target: ["chrome100", "firefox100", "safari15"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
mkdirSync(`${outdir}/page`, { recursive: true });
writeFileSync(`${outdir}/page/report-page.js`, page.outputFiles[0].text);
const css = [
  readFileSync(`${root}node_modules/uplot/dist/uPlot.min.css`, "utf8"),
  readFileSync(`${root}src/report/page/style.css`, "utf8"),
].join("\n");
writeFileSync(`${outdir}/page/report-page.css`, css);
