/**
 * `tail`'s view as a sink: each record as its display line (render/tail-layout.ts); a line that
 * is not valid UTF-8 is written byte for byte when the layout asks for exact bytes. The same sink
 * writes to the output (tail's own thread) and to a worker's memory (a file's starting segment
 * converted on worker threads, see pipeline/parallel-convert.ts).
 *
 * Receives: records the filter kept. Emits: display lines to a text output.
 */
import type { RunConfig } from "../config/run-config.js";
import type { LogRecord } from "../model/record.js";
import type { Sink } from "../model/sink.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/layout-style.js";
import { TailLayout } from "../render/tail-layout.js";
import type { TextOut } from "./convert-sink.js";

/** The view a run configuration asks for (the same on every thread). */
export function tailLayoutFor(config: RunConfig): TailLayout {
  return new TailLayout({
    style: config.color ? ANSI_STYLE : PLAIN_STYLE,
    time: config.time,
    labels: config.sources.length > 1,
    knownLabels: config.sources.map((s) => s.label),
    raw: config.raw,
    hidden: config.hidden,
    // Invalid UTF-8 is shown as `convert` shows it: escaped on a terminal, else byte for byte.
    exactBytes: !config.terminal || config.raw,
  });
}

export class TailSink implements Sink {
  /** Records written (lines that are not records are not counted). */
  records = 0;

  constructor(
    private readonly out: TextOut,
    private readonly layout: TailLayout,
  ) {}

  record(rec: LogRecord): void {
    if (rec.kind !== "unparsed") this.records++;
    const bytes = this.layout.unparsedBytes(rec);
    if (bytes === null) {
      this.out.write(`${this.layout.record(rec)}\n`);
      return;
    }
    this.out.write(bytes.head);
    this.out.writeBytes(bytes.body);
    this.out.write(`${bytes.tail}\n`);
  }
}
