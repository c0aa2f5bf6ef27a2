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
 * The incomplete last line of each chunk, kept until its newline arrives; only that line is ever
 * copied (never the next chunk). A line beyond the parse limit is dropped (it would not be parsed)
 * and skipped to its newline.
 */
class Carry {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  get empty(): boolean {
    return this.size === 0 && !this.skipping;
  }

  /**
   * Completes the carried line with the head of `chunk`: returns that whole line (or null when
   * there is none to look at) and where the rest of the chunk starts (-1: the chunk was all
   * carried).
   */
  complete(chunk: Buffer): { line: Buffer | null; rest: number } {
    const nl = chunk.indexOf(NEWLINE);
    if (nl < 0) {
      this.keep(chunk);
      return { line: null, rest: -1 };
    }
    if (this.skipping) {
      this.skipping = false;
      return { line: null, rest: nl + 1 };
    }
    const line = Buffer.concat([...this.parts, chunk.subarray(0, nl)]);
    this.parts = [];
    this.size = 0;
    return { line, rest: nl + 1 };
  }

  keep(tail: Buffer): void {
    if (tail.length === 0 || this.skipping) return;
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

/** Start-up announcements are looked for in this much of each input only. */
const STARTUP_BYTES = 8 * 1024 * 1024;

function contains(buf: Buffer, needles: readonly Buffer[]): boolean {
  return needles.some((n) => buf.includes(n));
}

/**
 * Records on the lines of `source` that contain any of `needles`, or one of `startupNeedles`
 * within the input's first 8 MiB (records a component writes once, at start-up).
 */
export async function* scanForNeedles(
  source: Source,
  needles: readonly Buffer[],
  onError: ScanErrorHandler,
  startupNeedles: readonly Buffer[] = [],
): AsyncGenerator<LogRecord[]> {
  const matcher = new LineMatcher(source);
  const carry = new Carry();
  let seen = 0;
  try {
    // Chunks are read in place: only the carried line is kept, and it is copied.
    for await (const chunk of readBytes(source, true)) {
      const all = seen < STARTUP_BYTES ? [...needles, ...startupNeedles] : needles;
      seen += chunk.length;
      let region = chunk;
      if (!carry.empty) {
        const { line, rest } = carry.complete(chunk);
        if (rest < 0) continue;
        if (line !== null && contains(line, all)) matcher.parseLine(line, 0, line.length);
        region = chunk.subarray(rest);
      }
      const end = region.lastIndexOf(NEWLINE) + 1;
      let previous = -1;
      for (const start of matchingLineStarts(region, end, all)) {
        if (start === previous) continue;
        previous = start;
        matcher.parseLine(region, start, end);
      }
      carry.keep(region.subarray(end));
      if (matcher.out.length > 0) yield matcher.out.splice(0);
    }
  } catch (err) {
    onError(source, describeFsError(err));
  }
  const tail = carry.rest();
  if (tail !== null && contains(tail, [...needles, ...startupNeedles])) {
    matcher.parseLine(tail, 0, tail.length);
  }
  if (matcher.out.length > 0) yield matcher.out.splice(0);
}
