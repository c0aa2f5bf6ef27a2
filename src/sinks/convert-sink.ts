/**
 * `dynlog convert`: each record (read from JSONL or from readable lines) rendered by the chosen
 * layout; every other line written back byte for byte (with its own end-of-line), in order. A
 * launcher prefix stays in front of its line.
 *
 * Receives: records. Emits: text to the output writer as they arrive.
 */
import type { LogRecord } from "../model/record.js";
import type { OutputWriter } from "../output/writer.js";
import type { Sink } from "../pipeline/run.js";

/** One record as one line of output, without the newline. */
export type RecordLayout = (rec: LogRecord) => string;

export class ConvertSink implements Sink {
  constructor(
    private readonly writer: OutputWriter,
    private readonly layout: RecordLayout,
  ) {}

  record(rec: LogRecord): void {
    if (rec.kind !== "unparsed") {
      this.writer.write(rec.prefix + this.layout(rec) + "\n");
    } else if (typeof rec.raw === "string") {
      this.writer.write(rec.raw + rec.eol);
    } else {
      this.writer.writeBytes(rec.raw);
      if (rec.eol !== "") this.writer.write(rec.eol);
    }
  }
}
