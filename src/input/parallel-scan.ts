/**
 * The needle search spread over worker threads: plain files are cut into ranges at line starts,
 * workers search the ranges (reading and `indexOf`, the whole cost of a lookup), and the matching
 * lines come back in range order, so the caller parses them exactly as a sequential scan would.
 *
 * Receives: plain files and needles. Emits: per range, its matching lines.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { describeFsError } from "./inputs.js";
import type { ScanJob, ScanReply } from "./scan-worker.js";

/** Below this much plain input a sequential scan is done before workers would have started. */
const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;
const RANGE_MAX = 16 * 1024 * 1024;
const RANGE_MIN = 64 * 1024;
/** Ranges searched ahead of the one being parsed: bounds the matches held in memory. */
const AHEAD_PER_WORKER = 4;

export interface Range {
  path: string;
  start: number;
  end: number;
}

export type RangeResult = { lines: string[] } | { error: string };

/**
 * Workers for `totalBytes` of plain input: DYNLOG_SCAN_THREADS when set (0: none), otherwise two
 * on a machine with two cores or more and enough input to repay their start.
 */
export function scanThreads(totalBytes: number, env = process.env): number {
  const forced = env.DYNLOG_SCAN_THREADS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), 16);
  if (totalBytes < PARALLEL_MIN_BYTES) return 0;
  return availableParallelism() >= 2 ? 2 : 0;
}

/** The offset just past the first newline at or after `from` (or `size`). */
function nextLineStart(fd: number, from: number, size: number): number {
  const block = Buffer.allocUnsafe(64 * 1024);
  for (let at = from; at < size; ) {
    const n = readSync(fd, block, 0, block.length, at);
    if (n === 0) break;
    const nl = block.subarray(0, n).indexOf(10);
    if (nl >= 0) return at + nl + 1;
    at += n;
  }
  return size;
}

/** Cuts a file into ranges of about `target` bytes, each starting at a line start. */
export function planRanges(path: string, size: number, target: number): Range[] {
  const ranges: Range[] = [];
  const fd = openSync(path, "r");
  try {
    let start = 0;
    while (start < size) {
      const end = start + target >= size ? size : nextLineStart(fd, start + target - 1, size);
      ranges.push({ path, start, end });
      start = end;
    }
  } finally {
    closeSync(fd);
  }
  return ranges;
}

export function rangeSize(totalBytes: number, threads: number): number {
  const even = Math.ceil(totalBytes / Math.max(1, threads * 8));
  return Math.min(RANGE_MAX, Math.max(RANGE_MIN, even));
}

/**
 * Searches ranges on worker threads; results are taken in the order the ranges were given. Scans
 * may follow one another on the same workers (a lookup's two passes): each `begin` appends its
 * ranges and returns the id of the first.
 */
export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly jobs: ScanJob[] = [];
  private readonly results = new Map<number, RangeResult>();
  private readonly waiting = new Map<number, (r: RangeResult) => void>();
  private readonly jobOf = new Map<Worker, number>();
  private next = 0;
  private taken = 0;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL("./scan-worker.js", import.meta.url));
      worker.on("message", (reply: ScanReply) => this.done(worker, reply));
      worker.on("error", (err) => this.failed(worker, err));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  begin(ranges: readonly Range[], needles: readonly Buffer[], startup: readonly Buffer[]): number {
    const first = this.jobs.length;
    const n = needles.map((b) => new Uint8Array(b));
    const s = startup.map((b) => new Uint8Array(b));
    for (const range of ranges) {
      this.jobs.push({ id: this.jobs.length, ...range, needles: n, startupNeedles: s });
    }
    if (this.workers.length === 0) this.failRemaining();
    this.dispatch();
    return first;
  }

  /** The result of range `id` (ranges are taken in order, each once). */
  take(id: number): Promise<RangeResult> {
    this.taken = id + 1;
    this.dispatch();
    const ready = this.results.get(id);
    if (ready !== undefined) {
      this.results.delete(id);
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    const limit = this.taken + this.workers.length * AHEAD_PER_WORKER;
    while (this.idle.length > 0 && this.next < this.jobs.length && this.next < limit) {
      const worker = this.idle.pop() as Worker;
      const job = this.jobs[this.next++] as ScanJob;
      this.jobOf.set(worker, job.id);
      worker.postMessage(job);
    }
  }

  private settle(id: number, result: RangeResult): void {
    const resolve = this.waiting.get(id);
    if (resolve === undefined) this.results.set(id, result);
    else {
      this.waiting.delete(id);
      resolve(result);
    }
  }

  private done(worker: Worker, reply: ScanReply): void {
    this.jobOf.delete(worker);
    this.idle.push(worker);
    if ("error" in reply) {
      const err = Object.assign(new Error(reply.error), { code: reply.code });
      this.settle(reply.id, { error: describeFsError(err) });
    } else this.settle(reply.id, { lines: reply.lines });
    this.dispatch();
  }

  /** A worker that died takes its range with it (reported); the others carry on. */
  private failed(worker: Worker, err: Error): void {
    const id = this.jobOf.get(worker);
    this.jobOf.delete(worker);
    this.workers.splice(this.workers.indexOf(worker), 1);
    if (id !== undefined) this.settle(id, { error: `scan failed: ${err.message}` });
    if (this.workers.length === 0) this.failRemaining();
    this.dispatch();
  }

  private failRemaining(): void {
    for (; this.next < this.jobs.length; this.next++)
      this.settle(this.next, { error: "scan failed" });
  }
}

/** Worker threads shared by several scans, started on first need. */
export class ScanWorkers {
  private pool: ScanPool | null = null;

  get(threads: number): ScanPool {
    this.pool ??= new ScanPool(threads);
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}
