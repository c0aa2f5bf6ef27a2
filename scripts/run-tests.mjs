// Runs the compiled uvu suites (dist/test/**/*.test.js) and ends with the plain closing line
// "N passed, N failed" that CI reads. Exit status: 0 only when every test passed.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const uvu = fileURLToPath(new URL("../node_modules/uvu/bin.js", import.meta.url));
const pattern = process.argv[2] ?? "\\.test\\.js$";
const run = spawnSync(process.execPath, [uvu, "dist/test", pattern], {
  cwd: root,
  encoding: "utf8",
  env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  maxBuffer: 64 * 1024 * 1024,
});
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
const number = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(run.stdout)?.[1] ?? 0);
const total = number("Total");
const passed = number("Passed");
const skipped = number("Skipped");
const failed = Math.max(total - passed - skipped, run.status === 0 ? 0 : 1);
const skippedText = skipped > 0 ? `, ${skipped} skipped` : "";
process.stdout.write(`\n${passed} passed, ${failed} failed${skippedText}\n`);
process.exit(run.status === 0 && failed === 0 && total > 0 ? 0 : 1);
