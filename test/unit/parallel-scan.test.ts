/** Cutting files into ranges for worker threads, and finding lines across chunk boundaries. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type CutMark,
  cutFile,
  LINE_STARTS,
  RECORD_JOINS,
  rangeSize,
} from "../../src/input/file-ranges.js";
import { NeedleLines } from "../../src/input/needle-lines.js";
import { workerThreads } from "../../src/input/worker-pool.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("ranges");

/**
 * Cuts `text` (as a file) at every target size: the ranges must cover it once, in order, none
 * empty, and each (but the first) start where `startsWell` says a cut may go.
 */
function checkCuts(
  text: string,
  cut: CutMark,
  targets: number[],
  startsWell: (at: number) => boolean,
): void {
  const path = join(dir, `cut-${targets.join("-")}.txt`);
  writeFileSync(path, text);
  const size = Buffer.byteLength(text);
  for (const target of targets) {
    const ranges = cutFile(path, size, target, cut);
    assert.is(ranges[0]?.start, 0);
    assert.is(ranges.at(-1)?.end, size);
    for (const [k, r] of ranges.entries()) {
      assert.ok(r.end > r.start, `range ${k} of target ${target} is not empty`);
      if (k > 0) assert.is(r.start, ranges[k - 1]?.end, "no gap, no overlap");
      if (r.start > 0) assert.ok(startsWell(r.start), `range ${k} of target ${target}: ${r.start}`);
    }
  }
}

test("ranges start at line starts, end after a newline, and cover the file once", () => {
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${"z".repeat((i * 37) % 300)}`);
  const text = `${lines.join("\n")}\nno newline at the end`;
  const size = Buffer.byteLength(text);
  checkCuts(text, LINE_STARTS, [1, 100, 1000, 4096, size, size * 2], (at) => text[at - 1] === "\n");
});

test("ranges cut at record joins start with a record that follows one", () => {
  const lines = Array.from({ length: 400 }, (_, i) =>
    i % 5 === 0 ? `  traceback line ${i}` : `{"message":"${"m".repeat((i * 53) % 400)}"}`,
  );
  const text = `${lines.join("\n")}\n`;
  const joined = (at: number) => text.slice(at - 2, at + 1) === "}\n{";
  checkCuts(text, RECORD_JOINS, [1, 500, 5000, Buffer.byteLength(text)], joined);
});

test("range size and thread count", () => {
  assert.is(rangeSize(100, 2, 16 * 1024 * 1024), 16 * 1024);
  assert.is(rangeSize(1e12, 2, 16 * 1024 * 1024), 16 * 1024 * 1024);
  assert.is(rangeSize(1e12, 2, 4 * 1024 * 1024), 4 * 1024 * 1024);
  assert.is(workerThreads(1e12, { DYNLOG_THREADS: "0" }), 0);
  assert.is(workerThreads(10, { DYNLOG_THREADS: "3" }), 3);
  assert.is(workerThreads(10, {}), 0, "small inputs are searched in this thread");
});

test("the same lines are found whatever the chunking", () => {
  const needle = Buffer.from("NEEDLE");
  const rows = Array.from({ length: 300 }, (_, i) =>
    i % 7 === 0 ? `row ${i} NEEDLE ${"a".repeat(i)}` : `row ${i} ${"b".repeat(i)}`,
  );
  const bytes = Buffer.from(`${rows.join("\r\n")}\r\nlast NEEDLE`);
  const expected = [...rows.filter((r) => r.includes("NEEDLE")), "last NEEDLE"];
  for (const size of [1, 2, 7, 64, 1000, bytes.length]) {
    const found: string[] = [];
    const scan = new NeedleLines([needle], (b, s, e) => found.push(b.toString("utf8", s, e)));
    for (let at = 0; at < bytes.length; at += size) {
      scan.push(bytes.subarray(at, Math.min(at + size, bytes.length)));
    }
    scan.finish();
    assert.equal(found, expected, `chunks of ${size}`);
  }
});

test("needles searched by an upper-case anchor find exactly the lines that hold them whole", () => {
  const needles = [
    '"level":"WARN"',
    '"message":"SPAN_CLOSED"',
    "OTLP export",
    "ab",
    '"trace_id":"t',
  ];
  const pieces = [
    '"level":"WARN"',
    '"level":"INFO"',
    "WARN",
    'level":"WARN"',
    '"message":"SPAN_',
    '"message":"SPAN_CLOSED"',
    "SPAN_CLOSED",
    "OTLP e",
    "OTLP export",
    "OTLP exported",
    "xyz",
    '"trace_id":"t',
    "a",
    "b",
    "WARNWARN",
    '""level":"WARN"',
  ];
  let seed = 5;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  const rows = Array.from({ length: 400 }, () =>
    Array.from({ length: 1 + next(4) }, () => pieces[next(pieces.length)]).join(next(2) ? "" : ","),
  );
  const bytes = Buffer.from(`${rows.join("\n")}\n`);
  const expected = rows.filter((r) => needles.some((n) => r.includes(n)));
  assert.ok(expected.length > 50 && expected.length < rows.length - 50, "a mix");
  for (const size of [3, 64, 4096, bytes.length]) {
    const found: string[] = [];
    const scan = new NeedleLines(
      needles.map((n) => Buffer.from(n)),
      (b, s, e) => found.push(b.toString("utf8", s, e)),
    );
    for (let at = 0; at < bytes.length; at += size) scan.push(bytes.subarray(at, at + size));
    scan.finish();
    assert.equal(found, expected, `chunks of ${size}`);
  }
});

test("followers: the non-record lines after a match come with it, whatever the chunking", () => {
  const needle = Buffer.from('"trace_id":"t1"');
  const rec = (n: number, trace: string) => `{"n":${n},"trace_id":"${trace}"}`;
  const rows = [
    "preamble",
    rec(1, "t1"),
    "Traceback (most recent call last):",
    '  File "x.py", line 1',
    rec(2, "t2"),
    "not mine",
    rec(3, "t1"),
    rec(4, "t1"),
    "ValueError: boom",
  ];
  const bytes = Buffer.from(rows.join("\n"));
  const expected = [rows[1], rows[2], rows[3], rows[6], rows[7], rows[8]];
  for (const size of [1, 3, 16, 64, bytes.length]) {
    const found: string[] = [];
    const scan = new NeedleLines(
      [needle],
      (b, s, e) => {
        found.push(b.toString("utf8", s, e));
      },
      true,
    );
    for (let at = 0; at < bytes.length; at += size) {
      scan.push(bytes.subarray(at, Math.min(at + size, bytes.length)));
    }
    scan.finish();
    assert.equal(found, expected, `chunks of ${size}`);
  }
});

test.run();
