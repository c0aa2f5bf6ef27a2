/**
 * What `export --push` tells the user as it goes, for traces and log records alike: each batch
 * that failed or was taken in part, and a progress line (what was sent so far and how fast,
 * redrawn at most four times a second on standard error when it is a terminal, left on its own
 * line when the push is done).
 *
 * Receives: batch results and counts. Emits: diagnostics and progress lines.
 */
import type { BatchResult } from "../export/otlp-http.js";
import type { Io } from "./io.js";

/**
 * Reports a batch the collector did not take whole (`what`: "spans", "log records"); returns how
 * many of its `items` were not accepted.
 */
export function reportBatch(
  result: BatchResult,
  items: number,
  what: string,
  url: URL,
  io: Io,
): number {
  if (result.failed) io.warn(`push to ${url.href} failed: ${result.message}`);
  else if (result.rejected > 0 || result.message !== "") {
    const why = result.message === "" ? "" : `: ${result.message}`;
    io.warn(`the collector rejected ${result.rejected} of ${items} ${what}${why}`);
  }
  return result.failed ? items : result.rejected;
}

/** Writes the progress line (standard error is a terminal), or null: no progress shown. */
export type ProgressWriter = ((line: string) => void) | null;

export class PushProgress {
  private readonly startMs = Date.now();
  private shownMs = 0;

  constructor(
    private readonly show: ProgressWriter,
    /** What the rate counts ("spans", "records"). */
    private readonly unit: string,
  ) {}

  /** Shows `sent <what> (<rate> <unit>/s)`; `done` always shows it and ends the line. */
  update(what: string, count: number, done = false): void {
    if (this.show === null) return;
    const now = Date.now();
    if (!done && now - this.shownMs < 250) return;
    this.shownMs = now;
    const seconds = Math.max(0.001, (now - this.startMs) / 1000);
    const rate = Math.round(count / seconds);
    this.show(`sent ${what} (${rate} ${this.unit}/s)${done ? "\n" : ""}`);
  }
}
