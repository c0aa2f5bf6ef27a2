/**
 * The needle search spread over threads: plain files are cut into ranges at line starts, a
 * worker thread and this thread search the ranges (reading and `indexOf`, the whole cost of a
 * lookup), and the matching lines come back in range order, so the caller parses them exactly as
 * a sequential scan would.
 *
 * Receives: plain files and needles. Emits: per range, its matching lines.
 */
import type { Range } from "./file-ranges.js";
import { describeFsError } from "./inputs.js";
import { type ScanFound, type ScanJob, type ScanReply, scanRange } from "./range-scan.js";
import { OrderedPool, type Outcome } from "./worker-pool.js";

/** Ranges of the needle search are at most this large. */
export const SCAN_RANGE_MAX = 16 * 1024 * 1024;

export type RangeResult = ScanFound | { error: string };

/**
 * How far past the range being waited for this thread searches: far enough to stay busy while a
 * worker starts (16 ranges of 16 MiB), while what is held is only the lines found.
 */
const HELP_AHEAD = 16;

/**
 * Searches ranges on `threads` threads, this one among them: this thread searches the next
 * ranges while the result it waits for is not in. It has nothing else to do then, and it starts
 * at once, while a worker takes tens of milliseconds to start (two workers and an idle main
 * thread took longer over 1 GB). Results are taken in the order the ranges were given. Scans may
 * follow one another on the same threads (a lookup's two passes): each `begin` queues its ranges
 * and returns the id of the first.
 */
export class ScanPool {
  private readonly pool: OrderedPool<ScanJob, ScanReply>;

  constructor(threads: number) {
    const workers = Math.max(1, threads - 1);
    this.pool = new OrderedPool(new URL("./scan-worker.js", import.meta.url), workers);
  }

  begin(ranges: readonly Range[], needles: readonly Buffer[], trailers = false): number {
    const n = needles.map((b) => new Uint8Array(b));
    return this.pool.add(ranges.map((range) => ({ ...range, needles: n, trailers })));
  }

  /** The result of range `id` (ranges are taken in order, each once). */
  async take(id: number): Promise<RangeResult> {
    return resultOf(await this.pool.takeHelping(id, HELP_AHEAD, scanRange));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function resultOf(outcome: Outcome<ScanReply>): RangeResult {
  if ("failure" in outcome) return { error: `scan failed: ${outcome.failure}` };
  const reply = outcome.reply;
  if ("error" in reply) {
    return {
      error: describeFsError(Object.assign(new Error(reply.error), { code: reply.code })),
    };
  }
  return { lines: reply.lines, kinds: reply.kinds };
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
