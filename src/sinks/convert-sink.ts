/**
 * `dynlog convert`: each record (read from JSONL or from readable lines) rendered by the chosen
 * layout; every other line written back byte for byte (with its own end-of-line), in order. A
 * launcher prefix stays in front of its line.
 *
 * With `safe` (the output may reach a terminal and `--raw` was not given), nothing from the data
 * may drive the terminal: the layout escapes what it renders, and unparsed lines and prefixes
 * have their control characters (and invalid UTF-8 bytes) shown escaped. Without it, output to a
 * pipe or a file stays byte-exact.
 *
 * Receives: records. Emits: text to the output writer as they arrive.
 */
import type { LogRecord } from "../model/record.js";
import type { Sink } from "../model/sink.js";
import { terminalSafeBytes, terminalSafeLine } from "../render/terminal-safe.js";

/** Where the sink writes: the output writer, or a worker's memory. */
export interface TextOut {
  write(text: string): void;
  writeBytes(bytes: Buffer): void;
}

/** One record as one line of output, without the newline. */
export type RecordLayout = (rec: LogRecord) => string;

export class ConvertSink implements Sink {
  /** Records written (lines that are not records are not counted). */
  records = 0;

  constructor(
    private readonly writer: TextOut,
    private readonly layout: RecordLayout,
    private readonly safe = false,
  ) {}

  record(rec: LogRecord): void {
    if (rec.kind !== "unparsed") this.records++;
    if (this.safe) this.writeSafely(rec);
    else if (rec.kind !== "unparsed") {
      this.writer.write(rec.prefix + this.layout(rec) + "\n");
    } else if (typeof rec.raw === "string") {
      this.writer.write(rec.raw + rec.eol);
    } else {
      this.writer.writeBytes(rec.raw);
      if (rec.eol !== "") this.writer.write(rec.eol);
    }
  }

  private writeSafely(rec: LogRecord): void {
    if (rec.kind !== "unparsed") {
      this.writer.write(terminalSafeLine(rec.prefix) + this.layout(rec) + "\n");
      return;
    }
    const line =
      typeof rec.raw === "string" ? terminalSafeLine(rec.raw) : terminalSafeBytes(rec.raw);
    this.writer.write(line + rec.eol);
  }
}
