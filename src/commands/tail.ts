/**
 * `dynlog tail`: the last records of each file (merged by time), then every line as soon as it
 * is complete, from files (followed like `tail -F`) and stdin (until it closes); with `--traces`,
 * a one-line summary whenever a root span closes. Ends cleanly on Ctrl-C/SIGTERM (status 0,
 * colours reset) and quietly when the output pipe closes.
 *
 * Receives: view options and a run configuration. Emits: the exit status.
 */
import type { RunConfig } from "../cli/resolve.js";
import { FileFollower } from "../input/follow-file.js";
import { readBytes } from "../input/inputs.js";
import { LineSplitter } from "../input/line-splitter.js";
import { RecordReader } from "../input/record-reader.js";
import { tailStart } from "../input/tail-start.js";
import type { LogRecord, Source } from "../model/record.js";
import { OutputWriter } from "../output/writer.js";
import { formatDuration } from "../render/durations.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/layout-style.js";
import { TailLayout } from "../render/tail-layout.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { LiveTraces, type TraceDigest } from "../trace/live-traces.js";
import { ServiceMap } from "../trace/lookup.js";
import type { Io } from "./io.js";

export interface TailOptions {
  lines: number;
  follow: boolean;
  traces: boolean;
  maxTraces: number;
}

/** A torn record or a line waiting for its end is shown after this much quiet. */
const IDLE_FLUSH_MS = 200;
const TRACE_GRACE_MS = 1000;
const TRACE_TICK_MS = 250;

/** One input's bytes -> lines -> records. */
class Feed {
  readonly reader: RecordReader;
  readonly splitter: LineSplitter;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    readonly source: Source,
    private readonly deliver: (records: LogRecord[]) => void,
  ) {
    this.reader = new RecordReader(source);
    this.splitter = new LineSplitter(this.reader.pushLine);
  }

  data(chunk: Buffer): void {
    this.splitter.push(chunk);
    this.deliver(this.reader.take());
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.reader.end();
      this.deliver(this.reader.take());
    }, IDLE_FLUSH_MS);
    this.idle.unref();
  }

  /** The end of a file or stream: its last line counts even without a newline. */
  end(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.splitter.end();
    this.reader.end();
    this.deliver(this.reader.take());
  }
}

function byOrder(a: LogRecord, b: LogRecord): number {
  return a.orderUs - b.orderUs || a.source.index - b.source.index;
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
  const layout = new TailLayout({
    style: config.color ? ANSI_STYLE : PLAIN_STYLE,
    time: config.time,
    labels: config.sources.length > 1,
    knownLabels: config.sources.map((s) => s.label),
    raw: config.raw,
  });
  const services = new ServiceMap(config.sources);
  const traces = options.traces
    ? new LiveTraces(options.maxTraces, TRACE_GRACE_MS, services.serviceOf)
    : null;
  let reportedDrops = 0;
  let initial: LogRecord[] | null = [];
  let failed = 0;

  const show = (rec: LogRecord): void => {
    if (config.filter.keep(rec)) writer.write(`${layout.record(rec)}\n`);
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
  const deliver = (records: LogRecord[]): void => {
    if (initial !== null) {
      for (const rec of records) initial.push(rec);
      return;
    }
    for (const rec of records) handle(rec, Date.now());
    writer.flush();
  };

  const files = config.sources.filter((s) => s.path !== "-");
  const streams = config.sources.filter((s) => s.path === "-");
  const followers: FileFollower[] = [];
  const feeds: Feed[] = [];
  for (const source of files) {
    const feed = new Feed(source, deliver);
    feeds.push(feed);
    if (!options.follow) {
      failed += await readOnce(source, feed, options.lines, io);
      continue;
    }
    const follower = new FileFollower(source.path, {
      data: (chunk) => feed.data(chunk),
      switched: () => feed.end(),
      notice: (message) => io.warn(`${terminalSafe(source.path)}: ${message}`),
    });
    followers.push(follower);
    await follower.start((size, handle) => tailStart(handle, size, options.lines));
  }

  // The starting records of every file, merged by time, with summaries placed by log time; from
  // here on, lines show as they come.
  const start = initial.sort(byOrder);
  initial = null;
  for (const rec of start) handle(rec, Number.isFinite(rec.orderUs) ? rec.orderUs / 1000 : 0);
  if (traces !== null) summarize(traces.due(Number.POSITIVE_INFINITY, true));
  writer.flush();

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
    void Promise.all(streams.map((s) => readStream(s, deliver, io))).then(() => {
      if (followers.length === 0 || !options.follow) stop();
    });
  });
  if ((options.follow || streams.length > 0) && !stopped) await finished;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  for (const f of followers) await f.stop();
  for (const feed of feeds) feed.end();
  if (traces !== null) summarize(traces.due(Date.now(), true));
  if (config.color && !writer.closed) writer.write("\x1b[0m");
  await writer.end();
  return failed > 0 ? 1 : 0;
}

/** `--no-follow` on a file: its last N records and done. */
async function readOnce(source: Source, feed: Feed, lines: number, io: Io): Promise<number> {
  const { open, stat } = await import("node:fs/promises");
  try {
    const info = await stat(source.path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!info.isFile()) {
      for await (const chunk of readBytes(source)) feed.data(chunk);
      feed.end();
      return 0;
    }
    const handle = await open(source.path, "r");
    try {
      let position = await tailStart(handle, info.size, lines);
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        feed.data(Buffer.from(buffer.subarray(0, bytesRead)));
      }
    } finally {
      await handle.close();
    }
    feed.end();
    return 0;
  } catch (err) {
    const { describeFsError } = await import("../input/inputs.js");
    io.inputError(source, describeFsError(err));
    return 1;
  }
}

/** Standard input until it closes, each complete line shown at once. */
async function readStream(
  source: Source,
  deliver: (records: LogRecord[]) => void,
  io: Io,
): Promise<void> {
  const feed = new Feed(source, deliver);
  try {
    for await (const chunk of readBytes(source)) feed.data(chunk);
  } catch (err) {
    const { describeFsError } = await import("../input/inputs.js");
    io.inputError(source, describeFsError(err));
  }
  feed.end();
}

function traceLine(d: TraceDigest, color: boolean): string {
  const request = [d.method, d.uri].filter((s) => s !== "").join(" ") || d.rootName;
  const parts = [
    `trace ${d.traceId.slice(0, 12)}`,
    d.requestId,
    terminalSafe(request),
    `${terminalSafe(d.rootService)} ${formatDuration(d.durationUs)}`,
    ...d.services.map(([service, us]) => `${terminalSafe(service)} ${formatDuration(us)}`),
  ].filter((s) => s !== "");
  const text = `── ${parts.join(" · ")}`;
  return color ? `\x1b[1m${text}\x1b[0m` : text;
}
