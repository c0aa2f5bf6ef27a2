/**
 * `convert` of several inputs merged by time, on worker threads: each large plain file is cut
 * into ranges as for one file (`parallel-convert.ts`), workers convert the ranges and say where
 * each record's output ends, its order time, and what the filter thought of it (`Units`); this
 * thread only merges: it runs the merge's rule (`merge.ts`) over those units and copies each
 * record's bytes out in merged order. It never parses a record a worker read.
 *
 * The output is byte for byte what one thread writes:
 * - a range is used only once both of its joins are known to be seamless; where one is not (or a
 *   range failed), this thread reads that input on itself from the start of the range before,
 *   and converts its records into units the same way;
 * - inputs that are not plain files (gzip, pipes, trace documents) are read here throughout;
 * - every record, the filter's dropped ones included, takes its turn in the merge, as in one pass;
 * - the filter judges each record where it is read, and this thread keeps its memory (an
 *   unparsed line follows the record before it from the same source).
 *
 * Each input has at most five ranges converted or under way beyond the one being merged, and the
 * workers go to the input the merge waits for: memory stays bounded whatever the inputs' times
 * (rotated files one after another, or components side by side).
 *
 * Receives: the sources, the run configuration, the output writer. Emits: the merged output.
 */
import type { RunConfig } from "../config/run-config.js";
import { type Outcome, WorkerPool } from "../input/worker-pool.js";
import type { LogRecord, Source } from "../model/record.js";
import { Utf8Buffer } from "../output/utf8-buffer.js";
import type { OutputWriter } from "../output/writer.js";
import { type InputErrorHandler, readRecords } from "../parse/record-stream.js";
import type { ConvertTarget } from "../sinks/convert-layout.js";
import {
  type ConvertJob,
  type ConvertReply,
  convertJob,
  type RangeSink,
  rangeSinkFor,
  startsCleanlyProbed,
  UNIT_KEPT,
  UNIT_UNPARSED,
  UnitLog,
  type Units,
} from "./convert-range.js";
import type { ConvertSetup } from "./convert-worker.js";
import { type Lane, mergeLanes } from "./merge.js";
import { type Converted, LOCAL_RANGES, planJoins, sizeNow } from "./parallel-convert.js";

/**
 * Ranges of one input converted or under way beyond the one being merged. A range is merged only
 * once the next one is back (to know their join is seamless), so with fewer the workers wait on
 * each other: with three, two files one after the other (rotated logs) took 4.3 s instead of 2.9.
 */
const LANE_AHEAD = 5;

export interface MergedConvert {
  /** The inputs; `sizes[i]` is input i's size when workers may read it in ranges, else null. */
  sources: Source[];
  sizes: (number | null)[];
  threads: number;
  to: ConvertTarget;
  config: RunConfig;
  writer: OutputWriter;
  onError: InputErrorHandler;
  /** Records written, and records the filter dropped, by the worker threads. */
  records: number;
  rejected: number;
}

/** A piece of converted output cut into units. */
interface Chunk {
  bytes: Buffer;
  units: Units;
}

/** Where the merge's units go: byte spans, copied out in one piece while they are contiguous. */
class SpanWriter {
  private bytes: Buffer | null = null;
  private start = 0;
  private end = 0;

  constructor(private readonly writer: OutputWriter) {}

  add(bytes: Buffer, start: number, end: number): void {
    if (bytes === this.bytes && start === this.end) {
      this.end = end;
      return;
    }
    this.flush();
    this.bytes = bytes;
    this.start = start;
    this.end = end;
  }

  flush(): void {
    if (this.bytes !== null && this.end > this.start) {
      this.writer.writeBytes(this.bytes.subarray(this.start, this.end));
    }
    this.bytes = null;
  }
}

/** One input's converted ranges (or its records converted here) as a lane of the merge. */
class ChunkLane implements Lane {
  private chunk: Chunk | null = null;
  private pos = 0;
  /** Ranges for the workers; `nextJob` is the first not yet handed out. */
  jobs: ConvertJob[] = [];
  nextJob = 0;
  /** Replies by job position, until the merge takes them. */
  private readonly replies = new Map<number, Outcome<ConvertReply>>();
  /** The job whose chunk comes next. */
  private nextTake = 0;
  /** Set while the merge waits for this lane's next reply. */
  private wake: (() => void) | null = null;
  /** This thread reads the input on itself from here on (once set). */
  private local: AsyncIterator<LogRecord[]> | null = null;

