/**
 * Where `tail -n N` starts in a file: the start of the N-th last record. Reads backwards in
 * blocks and counts lines that start a record (a JSON object or a readable-layout line, after any
 * launcher prefix); lines that do not (a traceback's body) belong to the record before them and
 * come along with it.
 *
 * Receives: an open file, its size, N. Emits: a byte offset.
 */
import type { FileHandle } from "node:fs/promises";

const BLOCK = 64 * 1024;
const NEWLINE = 10;
/** Bytes of a line that `startsRecord` looks at. */
const HEAD = 160;

/** A line's first bytes, after an optional launcher prefix, look like a record's start. */
export function startsRecord(line: Buffer): boolean {
  let i = 0;
  const bar = line.indexOf("| ");
  if (bar > 0 && bar < 48) i = bar + 2;
  else if (line[0] === 91 /* [ */) {
    const close = line.indexOf("] ");
    if (close > 0 && close < 96) i = close + 2;
  } else {
    const colon = line.indexOf(": ");
    if (colon > 0 && colon < 8 && /^\d+$/.test(line.toString("latin1", 0, colon))) i = colon + 2;
  }
  const c = line[i];
  if (c === 123 /* { */ || c === 27 /* ESC: coloured readable line */) return true;
  return c !== undefined && c >= 48 && c <= 57 && line[i + 4] === 45 && line[i + 7] === 45;
}

export async function tailStart(
  handle: FileHandle,
  size: number,
  records: number,
): Promise<number> {
  if (records <= 0) return size;
  let end = size;
  let found = 0;
  // Only the first bytes of a line decide whether it starts a record, so a line cut by a block
  // boundary keeps just its head: a 64 MiB line is never copied whole.
  let lineEnd = size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === NEWLINE) lineEnd = size - 1;
  }
  while (end > 0) {
    const start = Math.max(0, end - BLOCK);
    const block = Buffer.allocUnsafe(end - start);
    await handle.read(block, 0, block.length, start);
    for (
      let nl = block.lastIndexOf(NEWLINE);
      nl >= 0;
      nl = nl > 0 ? block.lastIndexOf(NEWLINE, nl - 1) : -1
    ) {
      const lineStart = start + nl + 1;
      const inBlock = Math.min(lineEnd, end) - lineStart >= Math.min(HEAD, lineEnd - lineStart);
      const starts = inBlock
        ? startsRecord(block.subarray(nl + 1, nl + 1 + Math.min(HEAD, lineEnd - lineStart)))
        : await startsRecordAt(handle, lineStart, lineEnd);
      if (lineEnd > lineStart && starts) {
        found++;
        if (found === records) return lineStart;
      }
      lineEnd = start + nl;
    }
    end = start;
  }
  return 0;
}

/** Reads a line's head (enough for a prefix and a timestamp) and asks `startsRecord`. */
async function startsRecordAt(handle: FileHandle, from: number, to: number): Promise<boolean> {
  const head = Buffer.allocUnsafe(Math.min(HEAD, to - from));
  await handle.read(head, 0, head.length, from);
  return startsRecord(head);
}

/** Where a tail starts: the last N records, or from the Nth (`+N`; the first record is 1). */
export type LinesStart = { readonly last: number } | { readonly from: number };
