/**
 * Cuts a file into ranges for worker threads: about `target` bytes each, every cut placed `keep`
 * bytes into the next occurrence of a mark, so each range starts where the work may start (a
 * newline: at a line start; `}\n{`: at a record that follows a record).
 *
 * Receives: a plain file's path and size. Emits: ranges that cover it once, in order.
 */
import { closeSync, openSync, readSync } from "node:fs";

export interface Range {
  path: string;
  start: number;
  end: number;
}

export interface CutMark {
  mark: Buffer;
  /** Where in the mark the cut goes. */
  keep: number;
}

export const LINE_STARTS: CutMark = { mark: Buffer.from("\n"), keep: 1 };
export const RECORD_JOINS: CutMark = { mark: Buffer.from("}\n{"), keep: 2 };

/**
 * The smallest range. Automatic threads start only past 64 MiB, where ranges are far larger: this
 * bound matters only when DYNLOG_THREADS forces threads on a small input, as the tests do to put
 * many range edges in a small file.
 */
const RANGE_MIN = 16 * 1024;

/** Ranges so that each thread gets several, within [16 KiB, `max`] (small inputs: for tests). */
export function rangeSize(totalBytes: number, threads: number, max: number): number {
  const even = Math.ceil(totalBytes / Math.max(1, threads * 8));
  return Math.min(max, Math.max(RANGE_MIN, even));
}

/** The cut at the first mark at or after `from`, or `size` when there is none. */
function nextCut(fd: number, block: Buffer, from: number, size: number, cut: CutMark): number {
  const { mark, keep } = cut;
  for (let at = from; at < size; ) {
    const n = readSync(fd, block, 0, block.length, at);
    if (n < mark.length) break;
    const hit = block.subarray(0, n).indexOf(mark);
    if (hit >= 0) return at + hit + keep;
    // A mark split by the block's end is found in the next block.
    at += n - (mark.length - 1);
  }
  return size;
}

/**
 * Ranges from `from` (a line start) to `size`, of about `target` bytes each; with `first`, the
 * ranges start at that size and double up to `target` (the first output comes from a small one).
 */
export function cutFile(
  path: string,
  size: number,
  target: number,
  cut: CutMark,
  from = 0,
  first = target,
): Range[] {
  const ranges: Range[] = [];
  const fd = openSync(path, "r");
  // Marks are close together in logs: a small block finds the next one in one read.
  const block = Buffer.allocUnsafe(16 * 1024);
  try {
    let want = Math.min(first, target);
    for (let start = from; start < size; want = Math.min(2 * want, target)) {
      const from = Math.max(start, start + want - cut.keep);
      const end = start + want >= size ? size : nextCut(fd, block, from, size, cut);
      ranges.push({ path, start, end });
      start = end;
    }
  } finally {
    closeSync(fd);
  }
  return ranges;
}
