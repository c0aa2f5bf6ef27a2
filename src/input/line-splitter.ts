/**
 * Bytes to lines. Splits on `\n` only (a lone `\r` is part of a line: progress bars redraw with
 * it), remembers a trailing `\r` as part of the end-of-line, and works on decoded strings when a
 * chunk is valid UTF-8 (the common case), falling back to per-line Buffers otherwise so invalid
 * bytes can be written back untouched. Lines of any length are assembled from pieces without
 * quadratic copying; a line longer than `holdLimit` (the 16 MiB parse limit: a longer line is
 * never parsed, so nothing gains from holding it) is released in pieces with an empty end-of-line
 * and `more` set, so its bytes still come out unchanged, memory stays bounded, and readers can
 * still count it as one line.
 *
 * Receives: Buffer chunks. Emits: (text | Buffer, eol, more) to a callback.
 */
import { isAscii, isUtf8 } from "node:buffer";
import { PARSE_LIMIT } from "./parse-limit.js";

/** `more`: this is a piece of an over-long line, and the rest of the same line follows. */
export type LineSink = (line: string | Buffer, eol: string, more?: boolean) => void;

/** Bytes decoded into one string at a time (see splitRegion). */
const PIECE = 60 * 1024;
const NEWLINE = 10;
const CR = 13;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly emit: LineSink,
    /** Bytes of one line held before it is released in pieces. */
    private readonly holdLimit = PARSE_LIMIT,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    if (this.pendingBytes > 0) {
      // Only the line that was cut at the last chunk's end is joined (copied); the rest of this
      // chunk is split where it lies.
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.hold(chunk);
        return;
      }
      this.pending.push(chunk.subarray(0, nl + 1));
      const joined = Buffer.concat(this.pending, this.pendingBytes + nl + 1);
      this.pending = [];
      this.pendingBytes = 0;
      this.splitRegion(joined);
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) {
      this.splitRegion(chunk.subarray(from, last + 1));
      from = last + 1;
    }
    if (from < chunk.length) this.hold(chunk.subarray(from));
  }

  /** Emits what is left (a last line without newline). */
  end(): void {
    if (this.pendingBytes === 0) return;
    const rest = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emitLine(rest, 0, rest.length, "");
  }

  private hold(piece: Buffer): void {
    // Copy: the caller's chunk may be reused by the stream after we return.
    this.pending.push(Buffer.from(piece));
    this.pendingBytes += piece.length;
    if (this.pendingBytes > this.holdLimit) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.emit(all, "", true);
    }
  }

  /**
   * `region` ends with a newline and holds only complete lines. It is decoded in pieces of at most
   * PIECE bytes (cut after a newline): V8 makes strings that size in its young generation, while
   * one string of a whole 1 MiB read goes to the large-object space, and decoding 100 MB that
   * way took 25 times as long. ASCII, the common case, is decoded as Latin-1 (the same string).
   */
  private splitRegion(region: Buffer): void {
    let from = 0;
    while (from < region.length) {
      let to = region.length;
      if (to - from > PIECE) {
        const nl = region.lastIndexOf(NEWLINE, from + PIECE - 1);
        to = nl >= from ? nl + 1 : region.indexOf(NEWLINE, from + PIECE) + 1;
      }
      this.splitPiece(region.subarray(from, to));
      from = to;
    }
  }

  private splitPiece(region: Buffer): void {
    const ascii = isAscii(region);
    if (ascii || isUtf8(region)) {
      const text = region.toString(ascii ? "latin1" : "utf8");
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) break;
        if (nl > start && text.charCodeAt(nl - 1) === CR) {
          this.emit(text.slice(start, nl - 1), "\r\n");
        } else {
          this.emit(text.slice(start, nl), "\n");
        }
        start = nl + 1;
      }
      return;
    }
    let start = 0;
    for (;;) {
      const nl = region.indexOf(NEWLINE, start);
      if (nl < 0) break;
      const crlf = nl > start && region[nl - 1] === CR;
      this.emitLine(region, start, crlf ? nl - 1 : nl, crlf ? "\r\n" : "\n");
      start = nl + 1;
    }
  }

  private emitLine(buf: Buffer, start: number, end: number, eol: string): void {
    const bytes = buf.subarray(start, end);
    if (isUtf8(bytes)) this.emit(bytes.toString("utf8"), eol);
    else this.emit(Buffer.from(bytes), eol);
  }
}
