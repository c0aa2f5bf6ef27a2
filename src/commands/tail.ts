/**
 * `dynlog tail`: the last records of each file (merged by time), then every line as soon as it
 * is complete, from files (followed like `tail -F`) and stdin (until it closes); with `--traces`,
 * a one-line summary whenever a root span closes. Ends cleanly on Ctrl-C/SIGTERM (status 0,
 * colours reset) and quietly when the output pipe closes.
 *
 * Receives: view options and a run configuration. Emits: the exit status.
 */

import { type FileHandle, open } from "node:fs/promises";
import { setImmediate } from "node:timers/promises";
import { noRecordsMatched, type RunConfig } from "../config/run-config.js";
import { FileFollower } from "../input/follow-file.js";
import { describeFsError, readBytes } from "../input/inputs.js";
import type { LinesStart } from "../input/tail-start.js";
import { tailStart } from "../input/tail-start.js";
import { workerThreads } from "../input/worker-pool.js";
import type { LogRecord, Source } from "../model/record.js";
import { OutputWriter } from "../output/writer.js";
import { RecordStream, readOpenFile, readRecords } from "../parse/record-stream.js";
import { mergeByTime } from "../pipeline/merge.js";
import type { RangeRun } from "../pipeline/parallel-convert.js";
import { formatDuration } from "../render/durations.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { TailSink, tailLayoutFor } from "../sinks/tail-sink.js";
import { LiveTraces, type TraceDigest } from "../trace/live-traces.js";
import { ServiceMap } from "../trace/lookup.js";
import type { Io } from "./io.js";

export interface TailOptions {
  /** The last N records of each file, or from the Nth (`+N`, `all`). */
  lines: LinesStart;
  follow: boolean;
  traces: boolean;
  maxTraces: number;
}

/** A torn record or a line waiting for its end is shown after this much quiet. */
const IDLE_FLUSH_MS = 200;
const TRACE_GRACE_MS = 1000;
const TRACE_TICK_MS = 250;
/** Chunks of a file's starting segment read between two turns of the event loop. */
const YIELD_EVERY_CHUNKS = 64;

/** Shows records; resolves when the output can take more (a full pipe holds the reading). */
type Deliver = (records: LogRecord[]) => Promise<void>;

/** One input's live bytes through the one reader; each chunk's records are delivered at once. */
class Feed {
  readonly stream: RecordStream;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    readonly source: Source,
    private readonly deliver: Deliver,
  ) {
    this.stream = new RecordStream(source);
  }

  /** Takes the next chunk; resolves once its records have been handed to the output. */
  async data(chunk: Buffer): Promise<void> {
    this.stream.push(chunk);
    this.quietFromNow();
    await this.deliver(this.stream.take());
  }

  /** What the stream holds back (a torn record, a line waiting for its end) shows after a lull. */
  quietFromNow(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.stream.flushWaiting();
      void this.deliver(this.stream.take());
    }, IDLE_FLUSH_MS);
    this.idle.unref();
  }

  /** The end of a file or stream: its last line counts even without a newline. */
  end(): Promise<void> {
    if (this.idle !== null) clearTimeout(this.idle);
    this.stream.end();
    return this.deliver(this.stream.take());
  }
}

