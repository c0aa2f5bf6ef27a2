/**
 * One byte range of a plain file searched for needles: the matching lines (and the lines that
 * follow a torn record's start), decoded. A scan worker runs it (scan-worker.ts), and so does the
 * thread that hands the ranges out while it would otherwise wait (parallel-scan.ts).
 *
 * Receives: a range and the needles. Emits: the lines found.
 */
import { readRangeSync } from "./inputs.js";
import { MATCH, NeedleLines } from "./needle-lines.js";

export interface ScanJob {
  id: number;
  path: string;
  /** A line start. */
  start: number;
  /** Just past a newline, or the end of the file. */
  end: number;
  needles: Uint8Array[];
  /** Also the non-record lines after a matching record (see NeedleLines). */
  trailers: boolean;
}

/** The lines found; `kinds` lists, as pairs (index, kind), the lines that are not a plain MATCH. */
export interface ScanFound {
  lines: string[];
  kinds: number[];
}

export type ScanReply = ({ id: number } & ScanFound) | { id: number; error: string; code: string };

/** Searches `job`'s range; a read error is the reply's, not thrown. */
export function scanRange(job: ScanJob): ScanReply {
  try {
    const found: ScanFound = { lines: [], kinds: [] };
    const lines = new NeedleLines(
      job.needles.map((n) => Buffer.from(n)),
      (buf, start, end, kind) => {
        if (kind !== MATCH) found.kinds.push(found.lines.length, kind);
        found.lines.push(buf.toString("utf8", start, end));
      },
      job.trailers,
    );
    readRangeSync(job.path, job.start, job.end, true, (chunk) => lines.push(chunk));
    lines.finish();
    return { id: job.id, ...found };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { id: job.id, error: e.message, code: e.code ?? "" };
  }
}
