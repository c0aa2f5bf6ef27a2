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
/** Give up looking further back than this; the records found so far are shown. */
const MAX_SCAN = 64 * 1024 * 1024;

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
  let carry = Buffer.alloc(0);
  while (end > 0 && size - end < MAX_SCAN) {
    const start = Math.max(0, end - BLOCK);
    const block = Buffer.allocUnsafe(end - start);
    await handle.read(block, 0, block.length, start);
    const buf = Buffer.concat([block, carry]);
    // Lines fully inside `buf` (the first may be cut unless we reached the file's start).
    let lineEnd = buf.length;
    if (start + buf.length === size && buf[buf.length - 1] === NEWLINE) lineEnd--;
    for (;;) {
      const nl = buf.lastIndexOf(NEWLINE, lineEnd - 1);
      if (nl < 0) break;
      if (lineEnd > nl + 1 && startsRecord(buf.subarray(nl + 1, lineEnd))) {
        found++;
        if (found === records) return start + nl + 1;
      }
      lineEnd = nl;
    }
    carry = Buffer.from(buf.subarray(0, lineEnd));
    end = start;
  }
  return size - end >= MAX_SCAN ? end : 0;
}
