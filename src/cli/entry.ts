/**
 * Process entry: runs `main`, then exits with its status. Unexpected failures are reported as one
 * line (a stack trace only with DYNLOG_DEBUG=1) and exit with status 70, never as a raw crash.
 *
 * Standard output: a reader that went away (EPIPE: `dynlog convert big.jsonl | head`) is a quiet
 * end, the writers stop and the status stays 0; any other failed write (a full disk, an I/O
 * error) ends every command with `dynlog: write error: <reason>` and status 1.
 */
import { describeFsError } from "../input/inputs.js";
import { main } from "./main.js";

const EXIT_WRITE_ERROR = 1;

function closedPipe(err: NodeJS.ErrnoException): boolean {
  return err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED";
}

let writeFailed = false;

function failWrite(err: NodeJS.ErrnoException): void {
  if (writeFailed) return;
  writeFailed = true;
  process.stderr.write(`dynlog: write error: ${describeFsError(err).replace(/, \w+$/, "")}\n`);
  process.exit(EXIT_WRITE_ERROR);
}

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (!closedPipe(err)) failWrite(err);
});

/**
 * A run longer than this may have V8 optimising its code on background threads when it ends;
 * such a run stays idle for SETTLE_MS before it exits. Under Node 20, exiting (by `process.exit`
 * or by running out of work alike) waits for those threads, and one of them may be waiting for
 * a collection that only this thread runs, from its event loop: the process then never ended
 * (about one threaded `convert` of a small file in fifteen). Idle in the event loop, this thread
 * runs that collection, and the compiles finish. (Turning background compiling off is a flag
 * read only when the process starts; the worker threads have it, see input/worker-pool.ts.)
 */
const SHORT_RUN_MS = 100;
const SETTLE_MS = 10;

/**
 * Exits once standard output has taken everything: on a pipe, writes may still be queued when
 * `main` returns, and exiting at once would cut the output. A write's callback runs after all
 * earlier writes were handed to the OS (or failed).
 */
function exitAfterFlush(status: number): void {
  process.exitCode = status;
  process.stdout.write("", (err) => {
    if (err && !closedPipe(err)) failWrite(err);
    else if (performance.now() < SHORT_RUN_MS) process.exit(status);
    else setTimeout(() => process.exit(status), SETTLE_MS);
  });
}

try {
  exitAfterFlush(await main(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`dynlog: internal error: ${(err as Error)?.message ?? String(err)}\n`);
  if (process.env.DYNLOG_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
  exitAfterFlush(70);
}
