/**
 * Finds the lines of a byte stream that contain one of a few needles, the way `grep -F` does:
 * `Buffer.indexOf` over each chunk's raw bytes; lines that match nothing are never split, decoded
 * or copied. A matching line that opens a JSON object it does not close (a record torn across
 * lines) is followed by the lines after it, marked as such, until one ends with `}` (within the
 * torn-record bounds), so the reader can rejoin the record. With `trailers`, the lines after a
 * matching record that are not records themselves (a traceback after the error it belongs to) are
 * emitted too, up to the next line that holds a record. A trailer at the start of a worker's
 * byte range is not seen (ranges are cut at line starts). Synchronous and free of I/O, so the
 * same code runs in the main thread and in scan workers.
 *
 * Receives: chunks. Emits: each matching (or following) line's bytes, without its end-of-line,
 * through a callback, valid only during the call.
 */

import { PARSE_LIMIT, TORN_MAX_CHARS, TORN_MAX_PIECES } from "./parse-limit.js";

const NEWLINE = 10;
const CR = 13;
const CLOSE = 125; /* } */
const OPEN_OBJECT = Buffer.from('{"');

/** How an emitted line relates to the one emitted before it. */
export const MATCH = 0;
/** A match right after the line emitted before it (which opened a record it did not close). */
export const MATCH_NEXT = 1;
/** Not a match: it follows the line emitted before it, which opened a record it did not close. */
export const FOLLOW = 2;
/** Not a match and not a record: a line after a matching record (with `trailers`). */
export const TRAIL = 3;
export type LineKind = typeof MATCH | typeof MATCH_NEXT | typeof FOLLOW | typeof TRAIL;

export type LineSink = (buf: Buffer, start: number, end: number, kind: LineKind) => void;

/**
 * Whether a matching line that starts a record is read at all (a worker taking a share of the
 * traces skips the others' lines without decoding them). It never sees the lines that follow a
 * torn record's start, nor trailers.
 */
export type LineTest = (buf: Buffer, start: number, end: number) => boolean;

/**
 * A needle and the short anchor it is searched by. Node looks for a needle of up to six bytes by
 * scanning for its first byte, which is fast when that byte is rare, as an upper-case letter is in
 * JSON logs; a longer needle is searched with skip tables that JSON's common bytes defeat. Over
 * 420 MB of Dynamo JSONL: `"level":"WARN"` 128 ms, `WARN"` 5 ms; `"message":"SPAN_` 164 ms,
 * `SPAN_` 20 ms. A hit of the anchor counts only where the whole needle is.
 */
interface Needle {
  whole: Buffer;
  anchor: Buffer;
  /** Where the anchor starts in the needle. */
  at: number;
}

const ANCHOR_BYTES = 6;

function needleOf(whole: Buffer): Needle {
  const upper = whole.findIndex((b) => b >= 65 && b <= 90);
  if (upper < 0 || whole.length <= ANCHOR_BYTES) return { whole, anchor: whole, at: 0 };
  return { whole, anchor: whole.subarray(upper, upper + ANCHOR_BYTES), at: upper };
}

/** Where the needle next starts in `buf` at or after `from`, if it starts before `end`; or -1. */
function indexOfNeedle(buf: Buffer, needle: Needle, from: number, end: number): number {
  const { whole, anchor, at } = needle;
  for (let search = from + at; ; ) {
    const hit = buf.indexOf(anchor, search);
    if (hit < 0) return -1;
    const start = hit - at;
    if (start >= end || start + whole.length > buf.length) return -1;
    if (
      anchor === whole ||
      buf.compare(whole, 0, whole.length, start, start + whole.length) === 0
    ) {
      return start;
    }
    search = hit + 1;
  }
}

/** Start offsets of the lines of `buf[0, end)` that contain a needle, ascending, deduplicated. */
function matchingLineStarts(buf: Buffer, end: number, needles: readonly Needle[]): number[] {
  const starts: number[] = [];
  for (const needle of needles) {
    let from = 0;
    for (;;) {
      const hit = indexOfNeedle(buf, needle, from, end);
      if (hit < 0) break;
      starts.push(buf.lastIndexOf(NEWLINE, hit) + 1);
      const next = buf.indexOf(NEWLINE, hit);
      if (next < 0 || next >= end) break;
      from = next + 1;
    }
  }
  if (needles.length > 1) starts.sort((a, b) => a - b);
  return starts;
}

