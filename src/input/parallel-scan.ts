/**
 * The needle search spread over worker threads: plain files are cut into ranges at line starts,
 * workers search the ranges (reading and `indexOf`, the whole cost of a lookup), and the matching
 * lines come back in range order, so the caller parses them exactly as a sequential scan would.
 *
 * Receives: plain files and needles. Emits: per range, its matching lines.
 */
import type { Range } from "./file-ranges.js";
import { describeFsError } from "./inputs.js";
import type { ScanFound, ScanJob, ScanReply } from "./scan-worker.js";
import { OrderedPool } from "./worker-pool.js";

/** Ranges of the needle search are at most this large. */
export const SCAN_RANGE_MAX = 16 * 1024 * 1024;

export type RangeResult = ScanFound | { error: string };

/**
 * Searches ranges on worker threads; results are taken in the order the ranges were given. Scans
 * may follow one another on the same workers (a lookup's two passes): each `begin` queues its
 * ranges and returns the id of the first.
 */
export class ScanPool {
  private readonly pool: OrderedPool<ScanJob, ScanReply>;

  constructor(threads: number) {
    this.pool = new OrderedPool(new URL("./scan-worker.js", import.meta.url), threads);
  }

  begin(ranges: readonly Range[], needles: readonly Buffer[], trailers = false): number {
    const n = needles.map((b) => new Uint8Array(b));
    return this.pool.add(ranges.map((range) => ({ ...range, needles: n, trailers })));
  }

  /** The result of range `id` (ranges are taken in order, each once). */
  async take(id: number): Promise<RangeResult> {
    const outcome = await this.pool.take(id);
    if ("failure" in outcome) return { error: `scan failed: ${outcome.failure}` };
    const reply = outcome.reply;
    if ("error" in reply) {
      return {
        error: describeFsError(Object.assign(new Error(reply.error), { code: reply.code })),
      };
    }
    return { lines: reply.lines, kinds: reply.kinds };
  }

  close(): Promise<void> {
    return this.pool.close();
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
