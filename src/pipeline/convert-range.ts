/**
 * `convert` of one byte range of a plain file, as a worker thread runs it: the same reader,
 * filter and sink as the whole-file pipeline (convert's layouts, or tail's view), started fresh
 * at the range's first line, with the output kept in memory. The reply says whether the range
 * joins its neighbours seamlessly: it starts with a record that owes nothing to the lines before
 * it, and it ends with nothing carried over (no torn record waiting, no launcher prefix style
 * learned). Where that fails, the main thread converts from there itself, so the output is always
 * what one pass would write.
 *
 * Receives: a range. Emits: the converted output, as bytes.
 */
import type { RunConfig } from "../config/run-config.js";
import type { RecordFilter } from "../filter/record-filter.js";
import type { LogRecord, Source } from "../model/record.js";
import type { Sink } from "../model/sink.js";
import { Utf8Buffer } from "../output/utf8-buffer.js";
import { RecordStream, readRangeRecords } from "../parse/record-stream.js";
import { type ConvertTarget, layoutFor } from "../sinks/convert-layout.js";
import { ConvertSink, type TextOut } from "../sinks/convert-sink.js";
import { TailSink, tailLayoutFor } from "../sinks/tail-sink.js";

/** A sink writing to `out` that counts the records it wrote. */
export type RangeSink = (out: TextOut) => Sink & { readonly records: number };

/** What ranges are converted to: a `convert` target, or `tail`'s view. */
export type RangeView = ConvertTarget | "tail";

/** The sink a range of `config`'s input is converted through. */
export function rangeSinkFor(config: RunConfig, to: RangeView): RangeSink {
  // Tail's layout learns launcher prefixes' labels as it goes; each range gets a fresh one. A
  // range that meets a prefix is not settled and the main thread reads on from it, so the ranges
  // whose output is kept draw what one pass would.
  if (to === "tail") return (out) => new TailSink(out, tailLayoutFor(config));
  const safe = config.terminal && !config.raw;
  const layout = layoutFor(to, config, safe);
  return (out) => new ConvertSink(out, layout, safe);
}

/** One job of `config`'s input; a failure (a read error) becomes an error reply. */
export function convertJob(job: ConvertJob, config: RunConfig, sinkFor: RangeSink): ConvertReply {
  try {
    const source = config.sources[0];
    if (source === undefined) throw new Error("no input");
    // Each range starts afresh: the filter's memory of the record before must not leak across.
    return convertRange(job, source, config.filter.fresh(), sinkFor);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { id: job.id, error: e.message, code: e.code ?? "" };
  }
}

export interface ConvertJob {
  id: number;
  path: string;
  start: number;
  end: number;
}

export type ConvertReply =
  | {
      id: number;
      /** The converted output (UTF-8), `length` bytes of it. */
      bytes: ArrayBuffer;
      length: number;
      /** The first line is a JSON record with its own time (always true at offset 0). */
      cleanStart: boolean;
      /** Nothing read here changes how the next range's lines would be read. */
      settled: boolean;
      /** Records written (the filter kept them), and records the filter dropped. */
      records: number;
      rejected: number;
    }
  | { id: number; error: string; code: string };

function startsCleanly(rec: LogRecord | undefined): boolean {
  return (
    rec !== undefined &&
    rec.kind === "json" &&
    rec.lineNo === 1 &&
    rec.lineCount === 1 &&
    rec.prefix === "" &&
    !Number.isNaN(rec.timeUs)
  );
}

export function convertRange(
  job: ConvertJob,
  source: Source,
  filter: RecordFilter,
  sinkFor: RangeSink,
): ConvertReply {
  const stream = new RecordStream(source);
  // Collected as UTF-8 and handed over without a copy (the buffer's memory is transferred).
  const memory = new Utf8Buffer(8 * 1024 * 1024);
  const sink = sinkFor(memory);
  let first: LogRecord | undefined;
  const drain = () => {
    const records = stream.take();
    first ??= records[0];
    for (const rec of records) if (filter.keep(rec)) sink.record(rec);
  };
  readRangeRecords(stream, job.path, job.start, job.end, drain);
  const settled = stream.settled;
  stream.end();
  drain();
  const cleanStart = job.start === 0 || startsCleanly(first);
  const { buffer, length } = memory.take();
  return {
    id: job.id,
    bytes: buffer.buffer as ArrayBuffer,
    length,
    cleanStart,
    settled,
    records: sink.records,
    rejected: filter.rejected,
  };
}
