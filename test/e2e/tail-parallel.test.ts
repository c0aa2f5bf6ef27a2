/**
 * `tail`'s starting segment on worker threads writes exactly what one thread writes: whole files
 * and last-N segments whose range edges meet torn records, tracebacks, records without a time,
 * CRLF, launcher prefixes and invalid UTF-8; and when following, the line still being written at
 * the segment's end is completed by the follower, not cut off by a worker.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type BatchCliResult, dynlog } from "../helpers/cli.js";
import { killAll, startTail } from "../helpers/live.js";
import { scratchDir } from "../helpers/paths.js";
import { hostileFile, hostileLog, record, sample, ThreadedPlan } from "../helpers/range-edges.js";

const dir = scratchDir("ptail");
test.after.each(killAll);

const whole = ["tail", "--no-follow", "-n", "all"];

// Every threaded run of the suite goes in one child process, so the files are made first.
const plan = new ThreadedPlan();
const hostile = hostileFile(dir, "hostile.log", 1000);
const prefixed = hostileFile(dir, "prefixed.log", 1000, (i) =>
  i >= 250 && i < 300 ? "worker-1  | " : "",
);
const quiet = hostileFile(dir, "quiet.log", 800);

plan.test(
  test,
  "tail of the sample fixtures in each format, coloured, filtered, in a zone, with hidden keys",
  [
    [[...whole, sample("frontend.jsonl")], "frontend.jsonl"],
    // Launcher prefixes from its first line: read in one pass.
    [[...whole, sample("mixed.log")], "mixed.log", "one pass"],
    // The options reach the workers as data whatever the file: each is tried once.
    [
      [...whole, "--color", "always", "--tz", "Asia/Kolkata", "--filter", "warn"].concat(
        "--hide",
        "span_*",
        sample("decode.jsonl"),
      ),
      "coloured, zone, filtered, hidden",
    ],
  ],
);
plan.test(test, "tail with torn records, tracebacks, CRLF and invalid UTF-8 at range edges", [
  [[...whole, hostile], "whole file"],
  [[...whole, "--raw", hostile], "raw"],
  [[...whole, "--color", "always", "--filter", "error", hostile], "errors only, coloured"],
  [[...whole, "--where", "level=DEBUG", hostile], "no record matches in some ranges"],
  [["tail", "--no-follow", "-n", "600", hostile], "the last 600 records"],
  // Skipping the first records (+N) is left to one thread.
  [["tail", "--no-follow", "-n", "+200", hostile], "from the 200th record", "one pass"],
]);
plan.test(test, "tail of a file whose launcher prefix appears part way (read on in one thread)", [
  [[...whole, "--color", "always", prefixed], "prefixed in the middle, coloured"],
]);
const QUIET = plan.add([[[...whole, "--filter", "off", quiet], "matching nothing"]]);

test("tail that matches nothing says so once, whether ranges were on threads or not", () => {
  const [threaded] = plan.threadedOf(QUIET) as [BatchCliResult];
  const single = dynlog(QUIET.cases[0]?.[0] as string[], { env: { DYNLOG_THREADS: "0" } });
  assert.ok(threaded.workerReplies > 0, "the workers did their part");
  assert.is(threaded.stderr, "dynlog: no records matched --filter 'off'\n");
  assert.is(threaded.stderr, single.stderr);
  assert.is(threaded.stdout, single.stdout);
});

test("following on threads: the line being written when tail starts is shown once, whole", async () => {
  const file = join(dir, "growing.log");
  const last = record(5000);
  writeFileSync(file, Buffer.concat([hostileLog(1000), Buffer.from(`${record(4999)}\n`)]));
  appendFileSync(file, last.slice(0, 30));
  const tail = startTail(["-n", "all", file], { DYNLOG_THREADS: "2" });
  await tail.waitFor((o) => o.includes(" m 4999"));
  appendFileSync(file, `${last.slice(30)}\n`);
  await tail.waitFor((o) => o.includes(" m 5000"));
  assert.is(await tail.stop("SIGTERM"), 0);
  const once = dynlog([...whole, file], { env: { DYNLOG_THREADS: "0" } });
  assert.ok(
    tail.output() === once.stdout,
    "the followed output is what one pass over the file shows",
  );
});

test.run();
