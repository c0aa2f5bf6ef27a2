/**
 * A scan worker: searches byte ranges of plain files for needles and sends back the matching
 * lines (and the lines that follow a torn record's start), decoded. Parsing stays with the main
 * thread's reader, which keeps the records in order.
 *
 * Receives: `ScanJob` messages. Emits: one `ScanReply` per job.
 */
import { readRangeSync } from "./inputs.js";
import { MATCH, NeedleLines } from "./needle-lines.js";
import { serveJobs } from "./worker-pool.js";

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

function scan(job: ScanJob): ScanFound {
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
  return found;
}

serveJobs<undefined, ScanJob, ScanReply>(() => (job) => {
  try {
    // Decoded here, one string a line: each lands in the main thread's young generation as if
    // decoded there. (Transferred buffers count as external memory, and one big string per range
    // kept alive by the lines cut from it; both made the collector run five times as long.)
    return { id: job.id, ...scan(job) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { id: job.id, error: e.message, code: e.code ?? "" };
  }
});
