// Bundles the compiled CLI (dist/src/cli/entry.js) and its dependencies into dist/bundle/, which
// bin/dynlog runs. One file per lazily loaded command instead of a hundred small modules: Node
// resolves and compiles each module separately, and that was half of every command's start-up.
import { rmSync } from "node:fs";
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
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // Dependencies written as CommonJS call require(); give the bundle one.
  banner: {
    js: "import { createRequire as __dynlogRequire } from 'node:module'; const require = __dynlogRequire(import.meta.url);",
  },
});
