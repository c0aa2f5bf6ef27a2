/**
 * `convert` on worker threads writes exactly what one pass writes. DYNLOG_THREADS forces the
 * threads on small files (ranges of 16 KiB), and the files below put what crosses a range's edge
 * there: torn records, tracebacks, records without a time, launcher prefixes, invalid UTF-8.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import { scratchDir } from "../helpers/paths.js";
import { hostileFile, record, sample, ThreadedPlan } from "../helpers/range-edges.js";

const dir = scratchDir("pconvert");
// Every threaded run of the suite goes in one child process, so the files are made first.
const plan = new ThreadedPlan();
const hostile = hostileFile(dir, "hostile.log", 1000);
const prefixed = hostileFile(dir, "prefixed.log", 800, (i) => (i > 400 ? "decode-1  | " : ""));
const timeless = join(dir, "timeless.log");
writeFileSync(
  timeless,
  `${Array.from({ length: 1500 }, (_, i) => `{"level":"INFO","target":"t","message":"${i}"}`).join("\n")}\n`,
);
const middle = hostileFile(dir, "middle.log", 1000, (i) =>
  i >= 250 && i < 300 ? "worker-1  | " : "",
);

plan.test(test, "sample fixtures in each format, and every option that changes the output", [
  [["convert", sample("frontend.jsonl")], "frontend.jsonl"],
  // Launcher prefixes from its first line: read in one pass.
  [["convert", sample("mixed.log")], "mixed.log", "one pass"],
  // The options reach the workers as data whatever the file: each is tried once.
  [
    ["convert", "--color", "always", "--tz", "Asia/Kolkata", "--where", "level=INFO"].concat(
      sample("decode.jsonl"),
    ),
    "coloured, zone, where",
  ],
  [["convert", "--to", "jsonl", sample("frontend.jsonl")], "to jsonl"],
  [
    ["convert", "--filter", "warn,dynamo_llm=debug", "--since", "2025-11-04T09:12:10Z"].concat(
      sample("frontend.jsonl"),
    ),
    "filtered, since",
  ],
]);
plan.test(
  test,
  "torn records, tracebacks, records without time, CRLF and invalid UTF-8 at range edges",
  [
    [["convert", hostile], "hostile"],
    [["convert", "--filter", "error", hostile], "hostile, errors only"],
    [
      ["convert", "--filter", "warn,[m]=trace", hostile],
      "a span directive (decided record by record, so in ranges too)",
    ],
  ],
);
plan.test(test, "a launcher prefix learned part way (the rest is converted in one pass)", [
  [["convert", prefixed], "prefixed"],
]);
plan.test(
  test,
  "joins that are not seamless: records without a time, a prefix learned in between",
  [
    [["convert", timeless], "no record has a time"],
    [["convert", middle], "prefixed in the middle only"],
  ],
);

// Merged inputs: a log of the hour after (rotated files), and the same log gzipped (read here).
const later = join(dir, "later.log");
writeFileSync(later, readFileSync(hostile, "latin1").replaceAll("T09:12:", "T10:12:"), "latin1");
const zipped = join(dir, "hostile.log.gz");
writeFileSync(zipped, gzipSync(readFileSync(middle)));
// Every other record without a time: ranges start at such records, whose order time comes from
// the range before (the join is not seamless, and that input is read on in this thread).
const alternating = join(dir, "alternating.log");
writeFileSync(
  alternating,
  `${Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? record(i + 30) : `{"level":"INFO","message":"after ${i}"}`)).join("\n")}\n`,
);
const empty = join(dir, "empty.log");
writeFileSync(empty, "");
const samples = ["frontend.jsonl", "prefill.jsonl", "decode.jsonl"].map(sample);

plan.test(test, "merged inputs: the sample components, with the options that change the output", [
  [["convert", ...samples], "three components"],
  [["convert", "--to", "jsonl", ...samples], "three components to jsonl"],
  [
    ["convert", "--filter", "warn,dynamo_llm=debug", "--where", "level=INFO"].concat(
      "--since",
      "2025-11-04T09:12:10Z",
      samples,
    ),
    "three components filtered, where, since",
  ],
]);
plan.test(test, "merged inputs cut at hostile edges, out of order, filtered, one gzipped", [
  [["convert", hostile, prefixed, timeless, middle], "hostile, prefixed, timeless, middle"],
  [
    ["convert", later, empty, hostile, dir],
    "rotated files newest first, an empty input, a directory",
  ],
  [
    ["convert", "--since", "2025-11-04T09:12:00Z", hostile, alternating],
    "records without a time at range starts (their time decides --since)",
  ],
  [
    ["convert", "--filter", "error", hostile, later, zipped, "no-such.log"],
    "errors only, tracebacks kept; a gzipped and a missing input",
  ],
]);

test.run();
