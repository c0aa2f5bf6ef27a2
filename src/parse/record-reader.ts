/**
 * Lines of one input to records: strips launcher prefixes (naming the record's source), reads JSON
 * records and lines of Dynamo's readable layout (detected per line, so mixed streams work), keeps
 * everything else as unparsed records, rejoins a record torn across physical lines (a `{...` that
 * does not parse, completed by the line(s) after it) within a bound, and stamps every record with
 * the service its stream announced last (`OTLP export … service=…`, per label). A readable
 * record's message continued on the lines after it is joined to it (continuation.ts); a raw-line
 * object that `convert --to jsonl` wrote is read back as the line it was (raw-line.ts).
 *
 * The lines may be every line of the input, or only some of them (a needle prefilter): then line
 * numbers are not counted (records carry 0), `gap` says that lines were skipped, and
 * `pushContinuation` offers a skipped line that may complete a torn record.
 *
 * Receives: lines from `LineSplitter` or `NeedleLines`. Emits: records, in input order, into an
 * array the caller drains after each chunk.
 */
import { PARSE_LIMIT, TORN_MAX_CHARS, TORN_MAX_PIECES } from "../input/parse-limit.js";
import type { LogRecord, Source } from "../model/record.js";
import { ReadableContinuation } from "./continuation.js";
import { emptyRecord, lookupValue, normalizeJson } from "./normalize.js";
import { looksLikeRecordStart, PrefixDetector } from "./prefix.js";
import { readRawLine } from "./raw-line.js";
import { parseReadable } from "./readable.js";

export { PARSE_LIMIT };

/** What a component's start-up announcement says (with a `service` field). */
export const ANNOUNCEMENT_TEXT = "OTLP export";

/** A record announcing its component's service name, or "". */
export function announcedService(rec: LogRecord): string {
  if (rec.kind === "unparsed" || !rec.message.includes(ANNOUNCEMENT_TEXT)) return "";
  return lookupValue(rec, "service") ?? "";
}

interface TornPiece {
  line: string;
  eol: string;
  body: string;
  prefix: string;
  label: string;
  lineNo: number;
}

export interface RecordReaderOptions {
  /** Count physical lines (false when only some lines are given: records then carry 0). */
  numbered?: boolean;
}

export class RecordReader {
  private out: LogRecord[] = [];
  private lineNo = 0;
  private readonly numbered: boolean;
  private first = true;
  private lastOrderUs = Number.NEGATIVE_INFINITY;
  private readonly prefixes = new PrefixDetector();
  private torn: TornPiece[] = [];
  private tornChars = 0;
  private readonly readable = new ReadableContinuation();
  /** The last line given was a piece of an over-long line: the next piece has its number. */
  private continuing = false;
  /** Service announced per label, and the last label looked up (streams rarely switch). */
  private readonly services = new Map<string, string>();
  private serviceLabel: string | null = null;
  private service = "";

  constructor(
    private readonly source: Source,
    options: RecordReaderOptions = {},
  ) {
    this.numbered = options.numbered ?? true;
  }

  /** Takes one physical line (without its end-of-line bytes). */
  readonly pushLine = (line: string | Buffer, eol: string, more = false): void => {
    const piece = this.continuing;
    if (!piece && this.numbered) this.lineNo++;
    this.continuing = more;
    const first = this.first;
    this.first = false;
    // Every piece of an over-long line, its last one included, passes through unread.
    if (piece || line.length > PARSE_LIMIT) {
      this.pushUnread(line, eol);
      return;
    }
    if (typeof line !== "string") {
      this.pushInvalidUtf8(line, eol);
      return;
    }
    if (first && line.charCodeAt(0) === 0xfeff) {
      this.pushText(line, line.slice(1), eol);
      return;
    }
    this.pushText(line, line, eol);
  };

  /** Lines were skipped before the next one: a torn record waiting for its end is given up. */
  gap(): void {
    if (this.torn.length > 0) this.flushTorn();
  }

  /** Whether a torn record waits for the line(s) that complete it. */
  get waiting(): boolean {
    return this.torn.length > 0;
  }

  /**
   * A line that follows the last one given, offered only to complete a waiting torn record: it
   * is dropped when it does not continue one (a prefiltered read skips it).
   */
  pushContinuation(line: string, eol: string): void {
    if (this.torn.length === 0) return;
    const match = this.prefixes.detect(line);
    const prefix = match ? line.slice(0, match.length) : "";
    const label = match && !this.source.labelled ? match.label : this.source.label;
    const body = match ? line.slice(match.length) : line;
    if (!this.continueTorn(line, eol, body, prefix, label)) this.gap();
  }

  /**
   * Whether what comes next would be read as by a fresh reader: no torn record waiting for its
   * end and no launcher prefix style learned. (Parallel `convert` cuts files only where it is;
   * the services announced do not change what it writes.)
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
   * `line` must be read on its own (it starts a record of its own, or a bound was reached).
   */
  private continueTorn(raw: string, eol: string, body: string, prefix: string, label: string) {
    const startsRecord = body.charCodeAt(0) === 123 || startsReadableRecord(body);
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
    if (rec.label !== this.serviceLabel) {
      this.serviceLabel = rec.label;
      this.service = this.services.get(rec.label) ?? "";
    }
    if (rec.hasMessage && rec.message.includes(ANNOUNCEMENT_TEXT)) {
      const announced = announcedService(rec);
      if (announced !== "") {
        this.services.set(rec.label, announced);
        this.service = announced;
      }
    }
    rec.service = this.service;
    this.out.push(rec);
  };
}

/**
 * A line of Dynamo's readable layout: an RFC 3339 time followed by a space (a torn JSON record
 * cut inside its `time` value goes on with a quote instead), or a coloured line.
 */
function startsReadableRecord(body: string): boolean {
  const c = body.charCodeAt(0);
  if (c === 27) return true;
  if (c === 123 || !looksLikeRecordStart(body, 0)) return false;
  let i = 10;
  while (i < body.length && i < 40 && TIME_CHARS.test(body.charAt(i))) i++;
  return body.charCodeAt(i) === 32;
}

const TIME_CHARS = /[0-9T:.,Z+-]/;