function contains(buf: Buffer, needles: readonly Needle[]): boolean {
  return needles.some((n) => buf.includes(n.whole));
}

/**
 * The incomplete last line of each chunk, kept until its newline arrives; only that line is ever
 * copied (never the next chunk). A line beyond the limit is dropped and skipped to its newline.
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
   * there is none to look at) and where the rest of the chunk starts (-1: all of it was carried).
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
    // Copy: the reader may reuse the chunk's memory.
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

export class NeedleLines {
  private readonly carry = new Carry();
  /** Lines still to follow after a matching line that opened a record (0: none). */
  private following = 0;
  private followedChars = 0;
  /** With `trailers`: the lines after the last match are emitted until one holds a record. */
  private trailing = false;

  private readonly needles: readonly Needle[];

  constructor(
    needles: readonly Buffer[],
    private readonly emit: LineSink,
    private readonly trailers = false,
    private readonly accept: LineTest | null = null,
  ) {
    this.needles = needles.map(needleOf);
  }

  /** Scans the next chunk of the input. */
  push(chunk: Buffer): void {
    let region = chunk;
    if (!this.carry.empty) {
      const { line, rest } = this.carry.complete(chunk);
      if (rest < 0) return;
      if (line !== null) this.consider(line, 0, line.length, contains(line, this.needles));
      region = chunk.subarray(rest);
    }
    const end = region.lastIndexOf(NEWLINE) + 1;
    let next = 0;
    for (const start of matchingLineStarts(region, end, this.needles)) {
      next = this.follow(region, next, start);
      if (start < next) continue;
      const nl = region.indexOf(NEWLINE, start);
      this.consider(region, start, nl, true);
      next = nl + 1;
    }
    this.follow(region, next, end);
    this.carry.keep(region.subarray(end));
  }

  /** The input ended: its last line counts even without a newline. */
  finish(): void {
    const tail = this.carry.rest();
    if (tail !== null) this.consider(tail, 0, tail.length, contains(tail, this.needles));
  }

  /** Emits the lines from `next` (a line start) up to `until` while following; returns where it
   *  stopped. */
  private follow(region: Buffer, next: number, until: number): number {
    let at = next;
    while ((this.following > 0 || this.trailing) && at < until) {
      const nl = region.indexOf(NEWLINE, at);
      this.consider(region, at, nl, false);
      at = nl + 1;
    }
    return at;
  }

  /** Emits a line that matched, or that follows one that opened a record; skips the others. */
  private consider(buf: Buffer, start: number, end: number, found: boolean): void {
    const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
    const next = this.following > 0;
    const matched = found && (next || this.accept === null || this.accept(buf, start, stop));
    if (!matched && !next) {
      if (!this.trailing) return;
      if (bufferHas(buf, start, stop, OPEN_OBJECT)) this.trailing = false;
      else if (stop - start <= PARSE_LIMIT) this.emit(buf, start, stop, TRAIL);
      return;
    }
    this.trailing = this.trailers;
    if (stop - start > PARSE_LIMIT) {
      this.following = 0;
      return;
    }
    this.emit(buf, start, stop, matched ? (next ? MATCH_NEXT : MATCH) : FOLLOW);
    if (lastByte(buf, start, stop) === CLOSE) this.following = 0;
    else if (matched) {
      const opens = bufferHas(buf, start, stop, OPEN_OBJECT);
      this.following = opens ? TORN_MAX_PIECES - 1 : 0;
      this.followedChars = stop - start;
    } else {
      this.following--;
      this.followedChars += stop - start;
      if (this.followedChars > TORN_MAX_CHARS) this.following = 0;
    }
  }
}

/** The last byte of `buf[start, stop)` that is not a space or tab, or -1. */
function lastByte(buf: Buffer, start: number, stop: number): number {
  for (let i = stop - 1; i >= start; i--) {
    const c = buf[i] as number;
    if (c !== 32 && c !== 9) return c;
  }
  return -1;
}

/** Whether `buf[start, stop)` contains `needle`. */
function bufferHas(buf: Buffer, start: number, stop: number, needle: Buffer): boolean {
  const at = buf.indexOf(needle, start);
  return at >= 0 && at + needle.length <= stop;
}
