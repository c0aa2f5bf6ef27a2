/** Cutting files into ranges for the scan workers, and finding lines across chunk boundaries. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { NeedleLines } from "../../src/input/needle-lines.js";
import { planRanges, rangeSize } from "../../src/input/parallel-scan.js";
import { workerThreads } from "../../src/input/worker-pool.js";

const dir = mkdtempSync(join(tmpdir(), "dynlog-ranges-"));

test("ranges start at line starts, end after a newline, and cover the file once", () => {
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${"z".repeat((i * 37) % 300)}`);
  const text = `${lines.join("\n")}\nno newline at the end`;
  const path = join(dir, "ranges.txt");
  writeFileSync(path, text);
  const size = Buffer.byteLength(text);
  for (const target of [1, 100, 1000, 4096, size, size * 2]) {
    const ranges = planRanges(path, size, target);
    assert.is(ranges[0]?.start, 0);
    assert.is(ranges.at(-1)?.end, size);
    for (const [k, r] of ranges.entries()) {
      assert.ok(r.end > r.start, `range ${k} of target ${target} is not empty`);
      if (k > 0) assert.is(r.start, ranges[k - 1]?.end, "no gap, no overlap");
      if (r.start > 0) assert.is(text[r.start - 1], "\n", "starts at a line start");
    }
  }
});

test("range size and thread count", () => {
  assert.is(rangeSize(100, 2), 64 * 1024);
  assert.is(rangeSize(1e12, 2), 16 * 1024 * 1024);
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
    const scan = new NeedleLines([needle], [], (b, s, e) => found.push(b.toString("utf8", s, e)));
    for (let at = 0; at < bytes.length; at += size) {
      scan.push(bytes.subarray(at, Math.min(at + size, bytes.length)), at);
    }
    scan.finish();
    assert.equal(found, expected, `chunks of ${size}`);
  }
});

test.run();
