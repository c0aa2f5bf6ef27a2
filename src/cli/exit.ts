/**
 * How the process ends once a command is done: after standard output has taken everything, and,
 * for a run long enough to have V8 optimising its code on background threads, after a short idle
 * moment.
 *
 * Why the idle moment: under Node 20, exiting (by `process.exit` or by running out of work alike)
 * waits for those background compiles, and one of them may be waiting for a collection that only
 * the main thread runs, from its event loop: the process then never ended (about one threaded
 * `convert` of a small file in fifteen). Idle in the event loop, the main thread runs that
 * collection, and the compiles finish. (Turning background compiling off is a flag read only when
 * the process starts; the worker threads have it, see input/worker-pool.ts.)
 */

/** A run shorter than this has compiled nothing in the background: it exits at once. */
export const SHORT_RUN_MS = 100;
/** How long a longer run stays idle before it exits. */
export const SETTLE_MS = 10;

/** What ending the process needs, given (the process's own, or a test's). */
export interface Ending {
  /** Milliseconds since the process started. */
  now(): number;
  /** Calls back once everything written before was handed to the OS, or failed. */
  flush(done: (err?: Error | null) => void): void;
  exit(status: number): void;
  later(run: () => void, ms: number): void;
}

/**
 * Ends with `status` once output is flushed. A failed flush goes to `failed`, which says whether
 * it ended the process (a reader that went away does not: the run ends as it would have).
 */
export function exitWhenSettled(
  status: number,
  ending: Ending,
  failed: (err: Error) => boolean,
): void {
  ending.flush((err) => {
    if (err && failed(err)) return;
    if (ending.now() < SHORT_RUN_MS) ending.exit(status);
    else ending.later(() => ending.exit(status), SETTLE_MS);
  });
}