  constructor(
    readonly index: number,
    private readonly source: Source,
    private readonly size: number | null,
    private readonly run: MergeRun,
  ) {
    if (size === null) this.readHere(0);
  }

  /** Jobs handed out whose chunks the merge has not finished. */
  get ahead(): number {
    return this.nextJob - this.nextTake;
  }

  get waiting(): boolean {
    return this.wake !== null;
  }

  arrived(at: number, outcome: Outcome<ConvertReply>): void {
    if (this.local !== null) return;
    this.replies.set(at, outcome);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  headOrder(): number {
    return (this.chunk as Chunk).units.order[this.pos] as number;
  }

  headSticks(): boolean {
    return (((this.chunk as Chunk).units.flags[this.pos] as number) & UNIT_UNPARSED) !== 0;
  }

  takeHead(): boolean {
    const { bytes, units } = this.chunk as Chunk;
    const at = this.pos;
    const flags = units.flags[at] as number;
    let keep = (flags & UNIT_KEPT) !== 0;
    const filter = this.run.config.filter;
    if (filter.active) {
      const label = units.labels[units.labelOf[at] as number] as string;
      if ((flags & UNIT_UNPARSED) !== 0) keep = filter.follows(label);
      else filter.remember(label, keep);
    }
    const start = at === 0 ? 0 : (units.ends[at - 1] as number);
    const end = units.ends[at] as number;
    if (keep && end > start) this.run.spans.add(bytes, start, end);
    this.pos = at + 1;
    return this.pos < units.order.length;
  }

  async refill(): Promise<boolean> {
    for (;;) {
      const chunk = this.local !== null ? await this.nextLocal() : await this.nextConverted();
      if (chunk === null) return false;
      if (chunk.units.order.length > 0) {
        this.chunk = chunk;
        this.pos = 0;
        return true;
      }
    }
  }

  async close(): Promise<void> {
    await this.local?.return?.();
  }

  /** From now on this thread reads the input from `from` (no more jobs are handed out). */
  private readHere(from: number): void {
    this.nextJob = this.jobs.length;
    const { source, run } = this;
    this.local = readRecords(source, run.onError, { from })[Symbol.asyncIterator]();
  }

  private async nextLocal(): Promise<Chunk | null> {
    const next = await (this.local as AsyncIterator<LogRecord[]>).next();
    if (next.done) return null;
    const memory = new Utf8Buffer(256 * 1024);
    const sink = this.run.sinkFor(memory);
    const log = new UnitLog(this.run.config.filter, sink, memory);
    for (const rec of next.value) log.put(rec);
    this.run.records += sink.records;
    const { buffer, marks } = memory.take();
    return { bytes: buffer, units: log.finish(marks) };
  }

  /**
   * The reply to job `at`, waited for. Until the workers start, the first LOCAL_RANGES ranges
   * (never the last, as with one file) are converted here when the merge needs them: the first
   * lines come out before any worker has started, and a reader that goes away after them
   * (`convert a b c | head`) is seen gone first.
   */
  private async reply(at: number): Promise<Outcome<ConvertReply>> {
    const local = at < LOCAL_RANGES && at + 1 < this.jobs.length;
    if (local && !this.run.poolStarted && !this.replies.has(at)) {
      const { config, sinkFor } = this.run;
      this.replies.set(at, { reply: convertJob(this.jobs[at] as ConvertJob, config, sinkFor) });
      this.nextJob = Math.max(this.nextJob, at + 1);
    }
    for (;;) {
      const outcome = this.replies.get(at);
      if (outcome !== undefined) return outcome;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.run.dispatch();
      });
    }
  }

  /**
   * Whether job `at` starts cleanly: from its reply, or, while the workers have not started and
   * it is past the ranges converted here, from a probe of its first line (when that says no, the
   * range's own conversion tells).
   */
  private async startsCleanly(at: number): Promise<boolean> {
    const job = this.jobs[at] as ConvertJob;
    const { config, sinkFor } = this.run;
    if (!this.run.poolStarted && at >= LOCAL_RANGES && startsCleanlyProbed(job, config, sinkFor)) {
      return true;
    }
    return converted(await this.reply(at))?.cleanStart === true;
  }

  /**
   * The next range's chunk, once it is known to join the range after it seamlessly; otherwise
   * this thread takes over the input from that range's start.
   */
  private async nextConverted(): Promise<Chunk | null> {
    const at = this.nextTake;
    if (at >= this.jobs.length) return null;
    const job = this.jobs[at] as ConvertJob;
    const current = converted(await this.reply(at));
    let usable = current?.settled === true;
    if (usable && at + 1 < this.jobs.length) {
      usable = await this.startsCleanly(at + 1);
    } else if (usable && sizeNow(this.source.path) !== this.size) {
      // The file grew since it was cut: its last range is read on to its end now, here.
      usable = false;
    }
    this.replies.delete(at);
    this.nextTake = at + 1;
    if (!usable || current === null) {
      this.replies.clear();
      this.readHere(job.start);
      return await this.nextLocal();
    }
    // More ranges for the workers (once they run: until a lane waits, this thread goes first).
    if (this.run.poolStarted) this.run.dispatch();
    this.run.records += current.records;
    this.run.rejected += current.rejected;
    return {
      bytes: Buffer.from(current.bytes, 0, current.length),
      units: current.units as Units,
    };
  }
}

