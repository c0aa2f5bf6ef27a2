/**
 * `convert` of one byte range of a plain file, as a worker thread runs it: the same reader,
 * filter and sink as the whole-file pipeline, started fresh at the range's first line, with the
 * output kept in memory. The reply says whether the range joins its neighbours seamlessly: it
 * starts with a record that owes nothing to the lines before it, and it ends with nothing carried
 * over (no torn record waiting, no launcher prefix style learned). Where that fails, the main
 * thread converts from there itself, so the output is always what one pass would write.
 *
 * Receives: a range. Emits: the converted output, as bytes.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { RecordFilter } from "../filter/record-filter.js";
import { LineSplitter } from "../input/line-splitter.js";
import { RecordReader } from "../input/record-reader.js";
import type { LogRecord, Source } from "../model/record.js";
import { Utf8Buffer } from "../output/utf8-buffer.js";
import { type ConvertLayout, ConvertSink } from "../sinks/convert-sink.js";

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

const CHUNK = 1 << 20;

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
  layout: ConvertLayout,
  safe: boolean,
): ConvertReply {
  const reader = new RecordReader(source);
  const splitter = new LineSplitter(reader.pushLine);
  // Collected as UTF-8 and handed over without a copy (the buffer's memory is transferred).
  const memory = new Utf8Buffer(8 * 1024 * 1024);
  const sink = new ConvertSink(memory, layout, safe);
  let first: LogRecord | undefined;
  const drain = () => {
    const records = reader.take();
    first ??= records[0];
    for (const rec of records) if (filter.keep(rec)) sink.record(rec);
  };
  const fd = openSync(job.path, "r");
  try {
    for (let at = job.start; at < job.end; ) {
      // A fresh buffer a chunk: the splitter may keep a slice of it until the line ends.
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, job.end - at));
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n === 0) break;
      at += n;
      splitter.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      drain();
    }
  } finally {
    closeSync(fd);
  }
  const settled = reader.settled;
  splitter.end();
  reader.end();
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
