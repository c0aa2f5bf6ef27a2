/**
 * Finds the lines of a byte stream that contain one of a few needles, the way `grep -F` does:
 * `Buffer.indexOf` over each chunk's raw bytes; lines that match nothing are never split, decoded
 * or copied. Synchronous and free of I/O, so the same code runs in the main thread and in scan
 * workers.
 *
 * Receives: chunks and the offset of each in its input. Emits: each matching line's bytes
 * (without its newline), through a callback, valid only during the call.
 */

import { PARSE_LIMIT } from "./parse-limit.js";

const NEWLINE = 10;

/** Start-up announcements are looked for in this much of each input only. */
const STARTUP_BYTES = 8 * 1024 * 1024;

export type LineSink = (buf: Buffer, start: number, end: number) => void;

/** Start offsets of the lines of `buf[0, end)` that contain a needle, ascending, deduplicated. */
function matchingLineStarts(buf: Buffer, end: number, needles: readonly Buffer[]): number[] {
  const starts: number[] = [];
  for (const needle of needles) {
    let from = 0;
    for (;;) {
      const hit = buf.indexOf(needle, from);
      if (hit < 0 || hit >= end) break;
      starts.push(buf.lastIndexOf(NEWLINE, hit) + 1);
      const next = buf.indexOf(NEWLINE, hit);
      if (next < 0 || next >= end) break;
      from = next + 1;
    }
  }
  if (needles.length > 1) starts.sort((a, b) => a - b);
  return starts;
}

function contains(buf: Buffer, needles: readonly Buffer[]): boolean {
  return needles.some((n) => buf.includes(n));
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

/** What marks a line as a JSON record (or a launcher-prefixed one): its lines are not followers. */
const RECORD_MARK = Buffer.from('{"');

export class NeedleLines {
  private readonly carry = new Carry();
  private readonly withStartup: readonly Buffer[];
  private startupSeen = false;
  /** With followers: the last line looked at was emitted (a match or one of its followers). */
  private following = false;

  /**
   * `followers`: also emit the lines that follow a matching line and are not records themselves
   * (a traceback after the error it belongs to), up to the next record. A follower at the start
   * of a worker's byte range is not seen (ranges are cut at line starts, rarely inside one).
   */
  constructor(
    private readonly needles: readonly Buffer[],
    startupNeedles: readonly Buffer[],
    private readonly emit: LineSink,
    private readonly followers = false,
  ) {
    this.withStartup = [...needles, ...startupNeedles];
  }

  /** Scans `chunk`, which starts `offset` bytes into its input. */
  push(chunk: Buffer, offset: number): void {
    const all = offset < STARTUP_BYTES ? this.withStartup : this.needles;
    if (offset < STARTUP_BYTES) this.startupSeen = true;
    let region = chunk;
    if (!this.carry.empty) {
      const { line, rest } = this.carry.complete(chunk);
      if (rest < 0) return;
      if (line !== null) this.lookAt(line, 0, line.length, all);
      region = chunk.subarray(rest);
    }
    const end = region.lastIndexOf(NEWLINE) + 1;
    // Lines before `done` were emitted already (as followers).
    let done = 0;
    if (this.followers && this.following) done = this.follow(region, 0, end);
    for (const start of matchingLineStarts(region, end, all)) {
      if (start < done) continue;
      const nl = region.indexOf(NEWLINE, start);
      this.line(region, start, nl);
      done = nl + 1;
      if (this.followers) {
        this.following = true;
        done = this.follow(region, done, end);
      }
    }
    if (this.followers && done < end) this.following = false;
    this.carry.keep(region.subarray(end));
  }

  /** A whole line (carried across chunks): emitted when it matches or follows a match. */
  private lookAt(line: Buffer, start: number, end: number, all: readonly Buffer[]): void {
    if (contains(line, all)) {
      this.line(line, start, end);
      this.following = this.followers;
    } else if (this.followers && this.following && !line.includes(RECORD_MARK)) {
      this.line(line, start, end);
    } else this.following = false;
  }

  /** Emits the non-record lines from `from` on; returns where the first record line starts. */
  private follow(region: Buffer, from: number, end: number): number {
    let at = from;
    while (at < end) {
      const nl = region.indexOf(NEWLINE, at);
      const record = region.indexOf(RECORD_MARK, at);
      if (record >= 0 && record < nl) {
        this.following = false;
        return at;
      }
      this.line(region, at, nl);
      at = nl + 1;
    }
    return at;
  }

  /** The input ended: its last line counts even without a newline. */
  finish(): void {
    const tail = this.carry.rest();
    const all = this.startupSeen ? this.withStartup : this.needles;
    if (tail !== null) this.lookAt(tail, 0, tail.length, all);
  }

  private line(buf: Buffer, start: number, end: number): void {
    const stop = end > start && buf[end - 1] === 13 ? end - 1 : end;
    if (stop - start <= PARSE_LIMIT) this.emit(buf, start, stop);
  }
}
