// Builds dynlog: the type check and compile of src/, test/ and tools/ into dist/ and the type
// check of the report page side by side (two processes), then the bundle bin/dynlog runs
// (scripts/bundle.mjs). Exit status: that of the first step that failed, else 0.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit" });
    child.on("close", (status) => resolve(status ?? 1));
  });
}

const checks = await Promise.all([run([tsc, "-p", "."]), run([tsc, "-p", "src/report/page"])]);
const failed = checks.find((status) => status !== 0);
if (failed !== undefined) process.exit(failed);
process.exit(await run([fileURLToPath(new URL("bundle.mjs", import.meta.url))]));
