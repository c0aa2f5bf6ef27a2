/**
 * `convert` of one large plain file on worker threads (and `tail` of a file's starting segment):
 * the file is cut into ranges, each at a line that starts a record right after a line that ended
 * one (`}\n{`), small at first and growing; workers convert them, and this thread writes their
 * output in order. A range's output is written only once both of its joins are known to be
 * seamless (see `convert-range.ts`); at the first join that is not, the main thread converts the
 * rest of the file itself, from the start of the range before it.
 * So the output is byte for byte what a single pass writes.
 *
 * Receives: the source, its size, the run configuration. Emits: the output; the run result.
 */
import { statSync } from "node:fs";
import type { RunConfig } from "../config/run-config.js";
import { cutFile, RECORD_JOINS, rangeSize } from "../input/file-ranges.js";
import { OrderedPool } from "../input/worker-pool.js";
import type { Source } from "../model/record.js";
import type { Sink } from "../model/sink.js";
import type { OutputWriter } from "../output/writer.js";
import { type InputErrorHandler, readRecords } from "../parse/record-stream.js";
import type { ConvertTarget } from "../sinks/convert-layout.js";
import {
  type ConvertJob,
  type ConvertReply,
  convertJob,
  type RangeView,
  rangeSinkFor,
  startsCleanlyProbed,
} from "./convert-range.js";
import type { ConvertSetup } from "./convert-worker.js";

/**
 * Small ranges keep the output held in memory small (about 1.5 times the input per range, a few
 * ranges a worker ahead). Over 1 GB on two threads: 4 MiB ranges peaked at 230-260 MB, 2 MiB at
 * 185-205 MB, in the same time (5.3 s).
 */
const RANGE_MAX = 2 * 1024 * 1024;
/**
 * The first range's size; the next ones double up to the full size. The first range is converted
 * on this thread while nothing is compiled yet (32 KiB take about 25 ms then), so that the first
 * lines come out before the workers have loaded.
 */
const RANGE_FIRST = 32 * 1024;

/** Ranges from `from` on, cut at record joins, numbered for the pool. */
export function planJoins(path: string, size: number, threads: number, from = 0): ConvertJob[] {
  const target = rangeSize(size - from, threads, RANGE_MAX);
  return cutFile(path, size, target, RECORD_JOINS, from, RANGE_FIRST).map((range, id) => ({
    id,
    ...range,
  }));
}

/** A file's size now (-1 when it cannot be read): one that grew since it was cut is read on. */
export function sizeNow(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

/** A range's reply that has its output (not an error). */
export type Converted = Extract<ConvertReply, { bytes: unknown }>;

function writeOut(reply: Converted, run: RangeRun): void {
  if (reply.length > 0) run.writer.writeBytes(Buffer.from(reply.bytes, 0, reply.length));
  run.records += reply.records;
  run.rejected += reply.rejected;
}

/** A plain file's ranges converted on worker threads, their output written in order. */
export interface RangeRun {
  source: Source;
  size: number;
  threads: number;
  to: RangeView;
  config: RunConfig;
  writer: OutputWriter;
  /** Records the worker threads wrote and dropped (this thread's sink and filter count theirs). */
  records: number;
  rejected: number;
  /** Where the first range starts (a line that starts a record; default 0). */
  from?: number;
  /**
   * The last range is always left to this thread (`tail` following a file goes on reading where
   * the segment ends, a line still being written included).
   */
  leaveLast?: boolean;
  /** Whether the run was asked to end (a signal): no more ranges are written. */
  stopped?: () => boolean;
}

export interface ParallelConvert extends RangeRun {
  to: ConvertTarget;
  sink: Sink;
  onError: InputErrorHandler;
}

/**
 * Converts the file from `run.from` on; returns the offset from which this thread must go on
 * reading it (Infinity: done, or the output closed, or the run stopped).
 */
export async function convertFileRanges(run: RangeRun): Promise<number> {
  const from = run.from ?? 0;
  const jobs = planJoins(run.source.path, run.size, run.threads, from);
  return jobs.length > 1 ? await convertRanges(run, jobs) : from;
}

/** Ranges (of each input) converted on this thread before the workers start (32 + 64 + 128 KiB). */
export const LOCAL_RANGES = 3;

/**
 * Converts the first ranges on this thread, before any worker starts, each written at once when
 * it joins the next range seamlessly (that range's first line is read here to know): the first
 * lines reach the output while nothing else has started, and a reader that stops after them
 * (`convert 1GB | head -1`) is seen gone before any worker is started. Returns the jobs left for
 * the workers (all of them when not even the first could be written), or null when the output
 * closed.
 */
async function convertFirstHere(run: RangeRun, jobs: ConvertJob[]): Promise<ConvertJob[] | null> {
  const sinkFor = rangeSinkFor(run.config, run.to);
  let done = 0;
  while (done < LOCAL_RANGES && done + 1 < jobs.length) {
    const job = jobs[done] as ConvertJob;
    const next = jobs[done + 1] as ConvertJob;
    const reply = convertJob(job, run.config, sinkFor);
    if ("error" in reply || !reply.settled) break;
    if (!startsCleanlyProbed(next, run.config, sinkFor)) break;
    writeOut(reply, run);
    run.writer.flush();
    done++;
    // A turn of the event loop, so that a reader gone away (EPIPE) is seen.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (run.writer.closed || run.stopped?.()) return null;
    await run.writer.ready();
  }
  return jobs.slice(done);
}

async function convertRanges(run: RangeRun, jobs: ConvertJob[]): Promise<number> {
  const rest = await convertFirstHere(run, jobs);
  if (rest === null) return Number.POSITIVE_INFINITY;
  const setup: ConvertSetup = { settings: run.config.settings, to: run.to };
  const script = new URL("./convert-worker.js", import.meta.url);
  const pool = new OrderedPool<ConvertJob, ConvertReply>(script, run.threads, setup);
  const firstId = pool.add(rest.map(({ path, start, end }) => ({ path, start, end })));
  try {
    let held: { job: ConvertJob; reply: Converted } | null = null;
    for (const [i, job] of rest.entries()) {
      const outcome = await pool.take(firstId + i);
      const reply = "reply" in outcome ? outcome.reply : null;
      // A failed range (a read error, a dead worker) is converted here, which reports it.
      if (reply === null || "error" in reply) return held?.job.start ?? job.start;
      if (held !== null) {
        if (!held.reply.settled || !reply.cleanStart) return held.job.start;
        writeOut(held.reply, run);
        if (run.writer.closed || run.stopped?.()) return Number.POSITIVE_INFINITY;
        await run.writer.ready();
      }
      held = { job, reply };
    }
    // A file still being written has grown since it was cut: its last range is converted here,
    // on to the file's end now, as a single pass would.
    if (held === null) return run.from ?? 0;
    if (run.leaveLast || sizeNow(run.source.path) !== run.size) return held.job.start;
    writeOut(held.reply, run);
    return Number.POSITIVE_INFINITY;
  } finally {
    await pool.close();
  }
}

export async function convertInParallel(run: ParallelConvert): Promise<void> {
  const from = await convertFileRanges(run);
  if (from === Number.POSITIVE_INFINITY || run.writer.closed) return;
  for await (const batch of readRecords(run.source, run.onError, { from })) {
    for (const rec of batch) if (run.config.filter.keep(rec)) run.sink.record(rec);
    if (run.writer.closed) return;
    await run.writer.ready();
  }
}
