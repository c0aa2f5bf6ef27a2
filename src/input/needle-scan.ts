/**
 * The fast path for questions about a few lines of a large log ("records of trace X", "span
 * markers"): search each chunk's raw bytes for needles with `Buffer.indexOf` (as `grep -F` does),
 * and decode and parse only the lines that contain one. Lines that match no needle are never
 * split, decoded or parsed.
 *
 * Receives: a source and byte needles. Emits: batches of the records on matching lines (line
 * numbers are not counted on this path; records carry 0). Read errors go to `onError`.
 */

import type { LogRecord, Source } from "../model/record.js";
import { emptyRecord, normalizeJson } from "../parse/normalize.js";
import { PrefixDetector } from "../parse/prefix.js";
import { describeFsError, readBytes } from "./inputs.js";
import { PARSE_LIMIT } from "./record-reader.js";

const NEWLINE = 10;

export type ScanErrorHandler = (source: Source, reason: string) => void;

/** Start offsets of the lines of `buf[0, end)` that contain a needle, ascending, deduplicated. */
function matchingLineStarts(buf: Buffer, end: number, needles: readonly Buffer[]): number[] {
  const starts: number[] = [];
  for (const needle of needles) {
    let from = 0;
    for (;;) {
      const hit = buf.indexOf(needle, from);
      if (hit < 0 || hit >= end) break;
      const start = buf.lastIndexOf(NEWLINE, hit) + 1;
      starts.push(start);
      const next = buf.indexOf(NEWLINE, hit);
      if (next < 0 || next >= end) break;
      from = next + 1;
    }
  }
  if (needles.length > 1) starts.sort((a, b) => a - b);
  return starts;
}

class LineMatcher {
  private readonly prefixes = new PrefixDetector();
  readonly out: LogRecord[] = [];

  constructor(private readonly source: Source) {}

  /** Parses the line starting at `start` of `buf` (which ends before `end`). */
  parseLine(buf: Buffer, start: number, end: number): void {
    let stop = buf.indexOf(NEWLINE, start);
    if (stop < 0 || stop > end) stop = end;
    if (stop > start && buf[stop - 1] === 13) stop--;
    if (stop - start > PARSE_LIMIT) return;
    const line = buf.toString("utf8", start, stop);
    const match = this.prefixes.detect(line);
    const rec = emptyRecord(this.source, 0, line);
    const body = match ? line.slice(match.length) : line;
    if (match) {
      rec.prefix = line.slice(0, match.length);
      if (!this.source.labelled) rec.label = match.label;
    }
    if (normalizeJson(rec, body, 0)) this.out.push(rec);
  }
}

/**
 * The incomplete last line of each chunk, kept until its newline arrives. Pieces are joined once;
 * a line beyond the parse limit is dropped (it would not be parsed) and skipped to its newline.
 */
class Carry {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  /** `chunk` with the carried bytes in front, and where its first line starts. */
  join(chunk: Buffer): { buf: Buffer; from: number } {
    if (this.skipping) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) return { buf: chunk, from: chunk.length };
      this.skipping = false;
      return { buf: chunk, from: nl + 1 };
    }
    if (this.size === 0) return { buf: chunk, from: 0 };
    const buf = Buffer.concat([...this.parts, chunk], this.size + chunk.length);
    this.parts = [];
    this.size = 0;
    return { buf, from: 0 };
  }

  keep(tail: Buffer): void {
    if (tail.length === 0) return;
    // Copy: the stream may reuse the chunk's memory.
    this.parts.push(Buffer.from(tail));
    this.size += tail.length;
    if (this.size > PARSE_LIMIT) {
      this.parts = [];
      this.size = 0;
      this.skipping = true;
    }
  }

  rest(): Buffer | null {
    if (this.size === 0) return null;
    return Buffer.concat(this.parts, this.size);
  }
}

/** Records on the lines of `source` that contain any of `needles`. */
export async function* scanForNeedles(
  source: Source,
  needles: readonly Buffer[],
  onError: ScanErrorHandler,
): AsyncGenerator<LogRecord[]> {
  const matcher = new LineMatcher(source);
  const carry = new Carry();
  try {
    for await (const chunk of readBytes(source)) {
      const { buf, from } = carry.join(chunk);
      const end = buf.lastIndexOf(NEWLINE) + 1;
      if (end <= from) {
        carry.keep(buf.subarray(from));
        continue;
      }
      const region = from === 0 ? buf : buf.subarray(from);
      const regionEnd = end - from;
      let previous = -1;
      for (const start of matchingLineStarts(region, regionEnd, needles)) {
        if (start === previous) continue;
        previous = start;
        matcher.parseLine(region, start, regionEnd);
      }
      carry.keep(buf.subarray(end));
      if (matcher.out.length > 0) yield matcher.out.splice(0);
    }
  } catch (err) {
    onError(source, describeFsError(err));
  }
  const tail = carry.rest();
  if (tail !== null && needles.some((n) => tail.includes(n))) {
    matcher.parseLine(tail, 0, tail.length);
  }
  if (matcher.out.length > 0) yield matcher.out.splice(0);
}
