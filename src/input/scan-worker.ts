/**
 * A scan worker: searches byte ranges of plain files for needles and sends back the matching
 * lines, decoded. Parsing stays with the main thread, which
 * keeps the records in order.
 *
 * Receives: `ScanJob` messages. Emits: one `ScanReply` per job.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { NeedleLines } from "./needle-lines.js";

export interface ScanJob {
  id: number;
  path: string;
  /** A line start. */
  start: number;
  /** Just past a newline, or the end of the file. */
  end: number;
  needles: Uint8Array[];
  startupNeedles: Uint8Array[];
  /** Also the non-record lines after a matching line (see NeedleLines). */
  followers?: boolean;
}

export type ScanReply =
  | { id: number; lines: string[] }
  | { id: number; error: string; code: string };

const CHUNK = 1 << 20;

const chunk = Buffer.allocUnsafe(CHUNK);

function scan(job: ScanJob): string[] {
  const out: string[] = [];
  const lines = new NeedleLines(
    job.needles.map((n) => Buffer.from(n)),
    job.startupNeedles.map((n) => Buffer.from(n)),
    (buf, start, end) => out.push(buf.toString("utf8", start, end)),
    job.followers === true,
  );
  const fd = openSync(job.path, "r");
  try {
    for (let at = job.start; at < job.end; ) {
      const n = readSync(fd, chunk, 0, Math.min(CHUNK, job.end - at), at);
      if (n === 0) break;
      lines.push(chunk.subarray(0, n), at);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  lines.finish();
  return out;
}

parentPort?.on("message", (job: ScanJob | null) => {
  // The pool is done with this worker: closing the port lets the thread end by itself.
  if (job === null) {
    parentPort?.close();
    return;
  }
  let reply: ScanReply;
  try {
    // Decoded here, one string a line: each lands in the main thread's young generation as if
    // decoded there. (Transferred buffers count as external memory, and one big string per range
    // kept alive by the lines cut from it; both made the collector run five times as long.)
    reply = { id: job.id, lines: scan(job) };
    parentPort?.postMessage(reply);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = { id: job.id, error: e.message, code: e.code ?? "" };
    parentPort?.postMessage(reply);
  }
});
