/**
 * The one reader: bytes -> lines -> records, for every command. Launcher prefixes, torn records,
 * readable-layout lines, CRLF, invalid UTF-8 and service announcements are handled by the
 * `RecordReader` under it; what differs between commands is an option or an entry point here:
 *
 * - `needles`: a prefilter. Only lines that contain one of the byte strings are decoded and
 *   parsed (found with `Buffer.indexOf` over the raw bytes), plus service announcements, which
 *   are looked for everywhere so each record knows its service; the other lines are skipped.
 * - `readRecords(source, …, { from })`: a whole input (gunzipped when it is gzip), from an offset.
 * - `readRangeRecords`: a byte range of a plain file, synchronously (worker threads).
 * - `readOpenFile`: an open plain file to its end now, leaving the stream open (`tail`).
 * - `push`/`end`/`take`: a live source (the follower or stdin feeds chunks as they come).
 * - `pushFound`: lines a scan worker found, in order, parsed here as if found in this thread.
 *
 * Receives: byte chunks (or found lines). Emits: records, in input order.
 */
import { isUtf8 } from "node:buffer";
import { once } from "node:events";
import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { elementLines, elementStream, isExportedTraces } from "../input/exported-traces.js";
import {
  describeFsError,
  fileChunks,
  plainFileSize,
  readBytes,
  readRangeSync,
  readsOnce,
} from "../input/inputs.js";
import { LineSplitter } from "../input/line-splitter.js";
import {
  FOLLOW,
  type LineKind,
  type LineTest,
  MATCH,
  NeedleLines,
  TRAIL,
} from "../input/needle-lines.js";
import type { LogRecord, Source } from "../model/record.js";
import { ANNOUNCEMENT_TEXT, RecordReader } from "./record-reader.js";

/** Service announcements are found by this, in every needle scan. */
export const ANNOUNCEMENT = Buffer.from(ANNOUNCEMENT_TEXT);

export interface ReadOptions {
  /** Parse only the lines that contain one of these (records then carry line number 0). */
  needles?: readonly Buffer[];
  /** With needles: also the lines after a matching record that are not records (a traceback). */
  trailers?: boolean;
  /** With needles: which matching lines are read at all (see NeedleLines). */
  accept?: LineTest;
}

export type InputErrorHandler = (source: Source, reason: string) => void;

/** The needles a prefiltered read looks for: the caller's and the service announcements. */
export function withAnnouncements(needles: readonly Buffer[]): Buffer[] {
  return needles.some((n) => n.equals(ANNOUNCEMENT)) ? [...needles] : [...needles, ANNOUNCEMENT];
}

export class RecordStream {
  readonly reader: RecordReader;
  private readonly splitter: LineSplitter | null = null;
  private readonly needleLines: NeedleLines | null = null;

  constructor(
    readonly source: Source,
    options: ReadOptions = {},
  ) {
    const needles = options.needles;
    this.reader = new RecordReader(source, { numbered: needles === undefined });
    if (needles === undefined) this.splitter = new LineSplitter(this.reader.pushLine);
    else {
      const all = withAnnouncements(needles);
      const trailers = options.trailers === true;
      this.needleLines = new NeedleLines(all, this.found, trailers, options.accept ?? null);
    }
  }

  /** Whether only some lines are read. */
  get prefiltered(): boolean {
    return this.needleLines !== null;
  }

  /** The next chunk of the input. With needles, the chunk may be reused once this returns. */
  push(chunk: Buffer): void {
    if (this.splitter !== null) this.splitter.push(chunk);
    else this.needleLines?.push(chunk);
  }

  /** The input ended: its last line counts even without a newline; a torn record is given up. */
  end(): void {
    this.splitter?.end();
    this.needleLines?.finish();
    this.reader.end();
  }

  /** A lull in a live source: a torn record still waiting is shown as the lines it is. */
  flushWaiting(): void {
    this.reader.end();
  }

  /** Hands over the records read so far. */
  take(): LogRecord[] {
    return this.reader.take();
  }

  /** See `RecordReader.settled`. */
  get settled(): boolean {
    return this.reader.settled;
  }

  /** A line found by a scan (here or in a worker), with how it relates to the one before. */
  pushFound(line: string | Buffer, kind: LineKind): void {
    if (kind === FOLLOW) {
      this.reader.pushContinuation(typeof line === "string" ? line : line.toString("utf8"), "\n");
      return;
    }
    // A trailer is read as the line it is, right after its record (never a torn record's piece).
    if (kind === MATCH || kind === TRAIL) this.reader.gap();
    this.reader.pushLine(line, "\n");
  }

  private readonly found = (buf: Buffer, start: number, end: number, kind: LineKind): void => {
    const bytes = buf.subarray(start, end);
    // Copied when invalid: the chunk may be reused.
    this.pushFound(isUtf8(bytes) ? bytes.toString("utf8") : Buffer.from(bytes), kind);
  };
}

/**
 * One input's records, in batches (one per read chunk, so consumers await once per chunk, not
 * once per line). `from` skips the first bytes of a plain file. Read errors go to `onError` and
 * end the input; what was read before is kept.
 */