function converted(outcome: Outcome<ConvertReply>): Converted | null {
  return "reply" in outcome && !("error" in outcome.reply) ? outcome.reply : null;
}

/** The shared state of a merged run: the pool, the lanes, where units go. */
class MergeRun {
  readonly lanes: ChunkLane[];
  readonly spans: SpanWriter;
  readonly sinkFor: RangeSink;
  readonly config: RunConfig;
  readonly onError: InputErrorHandler;
  records = 0;
  rejected = 0;
  private pool: WorkerPool<ConvertJob, ConvertReply> | null = null;

  constructor(private readonly plan: MergedConvert) {
    this.config = plan.config;
    this.onError = plan.onError;
    this.spans = new SpanWriter(plan.writer);
    this.sinkFor = rangeSinkFor(plan.config, plan.to);
    this.lanes = plan.sources.map((source, i) => {
      const size = plan.sizes[i] ?? null;
      const lane = new ChunkLane(i, source, size, this);
      if (size !== null) {
        lane.jobs = planJoins(source.path, size, plan.threads).map((job, at) => ({
          ...job,
          id: at,
          source: plan.config.sources.indexOf(source),
          units: true,
        }));
      }
      return lane;
    });
  }

  /**
   * Hands ranges to idle workers: first to the lane the merge waits for, then to the lane with
   * the fewest ranges ahead of the merge, each lane at most LANE_AHEAD ahead.
   */
  dispatch(): void {
    for (;;) {
      let best: ChunkLane | null = null;
      for (const lane of this.lanes) {
        if (lane.nextJob >= lane.jobs.length || lane.ahead >= LANE_AHEAD) continue;
        if (best === null || (lane.waiting && !best.waiting)) best = lane;
        else if (lane.waiting === best.waiting && lane.ahead < best.ahead) best = lane;
      }
      if (best === null) return;
      const pool = this.startPool();
      if (pool.alive && pool.idleWorkers === 0) return;
      const lane = best;
      const at = lane.nextJob++;
      void pool.run(lane.jobs[at] as ConvertJob).then((outcome) => {
        lane.arrived(at, outcome);
        this.dispatch();
      });
    }
  }

  /** Whether the workers have been started (they are, when a lane first needs them). */
  get poolStarted(): boolean {
    return this.pool !== null;
  }

  private startPool(): WorkerPool<ConvertJob, ConvertReply> {
    if (this.pool === null) {
      const setup: ConvertSetup = { settings: this.config.settings, to: this.plan.to };
      const script = new URL("./convert-worker.js", import.meta.url);
      this.pool = new WorkerPool(script, this.plan.threads, setup);
    }
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/** Converts the inputs merged by time; fills in `plan.records` and `plan.rejected`. */
export async function convertMerged(plan: MergedConvert): Promise<void> {
  const run = new MergeRun(plan);
  const { writer } = plan;
  try {
    for await (const _ of mergeLanes(run.lanes)) {
      run.spans.flush();
      // Until the workers start, what is merged goes out at once, and a turn of the event loop
      // lets a reader that went away be seen before they do.
      if (!run.poolStarted) {
        writer.flush();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (writer.closed) break;
      await writer.ready();
    }
    run.spans.flush();
  } finally {
    plan.records += run.records;
    plan.rejected += run.rejected;
    await run.close();
  }
}
