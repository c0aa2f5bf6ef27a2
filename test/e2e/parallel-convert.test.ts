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

test("sample fixtures, with every option that changes the output", () => {
  for (const name of ["frontend.jsonl", "decode.jsonl", "mixed.log"]) {
    const file = `${FIXTURES}sample/${name}`;
    same(["convert", file], name);
    same(["convert", "--color", "always", "--tz", "Asia/Kolkata", file], `${name} coloured, zone`);
    same(["convert", "--to", "jsonl", file], `${name} to jsonl`);
    same(["convert", "--filter", "warn,dynamo_llm=debug", file], `${name} filtered`);
    same(["convert", file, "--where", "level=INFO"], `${name} where`);
    same(["convert", "--since", "2025-11-04T09:12:10Z", file], `${name} since`);
  }
});

test("torn records, tracebacks, records without time, CRLF and invalid UTF-8 at range edges", () => {
  const file = join(dir, "hostile.log");
  writeFileSync(file, hostileLog(4000));
  same(["convert", file], "hostile");
  same(["convert", "--filter", "error", file], "hostile, errors only");
  same(["convert", "--filter", "warn,[m]=trace", file], "a span directive (converted in one pass)");
});

test("a launcher prefix learned part way (the rest is converted in one pass)", () => {
  const file = join(dir, "prefixed.log");
  writeFileSync(
    file,
    hostileLog(3000, (i) => (i > 1500 ? "decode-1  | " : "")),
  );
  same(["convert", file], "prefixed");
});

test("joins that are not seamless: records without a time, a prefix learned in between", () => {
  const timeless = join(dir, "timeless.log");
  const lines = Array.from(
    { length: 3000 },
    (_, i) => `{"level":"INFO","target":"t","message":"${i}"}`,
  );
  writeFileSync(timeless, `${lines.join("\n")}\n`);
  same(["convert", timeless], "no record has a time");
  const middle = join(dir, "middle.log");
  const prefixAt = (i: number) => (i >= 1000 && i < 1200 ? "worker-1  | " : "");
  writeFileSync(middle, hostileLog(4000, prefixAt));
  same(["convert", middle], "prefixed in the middle only");
});

test.run();
