/**
 * Lines of one input to records: strips launcher prefixes (naming the record's source), reads JSON
 * records and lines of Dynamo's readable layout (detected per line, so mixed streams work), keeps
 * everything else as unparsed records, and rejoins a record torn across physical lines (a `{...`
 * that does not parse, completed by the line(s) after it) within a bound. A readable record's
 * message continued on the lines after it is joined to it (parse/continuation.ts); a raw-line
 * object that `convert --to jsonl` wrote is read back as the line it was (parse/raw-line.ts).
 *
 * Receives: lines from `LineSplitter`. Emits: records, in input order, into an array the caller
 * drains after each chunk.
 */
import type { LogRecord, Source } from "../model/record.js";
import { ReadableContinuation } from "../parse/continuation.js";
import { emptyRecord, normalizeJson } from "../parse/normalize.js";
import { PrefixDetector } from "../parse/prefix.js";
import { readRawLine } from "../parse/raw-line.js";
import { parseReadable } from "../parse/readable.js";
import { PARSE_LIMIT } from "./parse-limit.js";

/** A torn record is rejoined from at most this many physical lines... */
const TORN_MAX_PIECES = 64;
/** ...and this many characters; beyond either bound its pieces stay unparsed lines. */
const TORN_MAX_CHARS = 1 << 20;

export { PARSE_LIMIT };

interface TornPiece {
  line: string;
  eol: string;
  body: string;
  prefix: string;
  label: string;
  lineNo: number;
}

export class RecordReader {
  private out: LogRecord[] = [];
  private lineNo = 0;
  private lastOrderUs = Number.NEGATIVE_INFINITY;
  private readonly prefixes = new PrefixDetector();
  private torn: TornPiece[] = [];
  private tornChars = 0;
  private readonly readable = new ReadableContinuation();
  /** The last line given was a piece of an over-long line: the next piece has its number. */
  private continuing = false;

  constructor(private readonly source: Source) {}

  /** Takes one physical line (without its end-of-line bytes). */
  readonly pushLine = (line: string | Buffer, eol: string, more = false): void => {
    if (!this.continuing) this.lineNo++;
    this.continuing = more;
    if (line.length > PARSE_LIMIT) {
      this.pushUnread(line, eol);
      return;
    }
    if (typeof line !== "string") {
      this.pushInvalidUtf8(line, eol);
      return;
    }
    if (this.lineNo === 1 && line.charCodeAt(0) === 0xfeff) {
      this.pushText(line, line.slice(1), eol);
      return;
    }
    this.pushText(line, line, eol);
  };

  /**
   * Whether what comes next would be read as by a fresh reader: no torn record waiting for its
   * end and no launcher prefix style learned. (Parallel `convert` cuts files only where it is.)
   */
  get settled(): boolean {
    return this.torn.length === 0 && !this.prefixes.styleKnown && !this.readable.holding;
  }

  /** Hands over the records read so far. */
  take(): LogRecord[] {
    const taken = this.out;
    this.out = [];
    return taken;
  }

  /** Flushes a torn record still waiting for its end, and a readable record its next lines. */
  end(): void {
    this.flushTorn();
    this.flushReadable();
  }

  /** Whether a readable record is held for possible continuation lines. */
  get holdsReadable(): boolean {
    return this.readable.holding;
  }

  /** Emits a readable record held for continuation lines (the input went quiet). */
  flushReadable(): void {
    const held = this.readable.take();
    if (held !== null) this.push(held);
  }

