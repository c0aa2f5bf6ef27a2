// Runs the compiled uvu suites (dist/test/**/*.test.js) and ends with the plain closing line
// "N passed, N failed" that CI reads. Exit status: 0 only when every test passed. With --lint,
// the linter (`npm run lint`) runs beside the suites and counts as one test.
//
// Suites run side by side, one process a core (DYNLOG_TEST_JOBS overrides), and the suites that
// mostly wait in one more.
// Longest suites start first (durations of the last run are kept in .tmp/test-times.json; a fresh
// clone starts from scripts/test-times.json, a run's times committed; without either, the largest
// first), and each suite's report is printed whole when it ends, so reports never
// interleave. A compiled suite whose source is gone (a renamed test) is not run.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const uvu = fileURLToPath(new URL("../node_modules/uvu/bin.js", import.meta.url));
const args = process.argv.slice(2);
const lint = args.includes("--lint");
const pattern = new RegExp(args.find((a) => a !== "--lint") ?? "\\.test\\.js$");
const testDir = join(root, "dist/test");
const timesFile = join(root, ".tmp/test-times.json");
const committedTimes = join(root, "scripts/test-times.json");
const cores = availableParallelism();
// As many processes as cores (the suites that mostly wait run beside them): one more was 1.3 to
// 2.6 s slower in each of four alternating pairs on two cores (the suites are CPU-bound).
const jobs = Number(process.env.DYNLOG_TEST_JOBS) || cores;

function suites(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return suites(path);
    return e.name.endsWith(".test.js") ? [relative(testDir, path)] : [];
  });
}

const files = suites(testDir)
  .filter((f) => pattern.test(f) && existsSync(join(root, "test", f.replace(/\.js$/, ".ts"))))
  .sort();
// A suite that starts processes or a browser runs in a process of its own; the others (in-process
// tests) share one process per core, which spares each its start-up (half their time when apart).
const OWN_PROCESS =
  /spawn-run|helpers\/browser|report-browser|node:child_process|spawnDynlog|bad-input-commands|process: true/;
/** A compiled suite's TypeScript source, which says how the suite is to be run. */
const sourceOf = (f) => readFileSync(join(root, "test", f.replace(/\.js$/, ".ts")), "utf8");
const alone = (f) => OWN_PROCESS.test(sourceOf(f));
const readTimes = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {});
const lastTimes = { ...readTimes(committedTimes), ...readTimes(timesFile) };
/** A suite's expected seconds: its last time, else a guess from its size. */
const expectedOf = (f) => lastTimes[f] ?? statSync(join(testDir, f)).size / 5000;
const expected = (group) => group.reduce((sum, f) => sum + expectedOf(f), 0);

// The browser suites share a process, and so one Chromium (test/helpers/browser.ts).
const BROWSER = /helpers\/browser|report-browser/;
const usesBrowser = (f) => BROWSER.test(sourceOf(f));
const browserSuites = files.filter(usesBrowser);
const groups = files.filter((f) => alone(f) && !usesBrowser(f)).map((f) => [f]);
if (browserSuites.length > 0) groups.push(browserSuites);
// Shared suites go, longest first, to the process with the least expected time so far.
const shared = Array.from({ length: Math.min(cores, files.length) }, () => []);
for (const f of files
  .filter((f) => !alone(f) && !usesBrowser(f))
  .sort((a, b) => expectedOf(b) - expectedOf(a))) {
  shared.reduce((least, g) => (expected(g) < expected(least) ? g : least)).push(f);
}
groups.push(...shared.filter((g) => g.length > 0));
groups.sort((a, b) => expected(b) - expected(a));

// The suites' environment, and so that of every process they start. Without
// NODE_EXTRA_CA_CERTS: Node reads those certificates at each start (a third of a bare start's
// CPU, 35 of 97 ms, where the variable names the system's bundle), and no test makes a TLS
// connection.
const suiteEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };
delete suiteEnv.NODE_EXTRA_CA_CERTS;

const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const totals = { total: 0, passed: 0, skipped: 0, failedRuns: 0 };
const times = {};
const number = (text, label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);

