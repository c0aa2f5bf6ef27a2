/**
 * The fast path for questions about a few lines of a large log ("records of trace X", "span
 * markers"): the one reader with a needle prefilter (`record-stream.ts`), so only the lines that
 * contain a needle are decoded and parsed. Large plain files are searched by worker threads
 * (`input/parallel-scan.ts`) and the lines they find parsed here, in order; compressed input,
 * pipes and small files are read in this thread. Either way the records come out in input order,
 * each with the service announced before it in its stream.
 *
 * Receives: sources and byte needles. Emits: batches of the records on matching lines (line
 * numbers are not counted on this path; records carry 0). Read errors go to `onError`.
 */

import { cutFile, LINE_STARTS, type Range, rangeSize } from "../input/file-ranges.js";
import type { LineKind, LineTest } from "../input/needle-lines.js";
import { SCAN_RANGE_MAX, type ScanPool, ScanWorkers } from "../input/parallel-scan.js";
import { workerThreads } from "../input/worker-pool.js";
import type { LogRecord, Source } from "../model/record.js";
import {
  type InputErrorHandler,
  RecordStream,
  rangeableSize,
  readRecords,
  withAnnouncements,
} from "./record-stream.js";

export type ScanErrorHandler = InputErrorHandler;

export interface ScanOptions {
  /**
   * Threads to search large plain files with (shared by consecutive scans), or null to search in
   * this thread: when every matching line is parsed, handing the lines over costs the main thread
   * more than finding them (measured: `stats` 2.0 s in parallel, 1.7 s without).
   */
  workers?: ScanWorkers | null;
  /**
   * Also read the lines that follow a matching record and are not records (a traceback), as
   * unparsed records right after it.
   */
  trailers?: boolean;
  /** Which matching lines of an input are read at all (see NeedleLines); searched here then. */
  accept?: (source: Source) => LineTest;
}

/**
 * The records on the lines of `sources` that contain any of `needles` (and every service
 * announcement), source after source; large plain files may be searched in parallel.
 */
export async function* scanSources(
  sources: readonly Source[],
  needles: readonly Buffer[],
  onError: ScanErrorHandler,
  options: ScanOptions = {},
): AsyncGenerator<LogRecord[]> {
  const read = { needles, trailers: options.trailers === true };
  const sizes = sources.map(rangeableSize);
  const total = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
  const { accept } = options;
  const threads = options.workers === null || accept !== undefined ? 0 : workerThreads(total);
  if (threads === 0) {
    for (const source of sources) {
      yield* readRecords(source, onError, { ...read, accept: accept?.(source) });
    }
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
  let id = pool.begin(plans.flat(), withAnnouncements(needles), read.trailers);
  try {
    for (const [i, source] of sources.entries()) {
      if (sizes[i] === null) {
        yield* readRecords(source, onError, read);
        continue;
      }
      const stream = new RecordStream(source, read);
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
        const { lines, kinds } = result;
        let k = 0;
        for (let n = 0; n < lines.length; n++) {
          let kind = 0 as LineKind;
          if (kinds[k] === n) {
            kind = kinds[k + 1] as LineKind;
            k += 2;
          }
          stream.pushFound(lines[n] as string, kind);
        }
        const batch = stream.take();
        if (batch.length > 0) yield batch;
      }
      stream.end();
      const rest = stream.take();
      if (rest.length > 0) yield rest;
    }
  } finally {
    await owned?.close();
  }
}