  private pushText(raw: string, line: string, eol: string): void {
    const match = this.prefixes.detect(line);
    const prefix = match ? line.slice(0, match.length) : "";
    const label = match && !this.source.labelled ? match.label : this.source.label;
    const body = match ? line.slice(match.length) : line;
    if (this.torn.length > 0 && this.continueTorn(raw, eol, body, prefix, label)) return;
    const rec = emptyRecord(this.source, this.lineNo, raw);
    rec.eol = eol;
    rec.prefix = prefix;
    rec.label = label;
    const opensObject = body.charCodeAt(0) === 123;
    if (opensObject && body.length <= PARSE_LIMIT && normalizeJson(rec, body, 0)) {
      this.emit(rec);
      return;
    }
    if (opensObject && readRawLine(rec, body)) {
      this.emit(rec);
      return;
    }
    if (opensObject && body.length <= TORN_MAX_CHARS) {
      this.torn.push({ line: raw, eol, body, prefix, label, lineNo: this.lineNo });
      this.tornChars = body.length;
      return;
    }
    if (!opensObject && body.length <= PARSE_LIMIT) parseReadable(rec, body, 0);
    this.readable.push(rec, body, this.push);
  }

  /**
   * Tries `line` as the continuation of the pending torn record. Returns true when the line was
   * consumed (joined, or kept waiting for more); false when the torn pieces were given up and
   * `line` must be read on its own.
   */
  private continueTorn(raw: string, eol: string, body: string, prefix: string, label: string) {
    const startsRecord = body.charCodeAt(0) === 123;
    const tooBig = this.tornChars + body.length > TORN_MAX_CHARS;
    if (startsRecord || tooBig || this.torn.length >= TORN_MAX_PIECES) {
      this.flushTorn();
      return false;
    }
    this.torn.push({ line: raw, eol, body, prefix, label, lineNo: this.lineNo });
    this.tornChars += body.length;
    if (!body.trimEnd().endsWith("}")) return true;
    const first = this.torn[0] as TornPiece;
    const joined = this.torn.map((p) => p.body).join("");
    const rec = emptyRecord(this.source, first.lineNo, joined);
    if (!normalizeJson(rec, joined, 0)) return true;
    rec.prefix = first.prefix;
    rec.label = first.label;
    rec.eol = eol;
    rec.lineCount = this.torn.length;
    rec.raw = this.torn.map((p, i) => (i === 0 ? p.line : p.body)).join("");
    this.torn = [];
    this.tornChars = 0;
    this.emit(rec);
    return true;
  }

  /** Gives up on a torn record: each piece becomes an unparsed line of its own. */
  private flushTorn(): void {
    for (const piece of this.torn) {
      const rec = emptyRecord(this.source, piece.lineNo, piece.line);
      rec.eol = piece.eol;
      rec.prefix = piece.prefix;
      rec.label = piece.label;
      this.emit(rec);
    }
    this.torn = [];
    this.tornChars = 0;
  }

  /** A line (or a piece of one) too long to parse: passed through without being decoded. */
  private pushUnread(line: string | Buffer, eol: string): void {
    this.flushTorn();
    const rec = emptyRecord(this.source, this.lineNo, line);
    rec.eol = eol;
    this.emit(rec);
  }

  private pushInvalidUtf8(bytes: Buffer, eol: string): void {
    // Parse what the bytes say (with replacement characters), but keep the original bytes so an
    // unparsed line is written back exactly as it came.
    const text = bytes.toString("utf8");
    const rec = emptyRecord(this.source, this.lineNo, bytes);
    rec.eol = eol;
    const match = this.prefixes.detect(text);
    const body = match ? text.slice(match.length) : text;
    if (match) {
      rec.prefix = text.slice(0, match.length);
      if (!this.source.labelled) rec.label = match.label;
    }
    this.flushTorn();
    if (body.charCodeAt(0) === 123 && body.length <= PARSE_LIMIT) normalizeJson(rec, body, 0);
    this.emit(rec);
  }

  /** Emits `rec` after a readable record held before it. */
  private emit(rec: LogRecord): void {
    this.flushReadable();
    this.push(rec);
  }

  private readonly push = (rec: LogRecord): void => {
    if (Number.isNaN(rec.timeUs)) rec.orderUs = this.lastOrderUs;
    else this.lastOrderUs = rec.orderUs = rec.timeUs;
    this.out.push(rec);
  };
}
