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
    const source = config.sources[job.source ?? 0];
    if (source === undefined) throw new Error("no such input");
    // Each range starts afresh: the filter's memory of the record before must not leak across.
    return convertRange(job, source, config.filter.fresh(), sinkFor);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { id: job.id, error: e.message, code: e.code ?? "" };
  }
}

/** Bytes of a range read to learn whether it starts cleanly (its first line). */
const PROBE_BYTES = 16 * 1024;

/**
 * Whether `job`'s range starts with a record that owes nothing to the lines before it, learnt
 * from its first line alone; false also when that line is longer than the probe (the range's
 * own conversion then tells).
 */
export function startsCleanlyProbed(
  job: ConvertJob,
  config: RunConfig,
  sinkFor: RangeSink,
): boolean {
  const head = { ...job, end: Math.min(job.end, job.start + PROBE_BYTES), units: false };
  const probe = convertJob(head, config, sinkFor);
  return !("error" in probe) && probe.cleanStart;
}

export interface ConvertJob {
  id: number;
  path: string;
  start: number;
  end: number;
  /** Which of the run's inputs the range is of (default: the first). */
  source?: number;
  /** Whether the reply also gives each record's place in the output (for a merge; see Units). */
  units?: boolean;
}

/** A unit is an unparsed line: it stays behind the record before it from the same input. */
export const UNIT_UNPARSED = 1;
/** The unit is kept; an unparsed unit without it follows the record before it (filter memory). */
export const UNIT_KEPT = 2;

/**
 * Converted output cut into units, one per record read, in input order: the record's order time,
 * where its output ends (a record the filter dropped has none), whether it is an unparsed line
 * and was kept, and its source label (for the filter's memory, which the merging thread keeps).
 */
export interface Units {
  order: Float64Array;
  ends: Int32Array;
  flags: Uint8Array;
  labelOf: Uint32Array;
  labels: string[];
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
      /** With `units` asked for. */
      units?: Units;
    }
  | { id: number; error: string; code: string };

/** The memory buffers a reply hands over to the thread that asked. */
export function transferredBy(reply: ConvertReply): ArrayBuffer[] {
  if (!("bytes" in reply)) return [];
  const u = reply.units;
  if (u === undefined) return [reply.bytes];
  const arrays = [u.order, u.ends, u.flags, u.labelOf];
  return [reply.bytes, ...arrays.map((a) => a.buffer as ArrayBuffer)];
}

/**
 * Records written as units (see Units): the filter judges each record by itself here; unparsed
 * lines are always written, and the merging thread decides on them.
 */
export class UnitLog {
  private readonly order: number[] = [];
  private readonly flags: number[] = [];
  private readonly labelOf: number[] = [];
  private readonly labels: string[] = [];
  private readonly labelIndex = new Map<string, number>();

  constructor(
    private readonly filter: RecordFilter,
    private readonly sink: Sink,
    private readonly memory: Utf8Buffer,
  ) {}

  put(rec: LogRecord): void {
    let flags = 0;
    if (rec.kind === "unparsed") {
      flags = UNIT_UNPARSED;
      if (!this.filter.active) flags |= UNIT_KEPT;
      this.sink.record(rec);
    } else if (!this.filter.active || this.filter.judge(rec)) {
      flags = UNIT_KEPT;
      this.sink.record(rec);
    }
    this.memory.mark();
    this.order.push(rec.orderUs);
    this.flags.push(flags);
    if (this.filter.active) {
      let label = this.labelIndex.get(rec.label);
      if (label === undefined) {
        label = this.labels.length;
        this.labels.push(rec.label);
        this.labelIndex.set(rec.label, label);
      }
      this.labelOf.push(label);
    }
  }

  /** The units logged, given the marks taken from the memory with the output. */
  finish(marks: number[]): Units {
    return {
      order: Float64Array.from(this.order),
      ends: Int32Array.from(marks),
      flags: Uint8Array.from(this.flags),
      labelOf: Uint32Array.from(this.labelOf),
      labels: this.labels,
    };
  }
}

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
  const units = job.units === true ? new UnitLog(filter, sink, memory) : null;
  let first: LogRecord | undefined;
  const drain = () => {
    const records = stream.take();
    first ??= records[0];
    if (units !== null) for (const rec of records) units.put(rec);
    else for (const rec of records) if (filter.keep(rec)) sink.record(rec);
  };
  readRangeRecords(stream, job.path, job.start, job.end, drain);
  const settled = stream.settled;
  stream.end();
  drain();
  const cleanStart = job.start === 0 || startsCleanly(first);
  const { buffer, length, marks } = memory.take();
  return {
    id: job.id,
    bytes: buffer.buffer as ArrayBuffer,
    length,
    cleanStart,
    settled,
    records: sink.records,
    rejected: filter.rejected,
    ...(units === null ? {} : { units: units.finish(marks) }),
  };
}
