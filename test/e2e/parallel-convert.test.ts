/**
 * `convert` on worker threads writes exactly what one pass writes. DYNLOG_THREADS forces the
 * threads on small files (ranges of 64 KiB), and the files below put what crosses a range's edge
 * there: torn records, tracebacks, records without a time, launcher prefixes, invalid UTF-8.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import { FIXTURES } from "../helpers/paths.js";
import { hostileLog, sameOnThreads as same } from "../helpers/range-edges.js";

const dir = mkdtempSync(join(tmpdir(), "dynlog-pconvert-"));

test("sample fixtures in each format, and every option that changes the output", () => {
  const file = (name: string) => `${FIXTURES}sample/${name}`;
  same([
    [["convert", file("frontend.jsonl")], "frontend.jsonl"],
    [["convert", file("decode.jsonl")], "decode.jsonl"],
    // Launcher prefixes from its first line: read in one pass.
    [["convert", file("mixed.log")], "mixed.log", "one pass"],
    // The options reach the workers as data whatever the file: each is tried once.
    [
      ["convert", "--color", "always", "--tz", "Asia/Kolkata", file("decode.jsonl")],
      "coloured, zone",
    ],
    [["convert", "--to", "jsonl", file("frontend.jsonl")], "to jsonl"],
    [["convert", "--filter", "warn,dynamo_llm=debug", file("frontend.jsonl")], "filtered"],
    [["convert", file("decode.jsonl"), "--where", "level=INFO"], "where"],
    [["convert", "--since", "2025-11-04T09:12:10Z", file("frontend.jsonl")], "since"],
  ]);
});

test("torn records, tracebacks, records without time, CRLF and invalid UTF-8 at range edges", () => {
  const file = join(dir, "hostile.log");
  writeFileSync(file, hostileLog(4000));
  same([
    [["convert", file], "hostile"],
    [["convert", "--filter", "error", file], "hostile, errors only"],
    [
      ["convert", "--filter", "warn,[m]=trace", file],
      "a span directive (decided record by record, so in ranges too)",
    ],
  ]);
});

test("a launcher prefix learned part way (the rest is converted in one pass)", () => {
  const file = join(dir, "prefixed.log");
  writeFileSync(
    file,
    hostileLog(3000, (i) => (i > 1500 ? "decode-1  | " : "")),
  );
  same([[["convert", file], "prefixed"]]);
});

test("joins that are not seamless: records without a time, a prefix learned in between", () => {
  const timeless = join(dir, "timeless.log");
  const lines = Array.from(
    { length: 3000 },
    (_, i) => `{"level":"INFO","target":"t","message":"${i}"}`,
  );
  writeFileSync(timeless, `${lines.join("\n")}\n`);
  const middle = join(dir, "middle.log");
  const prefixAt = (i: number) => (i >= 1000 && i < 1200 ? "worker-1  | " : "");
  writeFileSync(middle, hostileLog(4000, prefixAt));
  same([
    [["convert", timeless], "no record has a time"],
    [["convert", middle], "prefixed in the middle only"],
  ]);
});

test.run();