export async function* readRecords(
  source: Source,
  onError: InputErrorHandler,
  options: ReadOptions & { from?: number } = {},
): AsyncGenerator<LogRecord[]> {
  const stream = new RecordStream(source, options);
  const live = readsOnce(source);
  let chunks: AsyncIterator<Buffer> | null = null;
  try {
    // A prefiltered read copies what it keeps, so its chunks are read in place.
    chunks = readBytes(source, stream.prefiltered, options.from ?? 0)[Symbol.asyncIterator]();
    let first: Promise<IteratorResult<Buffer>> | null = chunks.next();
    if (stream.prefiltered) {
      // A trace document exported from dynlog, Tempo or Jaeger is read as the records it holds.
      const head = await first;
      if (!head.done && isExportedTraces(head.value.toString("utf8", 0, SNIFF_BYTES))) {
        yield* importTraces(source, head.value, chunks, options.needles ?? [], onError);
        return;
      }
      first = Promise.resolve(head);
    }
    for (;;) {
      const next = first ?? chunks.next();
      first = null;
      let result = await chunkOrQuiet(next, live && stream.reader.holdsReadable);
      if (result === null) {
        stream.reader.flushReadable();
        yield stream.take();
        result = await next;
      }
      if (result.done) break;
      stream.push(result.value);
      const batch = stream.take();
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    onError(source, describeFsError(err));
  } finally {
    // Ended early (the output closed): the input is closed as `for await` would close it. Not
    // awaited: a read may still be pending on a quiet pipe.
    chunks?.return?.()?.catch(() => {});
  }
  stream.end();
  const rest = stream.take();
  if (rest.length > 0) yield rest;
}

/** A readable record held for its continuation lines is let go after this much quiet on a pipe. */
const QUIET_MS = 200;

/**
 * The next chunk, or null when a live input (stdin, a FIFO) stays quiet for `QUIET_MS` while the
 * reader holds a readable record for possible continuation lines: the caller then lets that
 * record go, so a live pipe shows it without waiting for the next line. Files never wait.
 */
async function chunkOrQuiet(
  next: Promise<IteratorResult<Buffer>>,
  wait: boolean,
): Promise<IteratorResult<Buffer> | null> {
  if (!wait) return next;
  let timer: NodeJS.Timeout | undefined;
  const quiet = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), QUIET_MS);
  });
  const first = await Promise.race([next, quiet]);
  clearTimeout(timer);
  return first;
}

/**
 * Bytes [start, end) of a plain file through `stream`, synchronously; `drain` is called after
 * every chunk (a worker thread converting a range). Read errors are thrown.
 */
export function readRangeRecords(
  stream: RecordStream,
  path: string,
  start: number,
  end: number,
  drain: () => void,
): void {
  readRangeSync(path, start, end, stream.prefiltered, (chunk) => {
    stream.push(chunk);
    drain();
  });
}

/**
 * An open plain file from `from` to its end as it is now, through `stream`, which is not ended:
 * a live source goes on from where this stops (`tail`'s follower). One batch per chunk read
 * (possibly empty); `advance` is told how many bytes each chunk held. Read errors are thrown.
 */
export function* readOpenFile(
  stream: RecordStream,
  fd: number,
  from: number,
  advance: (bytes: number) => void,
): Generator<LogRecord[]> {
  for (const chunk of fileChunks(fd, from)) {
    advance(chunk.length);
    stream.push(chunk);
    yield stream.take();
  }
}

/** Bytes looked at to tell an exported trace document from a log. */
const SNIFF_BYTES = 4096;

/**
 * The size of an input that worker threads may read in ranges: a plain file (not gzip, not a
 * pipe) holding a log. An exported trace document is read in one thread, whatever its size.
 */
export function rangeableSize(source: Source): number | null {
  const size = plainFileSize(source);
  return size !== null && startsExportedTraces(source) ? null : size;
}

/** Whether a plain file holds an exported trace document (such a file is read in one thread). */
function startsExportedTraces(source: Source): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(source.path, "r");
    const head = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, head, 0, SNIFF_BYTES, 0);
    return isExportedTraces(head.toString("utf8", 0, n));
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Records of an exported trace document (see input/exported-traces.ts): its elements are
 * streamed, turned into the log lines each service would have written, and the lines holding a
 * needle read as a log's, one stream per service.
 */
async function* importTraces(
  source: Source,
  first: Buffer,
  rest: AsyncIterator<Buffer>,
  needles: readonly Buffer[],
  onError: InputErrorHandler,
): AsyncGenerator<LogRecord[]> {
  const wanted = needles.map((n) => n.toString("utf8"));
  const streams = new Map<string, RecordStream>();
  const streamFor = (service: string): RecordStream => {
    let s = streams.get(service);
    if (s === undefined) {
      const label = service || source.label;
      s = new RecordStream({ ...source, label, labelled: false }, { needles });
      streams.set(service, s);
    }
    return s;
  };
  const elements = elementStream();
  const decoder = new StringDecoder("utf8");
  let readError: unknown = null;
  const feed = (async () => {
    try {
      if (!elements.write(decoder.write(first))) await once(elements, "drain");
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        if (!elements.write(decoder.write(next.value))) await once(elements, "drain");
      }
      elements.end(decoder.end());
    } catch (err) {
      readError = err;
      elements.destroy(err as Error);
    }
  })();
  try {
    for await (const item of elements) {
      for (const { service, lines } of elementLines((item as { value: unknown }).value)) {
        const s = streamFor(service);
        for (const l of lines) if (wanted.some((w) => l.includes(w))) s.pushFound(l, MATCH);
        const batch = s.take();
        if (batch.length > 0) yield batch;
      }
    }
  } catch (err) {
    onError(
      source,
      readError !== null
        ? describeFsError(readError)
        : `not a readable trace document: ${(err as Error).message}`,
    );
  }
  await feed;
  for (const s of streams.values()) {
    s.end();
    const last = s.take();
    if (last.length > 0) yield last;
  }
}
