/**
 * `dynlog convert`: each record (read from JSONL or from readable lines) rendered by the chosen
 * layout; every other line written back byte for byte (with its own end-of-line), in order. A
 * launcher prefix stays in front of its line (of each line of a multi-line record). A layout
 * that writes whole lines (JSONL) renders unparsed lines too, and puts prefixes inside.
 *
 * With `safe` (the output may reach a terminal and `--raw` was not given), nothing from the data
 * may drive the terminal: the layout escapes what it renders, and unparsed lines and prefixes
 * have their control characters (and invalid UTF-8 bytes) shown escaped. Without it, output to a
 * pipe or a file stays byte-exact.
 *
 * With a source column (`convert --source`), each line starts with its source, as in `tail`.
 *
 * Receives: records. Emits: text to the output writer as they arrive.
 */
import type { LogRecord } from "../model/record.js";
import type { Sink } from "../model/sink.js";
import type { SourceColumn } from "../render/source-column.js";
import { terminalSafeBytes, terminalSafeLine } from "../render/terminal-safe.js";

/** Where the sink writes: the output writer, or a worker's memory. */
export interface TextOut {
  write(text: string): void;
  writeBytes(bytes: Buffer): void;
}

/** One record as one line of output, without the newline. */
export type RecordLayout = (rec: LogRecord) => string;

export interface ConvertLayout {
  /** A record (with `wholeLines`, any line) as one line of output, without the newline. */
  readonly line: RecordLayout;
  /**
   * The layout writes every line itself, unparsed ones included, launcher prefixes inside
   * (JSONL); otherwise unparsed lines are written back as they came and a prefix goes in front.
   */
  readonly wholeLines: boolean;
}

/**
 * A launcher wrote its prefix on every physical line: a record whose text spans lines (a
 * multi-line message) gets it back after each line break.
 */
function prefixLines(prefix: string, text: string): string {
  return text.indexOf("\n") < 0 ? text : text.replaceAll("\n", `\n${prefix}`);
}

export class ConvertSink implements Sink {
  private readonly layout: RecordLayout;
  /** Records written (lines that are not records are not counted). */
  records = 0;

  /**
   * `column` (`--source`): each line starts with its source column, which stands for the
   * launcher prefix (not written then).
   */
  constructor(
    private readonly writer: TextOut,
    private readonly convertLayout: ConvertLayout,
    private readonly safe = false,
    private readonly column: SourceColumn | null = null,
  ) {
    this.layout = convertLayout.line;
  }

  record(rec: LogRecord): void {
    if (rec.kind !== "unparsed") this.records++;
    if (this.convertLayout.wholeLines) this.writer.write(this.layout(rec) + "\n");
    else if (this.column !== null) this.writeWithSource(rec, this.column);
    else if (this.safe) this.writeSafely(rec);
    else if (rec.kind !== "unparsed") {
      const text = this.layout(rec);
      this.writer.write(
        rec.prefix === "" ? text + "\n" : rec.prefix + prefixLines(rec.prefix, text) + "\n",
      );
    } else if (typeof rec.raw === "string") {
      this.writer.write(rec.raw + rec.eol);
    } else {
      this.writer.writeBytes(rec.raw);
      if (rec.eol !== "") this.writer.write(rec.eol);
    }
  }

  private writeWithSource(rec: LogRecord, column: SourceColumn): void {
    this.writer.write(column.cell(rec.label));
    if (rec.kind !== "unparsed") {
      this.writer.write(this.layout(rec) + "\n");
      return;
    }
    const skip = rec.prefix.length;
    if (typeof rec.raw === "string") {
      const body = rec.raw.slice(skip);
      this.writer.write((this.safe ? terminalSafeLine(body) : body) + rec.eol);
      return;
    }
    const body = rec.raw.subarray(Buffer.byteLength(rec.prefix));
    if (this.safe) this.writer.write(terminalSafeBytes(body) + rec.eol);
    else {
      this.writer.writeBytes(body);
      if (rec.eol !== "") this.writer.write(rec.eol);
    }
  }

  private writeSafely(rec: LogRecord): void {
    if (rec.kind !== "unparsed") {
      const prefix = terminalSafeLine(rec.prefix);
      this.writer.write(prefix + prefixLines(prefix, this.layout(rec)) + "\n");
      return;
    }
    const line =
      typeof rec.raw === "string" ? terminalSafeLine(rec.raw) : terminalSafeBytes(rec.raw);
    this.writer.write(line + rec.eol);
  }
}