function runGroup(group) {
  const started = Date.now();
  const only = `^(${group.map(literal).join("|")})$`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [uvu, "dist/test", only], {
      cwd: root,
      env: suiteEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "\n";
    let err = "";
    // uvu prints a suite's file name as the suite starts, in an order of its own: a suite's time
    // runs from its name to the next one (module loading, before the first name, counts for the
    // first suite).
    const starts = new Map();
    child.stdout.on("data", (d) => {
      out += d;
      for (const f of group) {
        if (!starts.has(f) && out.includes(`\n${f}\n`)) starts.set(f, Date.now());
      }
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", (status) => {
      const ended = Date.now();
      const seconds = (ended - started) / 1000;
      const order = [...starts].sort((a, b) => a[1] - b[1]);
      order.forEach(([f, at], i) => {
        times[f] = ((order[i + 1]?.[1] ?? ended) - (i === 0 ? started : at)) / 1000;
      });
      const total = number(out, "Total");
      const passed = number(out, "Passed");
      const skipped = number(out, "Skipped");
      totals.total += total;
      totals.passed += passed;
      totals.skipped += skipped;
      // A suite that crashed before reporting, or exited non-zero, counts as a failure.
      if (status !== 0 || total === 0) totals.failedRuns += Math.max(1, total - passed - skipped);
      else totals.failedRuns += total - passed - skipped;
      const body = out.replace(/\n\s*Total:[\s\S]*$/, "");
      process.stdout.write(`${body.trim()}\n   (${seconds.toFixed(1)} s)\n`);
      if (err.trim() !== "") process.stderr.write(err);
      resolve();
    });
  });
}

/** `biome check .` (with --lint), beside the suites: one test; its report is printed when it ends. */
function runLint() {
  return new Promise((resolve) => {
    const biome = join(root, "node_modules/.bin/biome");
    const child = spawn(biome, ["check", "."], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("error", (err) => {
      out += `${err.message}\n`;
    });
    child.on("close", (status) => {
      totals.total++;
      if (status === 0) totals.passed++;
      else totals.failedRuns++;
      process.stdout.write(
        `lint: biome check .\n${out.trim()}\n   (${status === 0 ? "ok" : "FAILED"})\n`,
      );
      resolve();
    });
  });
}

// A suite that spends most of its time waiting (retry timers, a slow loopback server, files
// followed live) says so on a line of its own, `// test-runner: mostly waits`, and runs in a
// lane of its own beside the `jobs` lanes, from the start: its waiting then holds no lane the
// others could compute in.
const WAITS = /^\/\/ test-runner: mostly waits$/m;
const waits = (group) => group.length === 1 && WAITS.test(sourceOf(group[0]));

const started = Date.now();
const waiting = groups.filter(waits);
const queue = groups.filter((g) => !waits(g));
await Promise.all([
  lint ? runLint() : Promise.resolve(),
  (async () => {
    for (const g of waiting) await runGroup(g);
  })(),
  ...Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let g = queue.shift(); g !== undefined; g = queue.shift()) await runGroup(g);
  }),
]);
mkdirSync(join(root, ".tmp"), { recursive: true });
// Kept: this run's times, and the last ones of suites this run left out (a pattern was given).
const kept = Object.fromEntries(
  Object.entries(lastTimes).filter(([f]) => !f.includes(" ") && existsSync(join(testDir, f))),
);
writeFileSync(timesFile, `${JSON.stringify({ ...kept, ...times }, null, 1)}\n`);
const failed = totals.failedRuns;
const skippedText = totals.skipped > 0 ? `, ${totals.skipped} skipped` : "";
process.stdout.write(
  `\n  Total:     ${totals.total}\n  Passed:    ${totals.passed}\n  Skipped:   ${totals.skipped}\n` +
    `  Duration:  ${((Date.now() - started) / 1000).toFixed(1)} s, ${files.length} suites in ${groups.length} processes, ${jobs} at a time and ${waiting.length} mostly waiting beside\n`,
);
process.stdout.write(`\n${totals.passed} passed, ${failed} failed${skippedText}\n`);
process.exit(failed === 0 && totals.total > 0 ? 0 : 1);
