/**
 * `dynlog convert`: each JSON record in Dynamo's readable layout, every other line written back
 * byte for byte (with its own end-of-line), in order. A launcher prefix stays in front of its line.
 *
 * Receives: records. Emits: text to the output writer as they arrive.
 */
import type { LogRecord } from "../model/record.js";
import type { OutputWriter } from "../output/writer.js";
import type { Sink } from "../pipeline/run.js";
import { renderDynamoLine, type TimeRenderer } from "../render/dynamo-layout.js";
import type { LayoutStyle } from "../render/layout-style.js";

export class ConvertSink implements Sink {
  constructor(
    private readonly writer: OutputWriter,
    private readonly style: LayoutStyle,
    private readonly time: TimeRenderer,
  ) {}

  record(rec: LogRecord): void {
    if (rec.kind !== "unparsed") {
      this.writer.write(rec.prefix + renderDynamoLine(rec, this.style, this.time) + "\n");
    } else if (typeof rec.raw === "string") {
      this.writer.write(rec.raw + rec.eol);
    } else {
      this.writer.writeBytes(rec.raw);
      if (rec.eol !== "") this.writer.write(rec.eol);
    }
  }
}
