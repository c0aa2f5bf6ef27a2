/**
 * The fast path for questions about a few lines of a large log ("records of trace X", "span
 * markers"): the raw bytes are searched for needles (`needle-lines.ts`), and only the lines that
 * contain one are decoded and parsed. Large plain files are searched by worker threads
 * (`parallel-scan.ts`); compressed input, pipes and small files in this thread. Either way the
 * records come out in input order.
 *
 * Receives: sources and byte needles. Emits: batches of the records on matching lines (line
 * numbers are not counted on this path; records carry 0). Read errors go to `onError`.
 */

import type { LogRecord, Source } from "../model/record.js";
import { emptyRecord, normalizeJson } from "../parse/normalize.js";
import { PrefixDetector } from "../parse/prefix.js";
import { cutFile, LINE_STARTS, type Range, rangeSize } from "./file-ranges.js";
import { describeFsError, plainFileSize, readBytes } from "./inputs.js";
import { NeedleLines } from "./needle-lines.js";
import { SCAN_RANGE_MAX, type ScanPool, ScanWorkers } from "./parallel-scan.js";
import { workerThreads } from "./worker-pool.js";

export type ScanErrorHandler = (source: Source, reason: string) => void;

/** Parses matching lines of one source into records (a launcher prefix is learned per source). */
class LineMatcher {
  private readonly prefixes = new PrefixDetector();
  readonly out: LogRecord[] = [];

  /** `keepUnparsed`: a line that is not a record is kept as an unparsed record (a follower). */
  constructor(
    private readonly source: Source,
    private readonly keepUnparsed = false,
  ) {}

  readonly parseLine = (buf: Buffer, start: number, end: number): void => {
    this.parseText(buf.toString("utf8", start, end));
  };

  parseText(line: string): void {
    const match = this.prefixes.detect(line);
    const rec = emptyRecord(this.source, 0, line);
    const body = match ? line.slice(match.length) : line;
    if (match) {
      rec.prefix = line.slice(0, match.length);
      if (!this.source.labelled) rec.label = match.label;
    }
    if (normalizeJson(rec, body, 0) || this.keepUnparsed) this.out.push(rec);
  }
}

/**
 * Records on the lines of `source` that contain any of `needles`, or one of `startupNeedles`
 * within the input's first 8 MiB (records a component writes once, at start-up).
 */
export async function* scanForNeedles(
  source: Source,
  needles: readonly Buffer[],
  onError: ScanErrorHandler,
  startupNeedles: readonly Buffer[] = [],
  followers = false,
): AsyncGenerator<LogRecord[]> {
  const matcher = new LineMatcher(source, followers);
  const lines = new NeedleLines(needles, startupNeedles, matcher.parseLine, followers);
  let offset = 0;
  try {
    // Chunks are read in place: only a carried partial line is kept, and it is copied.
    for await (const chunk of readBytes(source, true)) {
      lines.push(chunk, offset);
      offset += chunk.length;
      if (matcher.out.length > 0) yield matcher.out.splice(0);
    }
  } catch (err) {
    onError(source, describeFsError(err));
  }
  lines.finish();
  if (matcher.out.length > 0) yield matcher.out.splice(0);
}

export interface ScanOptions {
  /** Needles looked for within each input's first 8 MiB only. */
  startupNeedles?: readonly Buffer[];
  /**
   * Threads to search large plain files with (shared by consecutive scans), or null to search in
   * this thread: when every matching line is parsed, handing the lines over costs the main thread
   * more than finding them (measured: `stats` 2.0 s in parallel, 1.7 s without).
   */
  workers?: ScanWorkers | null;
  /**
   * Also read the lines that follow a matching line and are not records (a traceback), as
   * unparsed records right after it.
   */
  followers?: boolean;
}

/** `scanForNeedles` over several sources, in order; large plain files may be searched in parallel. */
export async function* scanSources(
  sources: readonly Source[],
  needles: readonly Buffer[],
  onError: ScanErrorHandler,
  options: ScanOptions = {},
): AsyncGenerator<LogRecord[]> {
  const startup = options.startupNeedles ?? [];
  const followers = options.followers ?? false;
  const sizes = sources.map(plainFileSize);
  const total = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
  const threads = options.workers === null ? 0 : workerThreads(total);
  if (threads === 0) {
    for (const source of sources)
      yield* scanForNeedles(source, needles, onError, startup, followers);
    return;
  }
  const target = rangeSize(total, threads, SCAN_RANGE_MAX);
  const plans: Range[][] = sources.map((source, i) => {
    const size = sizes[i];
    return size === null || size === undefined
      ? []
      : cutFile(source.path, size, target, LINE_STARTS);
  });
  const owned = options.workers === undefined ? new ScanWorkers() : null;
  const pool = (options.workers ?? owned)?.get(threads) as ScanPool;
  let id = pool.begin(plans.flat(), needles, startup, followers);
  try {
    for (const [i, source] of sources.entries()) {
      if (sizes[i] === null) {
        yield* scanForNeedles(source, needles, onError, startup, followers);
        continue;
      }
      const matcher = new LineMatcher(source, followers);
      let failed = false;
      for (const _ of plans[i] ?? []) {
        // Every range is taken, even after a failure, so the pool moves on; one report a file.
        const result = await pool.take(id++);
        if (failed) continue;
        if ("error" in result) {
          onError(source, result.error);
          failed = true;
          continue;
        }
        for (const line of result.lines) matcher.parseText(line);
        if (matcher.out.length > 0) yield matcher.out.splice(0);
      }
    }
  } finally {
    await owned?.close();
  }
}
