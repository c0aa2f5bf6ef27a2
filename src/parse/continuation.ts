/**
 * Multi-line messages of the readable layout. tracing writes a message as it is, line breaks
 * included (CRLF kept), then the fields after its last line:
 *
 *     2025-09-02T15:50:01.770028Z ERROR main.init: Traceback (most recent call last):
 *       File "main.py", line 1, in <module>
 *     ValueError: boom
 *
 * So the lines after a readable record that start no record of their own (no time and level,
 * no JSON object) continue its message, until a line ends with the record's fields (fields come
 * last: nothing after them belongs to the record), a record starts, the launcher prefix names
 * another source, or the bounds below are reached. A record whose first line already ends with
 * fields is complete at once (what follows it, such as a traceback a worker printed itself, stays
 * a line of its own); a bridged Python record carries no fields, so its traceback always joins.
 *
 * The unit holds at most one record. The reader passes it every line it read as text (parsed
 * as a readable record or not) and the unit hands back, in order, the records that are complete;
 * before emitting anything else (a JSON record), and when the input ends or goes quiet, the
 * reader takes the held record (`take`).
 *
 * Receives: records the reader made of single lines. Emits: records, continuation lines joined.
 */
import type { LogRecord } from "../model/record.js";
import { stripAnsi } from "./ansi.js";
import { parseReadable } from "./readable.js";
import { findFields } from "./readable-fields.js";

/** A message is continued over at most this many physical lines... */
const MAX_LINES = 64;
/** ...and this many characters; past either bound further lines stay lines of their own. */
const MAX_CHARS = 1 << 20;

export class ReadableContinuation {
  private held: LogRecord | null = null;
  /** The held record's text after its launcher prefix, lines joined with their line ends. */
  private text = "";
  /** Lines were joined since the held record was last read. */
  private stale = false;

  /** Whether a record is held, waiting for possible continuation lines. */
  get holding(): boolean {
    return this.held !== null;
  }

  /**
   * One line, read on its own as `rec` (`body`: its text after any launcher prefix). Records
   * that are complete go to `emit`, in input order; a record that may go on is held.
   */
  push(rec: LogRecord, body: string, emit: (rec: LogRecord) => void): void {
    const held = this.held;
    if (held !== null && this.continues(held, rec, body)) {
      this.text += held.eol + body;
      held.raw = `${held.raw as string}${held.eol}${rec.raw as string}`;
      held.eol = rec.eol;
      held.lineCount++;
      // Read again only when the new last line may hold fields (or when let go): a long
      // traceback costs one pass, not one per line.
      this.stale = true;
      if (findFields(stripAnsi(body)) === null) return;
      parseReadable(held, this.text, 0);
      this.stale = false;
      // Fields come last: a record whose text now ends with them is complete.
      if (held.fields.length > 0) emit(this.take() as LogRecord);
      return;
    }
    if (held !== null) emit(this.take() as LogRecord);
    if (rec.kind === "text" && rec.fields.length === 0 && typeof rec.raw === "string") {
      this.held = rec;
      this.text = body;
      return;
    }
    emit(rec);
  }

  /** The held record, if any, now complete (the input ended, went quiet, or moved on). */
  take(): LogRecord | null {
    const held = this.held;
    if (held !== null && this.stale) parseReadable(held, this.text, 0);
    this.stale = false;
    this.held = null;
    this.text = "";
    return held;
  }

  private continues(held: LogRecord, rec: LogRecord, body: string): boolean {
    return (
      rec.kind === "unparsed" &&
      typeof rec.raw === "string" &&
      body.charCodeAt(0) !== 123 /* { */ &&
      rec.label === held.label &&
      held.lineCount < MAX_LINES &&
      this.text.length + body.length < MAX_CHARS
    );
  }
}