export async function runTail(options: TailOptions, config: RunConfig, io: Io): Promise<number> {
  // Signals are handled from the start: Ctrl-C during the first screenful must end cleanly too.
  let stop: () => void = () => {};
  let stopped = false;
  const onSignal = () => {
    stopped = true;
    stop();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const writer = new OutputWriter(io.stdout);
  const sink = new TailSink(writer, tailLayoutFor(config));
  const services = new ServiceMap(config.sources);
  const traces = options.traces
    ? new LiveTraces(options.maxTraces, TRACE_GRACE_MS, services.ofRecord)
    : null;
  let reportedDrops = 0;

  const show = (rec: LogRecord): void => {
    if (config.filter.keep(rec)) sink.record(rec);
  };
  const summarize = (digests: TraceDigest[]): void => {
    for (const d of digests) writer.write(`${traceLine(d, config.color)}\n`);
    if (traces !== null && traces.dropped > reportedDrops) {
      io.warn(
        `--traces: ${traces.dropped - reportedDrops} open traces dropped (over ${options.maxTraces} open at once; raise --max-traces)`,
      );
      reportedDrops = traces.dropped;
    }
  };
  /** Shows a record and feeds the trace summaries; `nowMs` is the clock their grace runs on. */
  const handle = (rec: LogRecord, nowMs: number): void => {
    services.learn(rec);
    traces?.add(rec, nowMs);
    show(rec);
    if (traces !== null) summarize(traces.due(nowMs));
  };
  const deliver: Deliver = async (records) => {
    for (const rec of records) handle(rec, Date.now());
    writer.flush();
    await writer.ready();
  };

  // The starting segment of every file (from its last N records to its end now), merged by time
  // as it streams (N may be large), with summaries placed by log time.
  const files = config.sources.filter((s) => s.path !== "-");
  const streams = config.sources.filter((s) => s.path === "-");
  // A single file's segment goes through worker threads when it is large (its records are not
  // needed here: no summaries, nothing to merge with).
  const ranges =
    config.sources.length === 1 && !options.traces
      ? new SegmentRanges(config, writer, options.follow, () => stopped)
      : null;
  const segments = files.map((source) => new StartSegment(source, deliver, ranges));
  const batches = segments.map((seg) => seg.batches(options.lines, options.follow, io));
  const merged = batches.length <= 1 ? batches[0] : mergeByTime(batches);
  if (merged !== undefined) {
    for await (const batch of merged) {
      for (const rec of batch) handle(rec, Number.isFinite(rec.orderUs) ? rec.orderUs / 1000 : 0);
      writer.flush();
      if (writer.closed || stopped) break;
      await writer.ready();
    }
  }
  if (traces !== null) summarize(traces.due(Number.POSITIVE_INFINITY, true));
  writer.flush();
  const failed = segments.filter((seg) => seg.failed).length;

  // From here on, lines show as they come.
  const followers: FileFollower[] = [];
  for (const seg of segments) {
    seg.live = true;
    if (!options.follow || seg.endPosition < 0 || stopped) {
      await seg.handle?.close();
      continue;
    }
    const follower = new FileFollower(seg.source.path, {
      data: (chunk) => seg.feed.data(chunk),
      switched: () => void seg.feed.end(),
      notice: (message) => io.warn(`${terminalSafe(seg.source.path)}: ${message}`),
    });
    followers.push(follower);
    await follower.start(
      seg.handle === null ? null : { handle: seg.handle, position: seg.endPosition },
    );
  }

  const finished = new Promise<void>((resolve) => {
    stop = () => resolve();
    if (stopped) resolve();
    const poll = setInterval(() => {
      if (writer.closed) stop();
      if (traces !== null) {
        summarize(traces.due(Date.now()));
        writer.flush();
      }
    }, TRACE_TICK_MS);
    poll.unref();
    const fromNth = (): Deliver => {
      const skip = new RecordSkip("from" in options.lines ? options.lines.from - 1 : 0);
      return (records) => deliver(skip.apply(records));
    };
    void Promise.all(streams.map((s) => readStream(s, fromNth(), io))).then(() => {
      if (followers.length === 0 || !options.follow) stop();
    });
  });
  if ((options.follow || streams.length > 0) && !stopped) await finished;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  for (const f of followers) await f.stop();
  for (const seg of segments) await seg.feed.end();
  if (traces !== null) summarize(traces.due(Date.now(), true));
  if (config.color && !writer.closed) writer.write("\x1b[0m");
  await writer.end();
  const shown = sink.records + (ranges?.records ?? 0);
  const rejected = config.filter.rejected + (ranges?.rejected ?? 0);
  if (!stopped && !writer.closed && shown === 0 && rejected > 0) {
    io.warn(noRecordsMatched(config));
  }
  return failed > 0 ? 1 : 0;
}

/**
 * A file's starting segment: from the start of its last N records to its end at start-up, read
 * through the file's own feed (which following then continues, so a half-written last line is
 * completed, not lost). Remembers where it stopped; a missing file is left to the follower.
 */
class StartSegment {
  readonly feed: Feed;
  private pending: LogRecord[] = [];
  /** Byte offset where the segment ended; -1 when the input is not a regular file. */
  endPosition = 0;
  /** The file read, kept open for the follower (which closes it), when following. */
  handle: FileHandle | null = null;
  failed = false;
  /** Once live, records go straight to the view. */
  live = false;

  constructor(
    readonly source: Source,
    deliver: Deliver,
    private readonly ranges: SegmentRanges | null,
  ) {
    this.feed = new Feed(source, async (records) => {
      if (this.live) await deliver(records);
      else for (const rec of records) this.pending.push(rec);
    });
  }

  private take(): LogRecord[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  async *batches(lines: LinesStart, follow: boolean, io: Io): AsyncGenerator<LogRecord[]> {
    const skip = new RecordSkip("from" in lines ? lines.from - 1 : 0);
    let handle: FileHandle;
    try {
      handle = await open(this.source.path, "r");
    } catch (err) {
      // A missing file is left to the follower, which waits for it.
      const code = (err as NodeJS.ErrnoException).code;
      if (!follow || code !== "ENOENT") this.fail(io, err);
      return;
    }
    try {
      const info = await handle.stat();
      if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
      if (!info.isFile()) {
        this.endPosition = -1;
        for await (const chunk of readBytes(this.source)) {
          await this.feed.data(chunk);
          yield skip.apply(this.take());
        }
        await this.feed.end();
        yield skip.apply(this.take());
        return;
      }
      if (await isGzip(handle)) {
        // Compressed: read through the reader from the start, its last N records kept.
        this.endPosition = -1;
        const records = readRecords(this.source, (_, reason) => this.fail(io, reason));
        if ("last" in lines) yield* lastRecords(records, lines.last);
        else for await (const batch of records) yield skip.apply(batch);
        return;
      }
      let position = "last" in lines ? await tailStart(handle, info.size, lines.last) : 0;
      // Skipping records (`+N`) is left to this thread.
      if (this.ranges !== null && (!("from" in lines) || lines.from === 1)) {
        position = Math.min(await this.ranges.convert(this.source, position, info.size), info.size);
      }
      // The file as it is now, through the feed's stream, which following then goes on with.
      const advance = (bytes: number) => {
        position += bytes;
      };
      let chunks = 0;
      for (const batch of readOpenFile(this.feed.stream, handle.fd, position, advance)) {
        const kept = skip.apply(batch);
        if (kept.length > 0) yield kept;
        // Reads are synchronous: signals and timers get their turn now and then.
        if (++chunks % YIELD_EVERY_CHUNKS === 0) await setImmediate();
      }
      this.feed.quietFromNow();
      this.endPosition = position;
      if (follow) this.handle = handle;
    } catch (err) {
      this.fail(io, err);
      return;
    } finally {
      if (this.handle !== handle) await handle.close();
    }
    if (!follow) {
      await this.feed.end();
      yield skip.apply(this.take());
    }
  }

  private fail(io: Io, err: unknown): void {
    this.failed = true;
    io.inputError(this.source, typeof err === "string" ? err : describeFsError(err));
  }
}

/**
 * Worker threads for a single file's starting segment, when it is large enough to repay them
 * (see input/worker-pool.ts): they write what they convert straight to the output, in order, and
 * this thread reads on from where they stop (always the last range when following, so a line
 * still being written is completed as it would be in one pass).
 */
class SegmentRanges {
  records = 0;
  rejected = 0;

  constructor(
    private readonly config: RunConfig,
    private readonly writer: OutputWriter,
    private readonly follow: boolean,
    private readonly stopped: () => boolean,
  ) {}

  /** Converts [from, size) as far as it can; returns where this thread goes on reading. */
  async convert(source: Source, from: number, size: number): Promise<number> {
    const threads = workerThreads(size - from);
    if (threads === 0) return from;
    const { convertFileRanges } = await import("../pipeline/parallel-convert.js");
    const run: RangeRun = {
      source,
      size,
      threads,
      to: "tail",
      config: this.config,
      writer: this.writer,
      records: 0,
      rejected: 0,
      from,
      leaveLast: this.follow,
      stopped: this.stopped,
    };
    const next = await convertFileRanges(run);
    this.records += run.records;
    this.rejected += run.rejected;
    return next;
  }
}

/** Drops a file's first records (and the lines that belong to them) for `-n +N`. */
class RecordSkip {
  constructor(private left: number) {}

  apply(batch: LogRecord[]): LogRecord[] {
    if (this.left === 0) return batch;
    let i = 0;
    for (; i < batch.length; i++) {
      const rec = batch[i] as LogRecord;
      if (rec.kind !== "unparsed") {
        if (this.left === 0) break;
        this.left--;
      }
    }
    return batch.slice(i);
  }
}

async function isGzip(handle: FileHandle): Promise<boolean> {
  const magic = Buffer.alloc(2);
  const { bytesRead } = await handle.read(magic, 0, 2, 0);
  return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

/**
 * The last `count` records of a stream read from its start, each with the lines that follow it
 * (a traceback stays with its error), in one batch at the end; memory holds those records only.
 */
async function* lastRecords(
  batches: AsyncIterable<LogRecord[]>,
  count: number,
): AsyncGenerator<LogRecord[]> {
  const kept: LogRecord[] = [];
  let starts = 0;
  let head = 0;
  for await (const batch of batches) {
    for (const rec of batch) {
      if (rec.kind !== "unparsed") starts++;
      kept.push(rec);
      // Drops the oldest record (and the lines after it) while more than `count` are kept.
      while (starts > count && head < kept.length) {
        head++;
        while (head < kept.length && (kept[head] as LogRecord).kind === "unparsed") head++;
        starts--;
      }
      if (head > 4096 && head * 2 > kept.length) {
        kept.splice(0, head);
        head = 0;
      }
    }
  }
  if (count > 0 && kept.length > head) yield kept.slice(head);
}

/** Standard input until it closes, each complete line shown at once, read as fast as shown. */
async function readStream(source: Source, deliver: Deliver, io: Io): Promise<void> {
  const feed = new Feed(source, deliver);
  try {
    for await (const chunk of readBytes(source)) await feed.data(chunk);
  } catch (err) {
    io.inputError(source, describeFsError(err));
  }
  await feed.end();
}

function traceLine(d: TraceDigest, color: boolean): string {
  const request = [d.method, d.uri].filter((s) => s !== "").join(" ") || d.rootName;
  const bound = d.durationLowerBound ? "≥" : "";
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [
    `trace ${d.traceId.slice(0, 12)}`,
    d.requestId,
    terminalSafe(request),
    `${terminalSafe(d.rootService)} ${bound}${formatDuration(d.durationUs)}`,
    ...d.services.map(([service, us]) => `${terminalSafe(service)} ${formatDuration(us)}`),
    ...d.open.map(([service, name]) => `${terminalSafe(service)} ${terminalSafe(name)} still open`),
    d.errors > 0 ? plural(d.errors, "error") : "",
    d.warnings > 0 ? plural(d.warnings, "warning") : "",
    d.inferred > 0 ? "inferred (no span events)" : "",
  ].filter((s) => s !== "");
  const text = `── ${parts.join(" · ")}`;
  return color ? `\x1b[1m${text}\x1b[0m` : text;
}
